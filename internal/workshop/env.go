package workshop

import (
	"fmt"
	"io"
	"strings"
)

// Env is what a step runs with.
type Env struct {
	Out   io.Writer
	Style Style
	// Dir holds what the steps make: the busybox userland and friends.
	// The workshop command makes it $MINIBOX_ROOT/workshop (MINIBOX_ROOT
	// defaults to /var/lib/minibox).
	Dir string
}

// Say prints a line of explanation.
func (e *Env) Say(format string, args ...any) {
	fmt.Fprintf(e.Out, "  "+format+"\n", args...)
}

// Note prints a line in a quieter style.
func (e *Env) Note(format string, args ...any) {
	fmt.Fprintln(e.Out, "  "+e.Style.Dim(fmt.Sprintf(format, args...)))
}

// Shell shows a command as typed at a prompt ("host$", "jail#"), then its
// output, indented.
func (e *Env) Shell(prompt, command, output string) {
	fmt.Fprintf(e.Out, "  %s %s\n", e.Style.Prompt(prompt), command)
	output = strings.TrimRight(output, "\n")
	if output == "" {
		return
	}
	for _, line := range strings.Split(output, "\n") {
		fmt.Fprintf(e.Out, "  %s\n", line)
	}
}
