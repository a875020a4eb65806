package runtime

import (
	"errors"
	"fmt"
	"testing"
)

// TestExitCode gives minibox docker's exit codes when the command never
// ran: 125 for minibox's own failure, unless the error carries its code
// (126, 127), however deeply it is wrapped.
func TestExitCode(t *testing.T) {
	notFound := &Error{Code: 127, Err: errors.New("nosuchcommand: command not found")}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"a plain error", errors.New("bad flag"), 125},
		{"command not found", notFound, 127},
		{"cannot execute, wrapped", fmt.Errorf("run: %w", &Error{Code: 126, Err: errors.New("permission denied")}), 126},
		{"the command's own code", &Error{Code: 3, Err: errors.New("exit 3")}, 3},
		{"marked as minibox's", runtimeErr(errors.New("no such image")), 125},
		{"marked, but it has a code already", runtimeErr(fmt.Errorf("start: %w", notFound)), 127},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

// TestRuntimeErr marks an error as minibox's without hiding it: the
// message is the same, and errors.Is still finds the cause.
func TestRuntimeErr(t *testing.T) {
	if err := runtimeErr(nil); err != nil {
		t.Errorf("runtimeErr(nil) = %v, want nil", err)
	}
	cause := fmt.Errorf("find: %w", ErrNoSuchContainer)
	err := runtimeErr(cause)
	var e *Error
	if !errors.As(err, &e) || e.Code != ExitRuntime {
		t.Errorf("runtimeErr(%v) = %#v, want an *Error with code %d", cause, err, ExitRuntime)
	}
	if err.Error() != cause.Error() {
		t.Errorf("message %q, want %q", err, cause)
	}
	if !errors.Is(err, ErrNoSuchContainer) {
		t.Errorf("errors.Is(%v, ErrNoSuchContainer) = false", err)
	}
	// An error with a code already is returned as it is.
	coded := fmt.Errorf("start: %w", &Error{Code: ExitNotFound, Err: errors.New("not found")})
	if got := runtimeErr(coded); got != coded {
		t.Errorf("runtimeErr(%v) = %#v, want it unchanged", coded, got)
	}
}
