package main

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestForegroundRunForwardsSignals: a signal to `minibox run` reaches the
// container's PID 1, through the supervisor, and minibox ends with the
// command's exit code.
func TestForegroundRunForwardsSignals(t *testing.T) {
	b := newBox(t)
	cmd := b.cmd("run", "--rm", "busybox", "sh", "-c", `trap "echo got TERM; exit 7" TERM; echo ready; while true; do sleep 0.1; done`)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	if line, err := r.ReadString('\n'); err != nil || line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the container said %q (%v), want ready", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := r.ReadString(0)
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if !strings.Contains(rest, "got TERM") || code != 7 {
		t.Errorf("after SIGTERM to minibox run: exit %d, output %q; want the trap's \"got TERM\" and exit 7", code, rest)
	}
}
