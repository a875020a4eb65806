package namespaces

import (
	"errors"
	"syscall"
)

// SetupError is an error in the container's init before its command ran.
// The init sends it to the parent over its reply pipe (chroot.Fail), so
// the user reads "pivot_root /x/rootfs: invalid argument", not "exit
// status 1".
type SetupError struct {
	Msg      string        // what the init was doing and what went wrong
	Errno    syscall.Errno // the failed syscall's errno, or 0
	ExitCode int           // ExitSetupFailed, ExitCannotExec or ExitNotFound
}

// ErrCommandNotFound matches (with errors.Is) a SetupError for a command
// that is not in the container.
var ErrCommandNotFound = errors.New("command not found in the container")

func (e *SetupError) Error() string { return "container init: " + e.Msg }

// Unwrap gives the errno, so errors.Is(err, unix.EINVAL) or
// errors.Is(err, fs.ErrNotExist) work across the process boundary.
func (e *SetupError) Unwrap() error {
	if e.Errno == 0 {
		return nil
	}
	return e.Errno
}

// Is makes errors.Is(err, ErrCommandNotFound) true for a missing command.
func (e *SetupError) Is(target error) bool {
	return target == ErrCommandNotFound && e.ExitCode == ExitNotFound
}
