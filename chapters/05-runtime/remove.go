package runtime

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Remove removes container ref. A running container is removed only with
// force, which kills it first.
func Remove(p Paths, ref string, force bool) (*State, error) {
	s, err := Find(p, ref)
	if err != nil {
		return nil, err
	}
	if s.Status == Damaged && supervised(p, s) {
		return nil, fmt.Errorf("container %s has a damaged record, and its supervisor still runs (it holds %s): wait for it to end", s.ShortID(), containerLock(p, s.ID))
	}
	if s.Status != Exited && s.Status != Damaged {
		if !force {
			return nil, fmt.Errorf("container %s is running: stop it first (`minibox stop %s`), or remove it anyway with `minibox rm -f %s`", s.Name, s.Name, s.Name)
		}
		if err := Kill(p, s.Name, unix.SIGKILL); err != nil {
			return nil, err
		}
		if err := waitExited(p, s, 10*time.Second); err != nil {
			return nil, err
		}
	}
	lock, err := LockFile(p.Lock())
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	return s, removeContainer(p, s.ID)
}

// Prune removes every exited container, after Reconcile has cleaned up
// after killed minibox processes. It returns the names removed.
func Prune(p Paths) ([]string, error) {
	if err := Reconcile(p); err != nil {
		return nil, err
	}
	lock, err := LockFile(p.Lock())
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	all, err := list(p)
	if err != nil {
		return nil, err
	}
	var names []string
	var errs []error
	for _, s := range all {
		if s.Status == Exited {
			names = append(names, s.Name)
			errs = append(errs, removeContainer(p, s.ID))
		}
	}
	return names, errors.Join(errs...)
}

// waitExited waits until s's supervisor has finished: its lock is free.
func waitExited(p Paths, s *State, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for supervised(p, s) {
		if time.Now().After(deadline) {
			return fmt.Errorf("container %s did not exit within %s", s.Name, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// removeContainer removes container id's directory and lock file.
func removeContainer(p Paths, id string) error {
	err := os.RemoveAll(p.Container(id))
	if lerr := os.Remove(containerLock(p, id)); lerr != nil && !errors.Is(lerr, os.ErrNotExist) && err == nil {
		err = lerr
	}
	return err
}
