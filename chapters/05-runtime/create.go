package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"time"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// Exit codes of `minibox run` when the command never ran, as docker's;
// chapter 2's container init ends with the same ones.
const (
	ExitRuntime    = namespaces.ExitSetupFailed // 125: minibox itself failed: bad flags, no such image, ...
	ExitCannotExec = namespaces.ExitCannotExec  // 126: the command was found but could not be executed
	ExitNotFound   = namespaces.ExitNotFound    // 127: the command is not in the image
)

// Error is an error with the exit code `minibox` ends with.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// runtimeErr marks err as minibox's own failure (exit code 125).
func runtimeErr(err error) error {
	var e *Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return &Error{Code: ExitRuntime, Err: err}
}

// ExitCode returns the exit code minibox should end with for err.
func ExitCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ExitRuntime
}

// OpenImages opens the image store. The base image busybox:latest is made
// on first use from the host's static busybox, so `minibox run busybox`
// works on a fresh machine, with no network.
func OpenImages(p Paths) (*images.Store, error) {
	return images.OpenStore(p.Images())
}

// FindImage finds ref in the store, importing busybox:latest if that is
// what is asked for and it is not there yet.
func FindImage(store *images.Store, ref string) (*images.Image, error) {
	if images.NormalizeRef(ref) == images.DefaultBase {
		if _, err := store.Image(ref); errors.Is(err, images.ErrNoImage) {
			return store.ImportBusybox()
		}
	}
	return Image(store, ref)
}

// Image finds ref in the store, and says how to see and add images when it
// is not there.
func Image(store *images.Store, ref string) (*images.Image, error) {
	img, err := store.Image(ref)
	if errors.Is(err, images.ErrNoImage) {
		return nil, fmt.Errorf("no such image %q: `minibox images` lists them; `minibox import DIR NAME` adds one", ref)
	}
	return img, err
}

// MinMemory is the smallest memory limit a container gets, as docker's: a
// container's init alone needs a few megabytes, and with less the kernel's
// OOM killer ends it before its command runs.
const MinMemory = 6 << 20

// checkLimits refuses limits no container could run with.
func checkLimits(cfg Config) error {
	l := cgroups.Limits{Memory: cfg.Memory, Pids: cfg.Pids, CPUs: cfg.CPUs}
	if err := l.Validate(); err != nil {
		return err
	}
	if cfg.Memory > 0 && cfg.Memory < MinMemory {
		return fmt.Errorf("memory limit %s is too small: a container needs at least %s (-m 6m)", cgroups.FormatSize(cfg.Memory), cgroups.FormatSize(MinMemory))
	}
	if n := goruntime.NumCPU(); cfg.CPUs > float64(n) {
		return fmt.Errorf("--cpus %g: this machine has %d CPUs; give at most %d", cfg.CPUs, n, n)
	}
	return nil
}

// Options are a `minibox run`'s.
type Options struct {
	Name string
	Config
	// The foreground container's streams; os.Stdin and friends if nil. With
	// Terminal, Stdin must be the user's terminal.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Create records a new container of the image cfg.Image, with the image's
// defaults filled in: its command when none is given, its environment
// under the given variables, its working directory. The container's name
// must be free: the check and the record are made under the containers'
// lock, so two runs cannot take one name.
//
// The container's own lock (see containerLock) is taken before its record
// exists and returned held: a record in state Created whose lock is free is
// one whose `minibox run` was killed, and Reconcile removes it. Taken any
// later, a concurrent command's Reconcile could remove a container that is
// just starting.
func Create(p Paths, opt Options) (*State, *images.Image, *Lock, error) {
	if opt.Image == "" {
		return nil, nil, nil, runtimeErr(errors.New("no image given: `minibox run IMAGE [COMMAND...]`, e.g. `minibox run busybox echo hi`"))
	}
	if opt.Terminal && opt.Detach {
		return nil, nil, nil, runtimeErr(errors.New("-t with -d: a detached container has no terminal to attach to; run it in the foreground, or use `minibox exec -t` later"))
	}
	if opt.Name != "" {
		if err := CheckName(opt.Name); err != nil {
			return nil, nil, nil, runtimeErr(err)
		}
	}
	if err := checkLimits(opt.Config); err != nil {
		return nil, nil, nil, runtimeErr(err)
	}
	store, err := OpenImages(p)
	if err != nil {
		return nil, nil, nil, runtimeErr(err)
	}
	img, err := FindImage(store, opt.Image)
	if err != nil {
		return nil, nil, nil, runtimeErr(err)
	}
	cfg := withImageDefaults(opt.Config, img)
	if len(cfg.Args) == 0 {
		return nil, nil, nil, runtimeErr(fmt.Errorf("no command given, and image %s names none: `minibox run %s COMMAND`", opt.Image, opt.Image))
	}

	lock, err := LockFile(p.Lock())
	if err != nil {
		return nil, nil, nil, runtimeErr(err)
	}
	defer lock.Unlock()
	all, err := List(p)
	if err == nil {
		err = checkNoDamaged(all)
	}
	if err != nil {
		return nil, nil, nil, runtimeErr(err)
	}
	name := opt.Name
	for tries := 0; name == ""; tries++ {
		if name, err = RandomName(); err != nil {
			return nil, nil, nil, runtimeErr(err)
		}
		if _, err := find(all, name); err == nil {
			name = "" // taken: draw again, with a number after a while
			if tries > 20 {
				name = fmt.Sprintf("container_%d", time.Now().UnixNano())
			}
		}
	}
	for _, s := range all {
		if s.Name == name {
			return nil, nil, nil, runtimeErr(fmt.Errorf("the name %q is taken by container %s: choose another with --name, or remove it with `minibox rm %s`", name, s.ShortID(), name))
		}
	}
	id, err := NewID()
	if err != nil {
		return nil, nil, nil, runtimeErr(err)
	}
	s := &State{ID: id, Name: name, Image: string(img.Digest), Created: time.Now().UTC(), Config: cfg, Status: Created}
	clock, err := LockFile(containerLock(p, id))
	if err != nil {
		return nil, nil, nil, runtimeErr(err)
	}
	if err := os.MkdirAll(p.Container(id), 0o700); err == nil {
		err = s.Save(p)
	}
	if err != nil {
		err = errors.Join(err, removeContainer(p, id))
		clock.Unlock()
		return nil, nil, nil, runtimeErr(err)
	}
	return s, img, clock, nil
}

// withImageDefaults fills in what the image's config says and the run did
// not: command, environment (the run's variables win), working directory.
func withImageDefaults(cfg Config, img *images.Image) Config {
	ic := img.Config.Config
	if len(cfg.Args) == 0 {
		cfg.Args = append(append([]string{}, ic.Entrypoint...), ic.Cmd...)
	} else if len(ic.Entrypoint) > 0 {
		cfg.Args = append(append([]string{}, ic.Entrypoint...), cfg.Args...)
	}
	env := append([]string{}, ic.Env...)
	for _, kv := range cfg.Env {
		k, _, _ := strings.Cut(kv, "=")
		for i := 0; i < len(env); i++ {
			if strings.HasPrefix(env[i], k+"=") {
				env = append(env[:i], env[i+1:]...)
				i--
			}
		}
		env = append(env, kv)
	}
	cfg.Env = env
	if cfg.WorkingDir == "" {
		cfg.WorkingDir = ic.WorkingDir
	}
	return cfg
}

// logPath is the container's output, for `minibox logs`.
func logPath(p Paths, id string) string { return filepath.Join(p.Container(id), "container.log") }
