package namespaces

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// Config describes a container to run.
type Config struct {
	Rootfs   string   // the container's root directory: a chapter 1 userland
	Args     []string // the command; a bare name is looked up in the container's PATH
	Hostname string   // the container's hostname; DefaultHostname if empty
	UserNS   bool     // also give it a user namespace: its root is HostUID on the host
	Env      []string // KEY=value pairs added to (or replacing) the clean environment
	Dir      string   // the working directory inside; "/" if empty

	// Terminal makes Stdin, which must be a pty's end, the controlling
	// terminal of the command's session. Without it the command still
	// leads a session of its own, one with no terminal.
	Terminal bool

	// Confine, if set, names what a later chapter does to the container's
	// processes (confine.go): chapter 6's security.
	Confine *Confinement

	// Started, if set, is called with the init's host PID while the init
	// waits for its orders, before it does anything: the moment to put it
	// in a cgroup (chapter 3), so the command never runs outside one. An
	// error stops the container.
	Started func(pid int) error

	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// DefaultHostname is the hostname of a container whose Config names none.
const DefaultHostname = "minibox"

// Container is a running container: its init process, started by Start.
type Container struct {
	cmd *exec.Cmd
}

// Exit codes Run returns when the command never ran, as docker run does.
const (
	ExitSetupFailed = 125 // the container could not be set up
	ExitCannotExec  = 126 // the command was found but could not be executed
	ExitNotFound    = 127 // the command is not in the container
)

// Run starts a container, waits for it and returns its command's exit code.
// When the command never ran, err says why and the code is one of the Exit
// constants above.
func Run(cfg Config) (exitCode int, err error) {
	c, err := Start(cfg)
	if err != nil {
		var se *SetupError
		if errors.As(err, &se) {
			return se.ExitCode, err
		}
		return ExitSetupFailed, err
	}
	return c.Wait()
}

// Start creates the container's namespaces and its init process, and returns
// once the init has set the container up and exec'd the command, or with the
// init's error (a *SetupError) if it could not.
func Start(cfg Config) (*Container, error) {
	return start(cfg, initEntry)
}

// start re-executes this binary as entry (see init.go) in new namespaces,
// hands it the config on one pipe and reads its error, if any, from another.
func start(cfg Config, entry string, args ...string) (*Container, error) {
	s, err := cfg.spec()
	if err != nil {
		return nil, err
	}
	// A sealed copy of this binary: the init is the container's first
	// process, and this binary until it executes the command (sealed.go).
	cmd, binary, err := SealedSelf(entry, args...)
	if err != nil {
		return nil, fmt.Errorf("container: %w", err)
	}
	defer binary.Close() // the init has its copy once started
	cmd.Stdin, cmd.Stdout, cmd.Stderr = cfg.Stdin, cfg.Stdout, cfg.Stderr
	// setsid(2): the container is a session of its own. A process may push
	// input into a terminal (the TIOCSTI ioctl) only if it is its session's
	// controlling terminal: the caller's terminal, which Stdin may be, is
	// not the container's, and the container cannot type into it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneFlags(cfg.UserNS), Setsid: true}
	if cfg.Terminal {
		// Then TIOCSCTTY on fd 0: the pty is the session's terminal.
		cmd.SysProcAttr.Setctty, cmd.SysProcAttr.Ctty = true, 0
	}
	if cfg.UserNS {
		// With ID mappings but no CLONE_NEWUSER, Go's fork would wait
		// forever for mappings it never writes: say so instead.
		if cmd.SysProcAttr.Cloneflags&cloneUser == 0 {
			return nil, errors.New("container: a user namespace is asked for, but the clone flags lack CLONE_NEWUSER (cloneFlags)")
		}
		setIDMappings(cmd.SysProcAttr)
	}
	// The init gets its spec as its orders, and sends back its error, if
	// any (chapter 1's reexec.go).
	child, err := chroot.Start(cmd)
	if errors.Is(err, fs.ErrPermission) && os.Geteuid() != 0 {
		return nil, fmt.Errorf("container: start init: %w: creating namespaces needs root, run it with sudo", err)
	}
	if err != nil {
		return nil, fmt.Errorf("container: start init: %w", err)
	}
	c := &Container{cmd: cmd}

	// The init is blocked reading its spec: whatever Started does happens
	// before the container runs a single instruction of its own.
	if cfg.Started != nil {
		if err := cfg.Started(cmd.Process.Pid); err != nil {
			child.Stop()
			return nil, err
		}
	}
	if err := child.Send(s); err != nil {
		// Stop and reap the init; its own errors would only repeat this one.
		child.Stop()
		return nil, fmt.Errorf("container: send config to init: %w", err)
	}
	// The reply pipe is close-on-exec in the init: it closes with nothing
	// written when the command starts, or carries the init's error.
	if _, err := child.Reply(nil); err != nil {
		c.cmd.Wait() // the init exits after reporting: reap it
		var ce *chroot.ChildError
		if errors.As(err, &ce) {
			return nil, &SetupError{Msg: ce.Msg, Errno: ce.Errno, ExitCode: ce.Code}
		}
		return nil, fmt.Errorf("container: read init's report: %w", err)
	}
	return c, nil
}

// spec checks cfg before anything is started, and returns what the init needs.
func (cfg Config) spec() (spec, error) {
	if len(cfg.Args) == 0 || cfg.Args[0] == "" {
		return spec{}, errors.New("container: no command given: name the program to run, e.g. /bin/sh")
	}
	if cfg.Rootfs == "" {
		return spec{}, errors.New("container: no rootfs given: build one with chapter 1 (chroot.BuildUserland)")
	}
	rootfs, err := filepath.Abs(cfg.Rootfs)
	if err != nil {
		return spec{}, fmt.Errorf("container: rootfs: %w", err)
	}
	fi, err := os.Stat(rootfs)
	if err != nil {
		return spec{}, fmt.Errorf("container: rootfs: %w", err)
	}
	if !fi.IsDir() {
		return spec{}, fmt.Errorf("container: rootfs %s is not a directory", rootfs)
	}
	if cfg.UserNS {
		if err := checkReachable(rootfs); err != nil {
			return spec{}, err
		}
	}
	host := cfg.Hostname
	if host == "" {
		host = DefaultHostname
	}
	for _, kv := range cfg.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return spec{}, fmt.Errorf("container: environment entry %q: want KEY=value", kv)
		}
	}
	dir := cfg.Dir
	if dir == "" {
		dir = "/"
	}
	if !filepath.IsAbs(dir) {
		return spec{}, fmt.Errorf("container: working directory %q: want an absolute path, like /root", dir)
	}
	if err := cfg.Confine.Check(); err != nil {
		return spec{}, fmt.Errorf("container: %w", err)
	}
	return spec{Rootfs: rootfs, Args: cfg.Args, Hostname: host, UserNS: cfg.UserNS, Env: cfg.Env, Dir: dir, Confine: cfg.Confine}, nil
}

// Pid returns the host's process ID of the container's PID 1.
func (c *Container) Pid() int { return c.cmd.Process.Pid }

// Running reports whether process pid runs: it exists and is no zombie. A
// zombie has exited and waits for its parent to reap it; its PID is still
// taken, so kill(pid, 0) succeeds, but nothing runs. /proc/PID/stat says
// which: its state (R, S, D, ..., Z) follows the command name, which is in
// parentheses and may hold anything, ")" too.
func Running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(stat, ')')
	return i > 0 && i+2 < len(stat) && stat[i+2] != 'Z'
}

// Wait waits for the container's PID 1 to exit and returns its exit code,
// 128+N if signal N killed it, as a shell reports it. When PID 1 exits, the
// kernel kills every other process in its PID namespace.
func (c *Container) Wait() (exitCode int, err error) {
	err = c.cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		ws := exit.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			return 128 + int(ws.Signal()), nil
		}
		return ws.ExitStatus(), nil
	}
	if err != nil {
		return -1, fmt.Errorf("container: wait: %w", err)
	}
	return 0, nil
}

// Kill sends SIGKILL to the container's PID 1. Other signals reach a PID 1
// only if it installed a handler for them, but SIGKILL from outside its
// namespace always does.
func (c *Container) Kill() error {
	return c.cmd.Process.Kill()
}
