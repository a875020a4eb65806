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
// sudo: the executable by its absolute path, since sudo resets PATH, and
// the variables that choose where things go, since sudo drops them.
func SudoCommand(args ...string) string {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	words := []string{"sudo"}
	var env []string
	for _, name := range []string{"MINIBOX_ROOT", "MINIBOX_RUN", "XDG_STATE_HOME"} {
		if v := os.Getenv(name); v != "" {
			env = append(env, name+"="+v)
		}
	}
	if len(env) > 0 {
		words = append(append(words, "env"), env...)
	}
	return strings.Join(append(append(words, exe), args...), " ")
}

// RunCommand is how the learner runs step st, as the tutorial shows it:
// with sudo for a step that needs root, and the program as they invoked it.
func RunCommand(st *Step) string {
	cmd := os.Args[0] + " run " + st.Number
	if st.Root {
		return "sudo " + cmd
	}
	return cmd
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
