package runtime

import (
	"errors"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
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
