package workshop

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// ErrNeedsRoot is returned by RunStep for a step that needs root when the
// runner has none. The runner never escalates on its own.
var ErrNeedsRoot = errors.New("needs root")

// SudoCommand returns the exact command that reruns this invocation with
// sudo: the executable by its absolute path, since sudo resets PATH.
func SudoCommand(args ...string) string {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return "sudo " + strings.Join(append([]string{exe}, args...), " ")
}

// RunStep runs one step: its title, what happens, and its check, ✓ or ✗
// with a hint. The result is recorded in progress (when p is not nil).
func RunStep(e *Env, st *Step, p *Progress) error {
	s := e.Style
	fmt.Fprintf(e.Out, "%s %s\n", s.Bold(st.Number), s.Bold(st.Title))
	if st.Root && os.Geteuid() != 0 {
		fmt.Fprintf(e.Out, "  this step needs root; run it with:\n    %s\n", SudoCommand("run", st.ID))
		return ErrNeedsRoot
	}
	err := st.Run(e)
	if err == nil {
		fmt.Fprintf(e.Out, "%s %s\n", s.Green("✓"), st.Check)
	} else {
		fmt.Fprintf(e.Out, "%s %s\n  %s\n", s.Red("✗"), st.Check, s.Red(err.Error()))
		if st.Hint != "" {
			fmt.Fprintf(e.Out, "  hint: %s\n", st.Hint)
		}
	}
	if p != nil {
		if perr := p.Record(st.ID, err == nil, time.Now()); perr != nil {
			fmt.Fprintf(e.Out, "  (could not save progress to %s: %v)\n", p.Path(), perr)
		}
	}
	return err
}
