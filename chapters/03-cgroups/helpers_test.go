package cgroups

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// fixture returns the text of a file under testdata.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jailed returns a command that runs a busybox shell script in a fresh
// userland (chapter 1's jail).
func jailed(t *testing.T, script string) *exec.Cmd {
	t.Helper()
	cmd, err := chroot.JailCommand(testutil.BusyboxRootfs(t), "/bin/sh", "-c", script)
	if err != nil {
		t.Fatal(err)
	}
	return cmd
}

// mustStart starts cmd in a cgroup and makes sure the test ends it.
func mustStart(t *testing.T, cmd *exec.Cmd, name string, l Limits) *Process {
	t.Helper()
	p, err := Start(cmd, name, l)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		p.Kill()
		p.Wait()
	})
	return p
}

// waitFor polls cond until it holds, and fails the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitWithin runs p.Wait, and fails the test if it takes longer than
// timeout.
func waitWithin(t *testing.T, p *Process, timeout time.Duration) (Stats, error) {
	t.Helper()
	type result struct {
		st  Stats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := p.Wait()
		done <- result{st, err}
	}()
	select {
	case r := <-done:
		return r.st, r.err
	case <-time.After(timeout):
		t.Fatalf("Wait did not return within %v", timeout)
		return Stats{}, nil
	}
}

// assertRemoved fails the test if any directory of cg is still there.
func assertRemoved(t *testing.T, cg Cgroup) {
	t.Helper()
	for _, d := range cg.Dirs() {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("cgroup directory %s is still there (%v)", d, err)
		}
	}
}
