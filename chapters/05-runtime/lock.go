package runtime

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// Two locks keep the containers' records true while several minibox
// commands run at once, and after any of them is killed.
//
//  1. The containers' lock, Paths.Lock (Root/containers.lock), is held by
//     whoever adds or removes containers: Create (so that names stay
//     unique), Remove, Prune and Reconcile. It is held for milliseconds,
//     never while a container runs.
//  2. A container's lock, containerLock (Run/ID.lock), is taken by Create
//     and handed to the container's supervisor, which holds it until the
//     container's last record is written: only its holder writes the
//     record. A held lock means "a supervisor looks after this
//     container"; a free one means nobody does, whatever the record says.
//     supervised asks this without waiting.
//
// Order: the containers' lock first, then a container's, never the other
// way round, so two commands cannot wait for each other. Reconcile takes
// both: a record says "running" and its lock is free, so its supervisor
// was killed, and Reconcile kills what is left and writes the record the
// supervisor could not. The kernel drops a flock when its holder dies, and
// Run is a tmpfs emptied at boot: neither lock can outlive what it guards.

// Lock is an exclusive flock(2) on a file. The kernel drops it when the
// process dies, however it dies: a killed minibox never leaves a stale lock.
type Lock struct{ f *os.File }

// LockFile takes the lock on path, waiting for it.
func LockFile(path string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() error { return l.f.Close() }

// tryLock takes the lock on an existing path if it is free, and returns
// nil, nil if someone holds it.
//
//workshop:exercise rt.lock
func tryLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if err == unix.EWOULDBLOCK {
			return nil, nil
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

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
