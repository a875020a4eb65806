package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRunWithTerminal runs `minibox run -t` on a terminal, as a learner
// types it: script(1) gives it a pseudo-terminal for its standard input.
// The container's shell must find a terminal on its stdin, and minibox
// must end with the shell's exit code.
func TestRunWithTerminal(t *testing.T) {
	b := newBox(t)
	if _, err := exec.LookPath("script"); err != nil {
		t.Fatalf("script(1) is needed (Debian's bsdutils): %v", err)
	}
	line := minibox + " run -t --rm busybox sh -c 'test -t 0 && test -t 1 && echo on a terminal; exit 4'"
	cmd := b.cmd()
	cmd.Path, cmd.Args = "script", []string{"script", "-qec", line, "/dev/null"}
	cmd.Path, _ = exec.LookPath("script")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "on a terminal") || code != 4 {
		t.Errorf("minibox run -t: exit %d, output %q; want the shell on a terminal, and its exit code 4", code, out)
	}

	// Without a terminal to attach, -t is refused clearly.
	r := b.mb("run", "-t", "--rm", "busybox", "true")
	if r.code != 125 || !strings.Contains(r.stderr, "-t needs a terminal") {
		t.Errorf("minibox run -t without a terminal: %v", r)
	}
}
