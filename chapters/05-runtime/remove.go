package runtime

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"golang.org/x/sys/unix"
)

// supervised reports whether container s has a live supervisor: whether
// someone holds its lock. A lock dies with its holder, so this is true
// even when a PID has been reused.
func supervised(p Paths, s *State) bool {
	lock, err := tryLock(containerLock(p, s.ID))
	if lock != nil {
		lock.Unlock()
	}
	return lock == nil && err == nil // held by someone else
}

// Reconcile makes the records true again after a minibox process was
// killed: a container that never started is removed; a running one whose
// supervisor is gone has its processes killed and its cgroup removed
// (cgroups.Sweep), and is recorded as exited (or removed, for --rm). Every
// command runs it first, under the containers' lock.
func Reconcile(p Paths) error {
	lock, err := LockFile(p.Lock())
	if err != nil {
		return err
	}
	defer lock.Unlock()
	return reconcile(p)
}

func reconcile(p Paths) error {
	// Cgroups first: those whose supervisor is gone, processes and all.
	// Their removal can wait for a dead supervisor's processes to be
	// reaped, which an init without systemd does late: a group that cannot
	// go yet goes at a later command's Sweep, so its error is no reason to
	// fail this one.
	cgroups.Sweep()
	entries, err := os.ReadDir(p.Containers())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() {
			errs = append(errs, reconcileContainer(p, e.Name()))
		}
	}
	errs = append(errs, removeOrphanLocks(p))
	return errors.Join(errs...)
}

// reconcileContainer checks container id's record against its lock.
func reconcileContainer(p Paths, id string) error {
	s, err := LoadState(p, id)
	if errors.Is(err, os.ErrNotExist) {
		// A directory without a record: a create killed half way.
		return removeContainer(p, id)
	}
	if err != nil || s.Status == Exited {
		return nil
	}
	// Take the lock, if free, and read the record again under it: the
	// supervisor may have written its last record and exited just now.
	lock, err := tryLock(containerLock(p, id))
	if errors.Is(err, os.ErrNotExist) {
		lock, err = LockFile(containerLock(p, id))
	}
	if err != nil || lock == nil {
		return err // held: a supervisor runs it
	}
	defer lock.Unlock()
	if s, err = LoadState(p, id); err != nil || s.Status == Exited {
		return nil
	}
	// Sweep leaves the groups of a supervisor that is dead but not yet
	// reaped (a zombie still has its PID). The free lock says it is gone:
	// remove its container's groups by name (an error: see reconcile).
	removeCgroups(s)
	if s.Status == Created || s.Config.Remove {
		return removeContainer(p, s.ID)
	}
	s.Status, s.ExitCode, s.Finished = Exited, 128+int(unix.SIGKILL), time.Now().UTC()
	s.Error = "its supervisor was killed; the container was killed with it"
	return s.Save(p)
}

// removeOrphanLocks removes the lock files of containers that do not
// exist, whose creation was killed before its directory was made.
func removeOrphanLocks(p Paths) error {
	locks, err := filepath.Glob(filepath.Join(p.Run, "*.lock"))
	if err != nil {
		return err
	}
	var errs []error
	for _, path := range locks {
		id := strings.TrimSuffix(filepath.Base(path), ".lock")
		if _, err := os.Stat(p.Container(id)); !errors.Is(err, os.ErrNotExist) {
			continue
		}
		lock, err := tryLock(path)
		if err != nil || lock == nil {
			continue // held: a run is creating it right now
		}
		errs = append(errs, os.Remove(path))
		lock.Unlock()
	}
	return errors.Join(errs...)
}

// Remove removes container ref. A running container is removed only with
// force, which kills it first.
func Remove(p Paths, ref string, force bool) (*State, error) {
	if err := Reconcile(p); err != nil {
		return nil, err
	}
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
	all, err := List(p)
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

// removeCgroups kills the processes of container s's cgroups, and removes
// them. A supervisor names the group mb-SHORTID-PID: there is one, unless
// supervisors were killed while starting the same container.
func removeCgroups(s *State) error {
	dirs, err := containerCgroups()
	if err != nil {
		return err
	}
	var errs []error
	done := map[string]bool{}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		if done[name] || !strings.HasPrefix(name, cgroupPrefix+s.ShortID()+"-") {
			continue
		}
		done[name] = true
		cg, err := cgroups.Open(name)
		if err == nil {
			err = cg.Remove()
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
