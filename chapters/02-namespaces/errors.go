package namespaces

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// SetupError is an error in the container's init before its command ran.
// The init sends it to the parent over the error pipe (fd 4), so the user
// reads "pivot_root /x/rootfs: invalid argument", not "exit status 1".
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

// errorFD is the child's end of the error pipe (ExtraFiles[1]).
const errorFD = 4

// reportError runs in the init: it sends err to the parent and exits.
func reportError(err error, exitCode int) {
	se := SetupError{Msg: err.Error(), ExitCode: exitCode}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		se.Errno = errno
	}
	pipe := os.NewFile(errorFD, "error pipe")
	if pipe == nil || json.NewEncoder(pipe).Encode(se) != nil {
		// No parent to tell: stderr is the last resort.
		fmt.Fprintln(os.Stderr, se.Error())
	}
	os.Exit(exitCode)
}

// decodeSetupError turns what the parent read from the error pipe back into
// a *SetupError.
func decodeSetupError(msg []byte) error {
	var se SetupError
	if err := json.Unmarshal(msg, &se); err != nil {
		return fmt.Errorf("container init: %s", msg)
	}
	return &se
}
