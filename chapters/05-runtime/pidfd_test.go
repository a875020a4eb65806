package runtime_test

import (
	"os/exec"
	"strings"
	"testing"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"golang.org/x/sys/unix"
)

// TestSignalsNeverReachAReusedPID: a record whose PID has become another
// process's (the container exited and the number was handed out again)
// makes kill and exec refuse, and the other process gets no signal.
func TestSignalsNeverReachAReusedPID(t *testing.T) {
	p := newPaths(t)
	s := detach(t, p, "victim", "sleep", "1000")
	other := exec.Command("sleep", "1000")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { other.Process.Kill(); other.Wait() }()

	// The record now names the other process, as after a PID reuse.
	real := s.Pid
	s.Pid = other.Process.Pid
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	err := runtime.Kill(p, "victim", unix.SIGKILL)
	if err == nil || !strings.Contains(err.Error(), "has exited") {
		t.Errorf("Kill with a reused PID: %v, want a has-exited error", err)
	}
	code, err := runtime.Exec(p, "victim", runtime.ExecOptions{Args: []string{"true"}})
	if err == nil || !strings.Contains(err.Error(), "the container exited") {
		t.Errorf("Exec with a reused PID: exit %d, %v, want a container-exited error", code, err)
	}
	if err := unix.Kill(other.Process.Pid, 0); err != nil {
		t.Errorf("the other process is gone: %v", err)
	}

	s.Pid = real
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if _, err := runtime.Remove(p, "victim", true); err != nil {
		t.Fatal(err)
	}
}
