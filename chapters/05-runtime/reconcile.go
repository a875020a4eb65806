package runtime

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"golang.org/x/sys/unix"
)

// Reconcile makes the records true again after a minibox process was
// killed: a container that never started is removed; a running one whose
// supervisor is gone has its processes killed and its cgroup removed
// (cgroups.Sweep), and is recorded as exited (or removed, for --rm). It
// runs under the containers' lock.
//
// Who reconciles: every exported function of this package that reads or
// changes the containers' records does, first, itself (Create, Run, List,
// Find and all that find a container by name); the functions they call
// use list and find, which do not. So a caller, the CLI included, never
// reconciles by hand, and whatever it is told about a container is true
// at the time it asks.
func Reconcile(p Paths) error {
	lock, err := LockFile(p.Lock())
	if err != nil {
		return err
	}
	defer lock.Unlock()
	return reconcile(p)
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
	// Its processes are gone, and its network namespace with them: the
	// address it leased goes back (an error: see reconcile).
	disconnect(p, s)
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

// reconcile is Reconcile, with the containers' lock already held.
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
