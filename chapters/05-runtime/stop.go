package runtime

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Kill sends sig to container ref's PID 1, through a pidfd (pidfd.go). From
// outside its PID namespace, a PID 1 gets only the signals it has a
// handler for, and SIGKILL.
func Kill(p Paths, ref string, sig unix.Signal) error {
	s, err := Find(p, ref)
	if err != nil {
		return err
	}
	if s.Status != Running || !supervised(p, s) {
		return fmt.Errorf("container %s is not running (%s): nothing to signal; `minibox ps -a` shows its state", s.Name, describeStatus(s))
	}
	fd, err := openInit(s)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if sig == unix.SIGKILL {
		// A commit that was itself killed can leave the container frozen,
		// and under v1's freezer a frozen process does not die until it
		// is thawed.
		thawQuietly(s)
	}
	if err := unix.PidfdSendSignal(fd, sig, nil, 0); err != nil {
		return fmt.Errorf("signal container %s (PID %d): %w", s.Name, s.Pid, err)
	}
	return nil
}

// Stop asks container ref to stop with SIGTERM, and kills it with SIGKILL
// if it has not exited after timeout, as docker stop does. Many programs
// that run as PID 1 (a shell, sleep) have no SIGTERM handler: for them only
// the SIGKILL works.
func Stop(p Paths, ref string, timeout time.Duration) (*State, error) {
	s, err := Find(p, ref)
	if err != nil {
		return nil, err
	}
	if s.Status != Running {
		return s, nil // stopping a stopped container is no error
	}
	if err := stopRunning(p, ref, s, timeout); err != nil {
		return nil, err
	}
	return finalState(p, s)
}

// stopRunning stops running container s, which the user named ref: a
// SIGTERM, then a SIGKILL if it has not exited after timeout. It returns
// once s's supervisor has written its last record.
//
//workshop:exercise rt.stop
func stopRunning(p Paths, ref string, s *State, timeout time.Duration) error {
	if err := Kill(p, ref, unix.SIGTERM); err != nil {
		return err
	}
	if waitExited(p, s, timeout) != nil {
		// It may exit between the wait and the signal: then it is stopped.
		if err := Kill(p, ref, unix.SIGKILL); err != nil && supervised(p, s) {
			return err
		}
		if err := waitExited(p, s, 10*time.Second); err != nil {
			return err
		}
	}
	return nil
}

// finalState reads s's last record: the one its supervisor wrote, or, for
// a --rm container that is gone with its record, s marked exited.
func finalState(p Paths, s *State) (*State, error) {
	last, err := LoadState(p, s.ID)
	if errors.Is(err, os.ErrNotExist) {
		s.Status = Exited
		return s, nil
	}
	return last, err
}
