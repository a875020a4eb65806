package runtime

import (
	"errors"
	"fmt"
	"os"
	"time"

	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// NewContainer is what Create made: the container's record, its image,
// and its own lock, held (lock.go says why it must be held from the start).
type NewContainer struct {
	*State
	Image *images.Image
	Lock  *Lock
}

// Create records a new container of the image opt.Image, with the image's
// defaults filled in: its command when none is given, its environment
// under the given variables, its working directory. The container's name
// must be free: the check and the record are made under the containers'
// lock, so two runs cannot take one name.
//
// The container's own lock is taken before its record exists and returned
// held: a record in state Created whose lock is free is one whose
// `minibox run` was killed, and Reconcile removes it. Taken any later, a
// concurrent command's Reconcile could remove a container that is just
// starting.
func Create(p Paths, opt Options) (*NewContainer, error) {
	if err := checkOptions(opt); err != nil {
		return nil, runtimeErr(err)
	}
	if err := Reconcile(p); err != nil {
		return nil, runtimeErr(err)
	}
	store, err := OpenImages(p)
	if err != nil {
		return nil, runtimeErr(err)
	}
	img, err := FindImage(store, opt.Image)
	if err != nil {
		return nil, runtimeErr(err)
	}
	cfg := withImageDefaults(opt.Config, img)
	if len(cfg.Args) == 0 {
		return nil, runtimeErr(fmt.Errorf("no command given, and image %s names none: `minibox run %s COMMAND`", opt.Image, opt.Image))
	}

	lock, err := LockFile(p.Lock())
	if err != nil {
		return nil, runtimeErr(err)
	}
	defer lock.Unlock()
	all, err := list(p)
	if err == nil {
		err = checkNoDamaged(all)
	}
	if err != nil {
		return nil, runtimeErr(err)
	}
	name, err := freeName(all, opt.Name)
	if err != nil {
		return nil, runtimeErr(err)
	}
	id, err := NewID()
	if err != nil {
		return nil, runtimeErr(err)
	}
	s := &State{ID: id, Name: name, Image: string(img.Digest), Created: time.Now().UTC(), Config: cfg, Status: Created}
	clock, err := record(p, s)
	if err != nil {
		return nil, runtimeErr(err)
	}
	return &NewContainer{State: s, Image: img, Lock: clock}, nil
}

// checkOptions refuses what no container could be made of, before
// anything is made.
func checkOptions(opt Options) error {
	if opt.Image == "" {
		return errors.New("no image given: `minibox run IMAGE [COMMAND...]`, e.g. `minibox run busybox echo hi`")
	}
	if opt.Terminal && opt.Detach {
		return errors.New("-t with -d: a detached container has no terminal to attach to; run it in the foreground, or use `minibox exec -t` later")
	}
	if opt.Name != "" {
		if err := CheckName(opt.Name); err != nil {
			return err
		}
	}
	if _, err := networkOf(opt.Network); err != nil {
		return err
	}
	if err := checkPorts(opt.Config); err != nil {
		return err
	}
	return checkLimits(opt.Config)
}

// freeName returns name if no container in all has it, or, for no name, a
// random one that none has.
func freeName(all []*State, name string) (string, error) {
	for tries := 0; name == ""; tries++ {
		var err error
		if name, err = RandomName(); err != nil {
			return "", err
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
			return "", fmt.Errorf("the name %q is taken by container %s: choose another with --name, or remove it with `minibox rm %s`", name, s.ShortID(), name)
		}
	}
	return name, nil
}

// record takes s's own lock, then writes its directory and first record.
// If that fails, nothing of it is left.
func record(p Paths, s *State) (*Lock, error) {
	lock, err := LockFile(containerLock(p, s.ID))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(p.Container(s.ID), 0o700); err == nil {
		err = s.Save(p)
	}
	if err != nil {
		err = errors.Join(err, removeContainer(p, s.ID))
		lock.Unlock()
		return nil, err
	}
	return lock, nil
}
