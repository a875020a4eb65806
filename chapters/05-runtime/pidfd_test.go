package runtime_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
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

// TestRemoveForceThawsAFrozenContainer: a commit killed while it held the
// container frozen leaves it so; `rm -f` still removes it (under v1's
// freezer, a frozen process does not die of SIGKILL until thawed).
func TestRemoveForceThawsAFrozenContainer(t *testing.T) {
	p := newPaths(t)
	s := detach(t, p, "frozen", "sleep", "1000")
	cg, err := cgroups.Open(s.Cgroup)
	if err != nil {
		t.Fatal(err)
	}
	if err := cgroups.Freeze(cg); err != nil {
		t.Fatal(err)
	}
	// If rm -f fails, the container must not stay frozen (and unkillable).
	t.Cleanup(func() { cgroups.Thaw(cg); runtime.Remove(p, "frozen", true) })
	done := make(chan error, 1)
	go func() {
		_, err := runtime.Remove(p, "frozen", true)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("rm -f of a frozen container: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("rm -f of a frozen container did not return in 30 s")
	}
	if _, err := runtime.Find(p, "frozen"); err == nil {
		t.Error("the frozen container is still listed after rm -f")
	}
}
