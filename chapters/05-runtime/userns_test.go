package runtime_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// userNSPaths is newPaths for containers with a user namespace: their
// root, uid 100000 on the host, must be able to walk down to MINIBOX_ROOT,
// and t.TempDir's directories are 0700.
func userNSPaths(t *testing.T) runtime.Paths {
	t.Helper()
	p := newPaths(t)
	for dir := filepath.Dir(p.Root); dir != os.TempDir() && dir != "/"; dir = filepath.Dir(dir) {
		if err := os.Chmod(dir, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func remapped(args ...string) runtime.Options {
	opt := opts(args...)
	opt.UserNS = true
	return opt
}

// TestUserNSRootIsNobodyOnTheHost: with a user namespace the container's
// root is uid 0 inside and 100000 outside, owns its root directory, and
// the files it makes belong to 100000 on the host.
func TestUserNSRootIsNobodyOnTheHost(t *testing.T) {
	p := userNSPaths(t)
	_, code, err, out := run(t, p, remapped("sh", "-c", "id -u; cat /proc/self/uid_map; touch /made && stat -c %u /made"))
	if err != nil || code != 0 {
		t.Fatalf("run --userns=remap: code %d, %v: %s", code, err, out)
	}
	if got := strings.Fields(out); strings.Join(got, " ") != "0 0 100000 65536 0" {
		t.Errorf("inside: id, uid_map, the owner of a new file = %q, want 0, 0 100000 65536, 0", out)
	}

	s := detach(t, p, "plain", "sleep", "1000")
	opt := remapped("sleep", "1000")
	opt.Name, opt.Detach = "mapped", true
	mapped, code, err := runtime.Run(p, opt)
	if err != nil || code != 0 {
		t.Fatalf("run -d --userns=remap: code %d, %v", code, err)
	}
	for _, c := range []struct {
		s    *runtime.State
		want uint32
	}{{s, 0}, {mapped, 100000}} {
		var st syscall.Stat_t
		if err := syscall.Stat(fmt.Sprintf("/proc/%d", c.s.Pid), &st); err != nil {
			t.Fatal(err)
		}
		if st.Uid != c.want {
			t.Errorf("container %s runs as host uid %d, want %d", c.s.Name, st.Uid, c.want)
		}
	}
	if mapped.UIDMap != "0 100000 65536" || mapped.GIDMap != "0 100000 65536" {
		t.Errorf("the record's maps: %q %q, want the kernel's 0 100000 65536", mapped.UIDMap, mapped.GIDMap)
	}
}

// TestExecJoinsTheUserNamespace: minibox exec into a remapped container
// lands in its user namespace (the same one as PID 1's), as its root,
// with the command's exit code, working directory and errors as always.
func TestExecJoinsTheUserNamespace(t *testing.T) {
	p := userNSPaths(t)
	opt := remapped("sleep", "1000")
	opt.Name, opt.Detach = "mapped", true
	s, code, err := runtime.Run(p, opt)
	if err != nil || code != 0 {
		t.Fatalf("run -d --userns=remap: code %d, %v", code, err)
	}
	want, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/user", s.Pid))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code, err = runtime.Exec(p, "mapped", runtime.ExecOptions{Args: []string{"sh", "-c", "readlink /proc/self/ns/user; id -u; pwd; cat /proc/1/cmdline"}, Dir: "/etc", Stdout: &out, Stderr: &out})
	if err != nil || code != 0 {
		t.Fatalf("exec: code %d, %v: %s", code, err, out.String())
	}
	if got := strings.Fields(out.String()); len(got) != 4 || got[0] != want || got[1] != "0" || got[2] != "/etc" || !strings.HasPrefix(got[3], "sleep") {
		t.Errorf("exec printed %q, want %s, 0, /etc, sleep...", out.String(), want)
	}
	code, err = runtime.Exec(p, "mapped", runtime.ExecOptions{Args: []string{"sh", "-c", "exit 7"}})
	if code != 7 || err != nil {
		t.Errorf("exec sh -c 'exit 7': code %d, %v, want 7 and no error", code, err)
	}
	code, err = runtime.Exec(p, "mapped", runtime.ExecOptions{Args: []string{"no-such-command"}})
	if code != 127 || err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("exec no-such-command: code %d, %v, want 127 and a not-found error", code, err)
	}
}

// TestCommitUnshiftsOwners: what a remapped container changed becomes a
// layer with the owners it saw (0, 1000), not the host's (100000, 101000),
// and a container without a user namespace runs the image as made.
func TestCommitUnshiftsOwners(t *testing.T) {
	p := userNSPaths(t)
	opt := remapped("sh", "-c", "mkdir -p /home/u && echo hi >/home/u/f && chown -R 1000:1000 /home/u && touch /rootfile")
	opt.Name = "maker"
	if _, code, err, out := run(t, p, opt); err != nil || code != 0 {
		t.Fatalf("run: code %d, %v: %s", code, err, out)
	}
	if _, err := runtime.Commit(p, "maker", "made:1"); err != nil {
		t.Fatal(err)
	}
	_, code, err, out := run(t, p, runtime.Options{Config: runtime.Config{Image: "made:1", Args: []string{"stat", "-c", "%n %u:%g", "/home/u/f", "/rootfile"}}})
	if err != nil || code != 0 {
		t.Fatalf("run made:1: code %d, %v: %s", code, err, out)
	}
	if got := strings.TrimSpace(out); got != "/home/u/f 1000:1000\n/rootfile 0:0" {
		t.Errorf("owners in the committed image: %q, want /home/u/f 1000:1000 and /rootfile 0:0", got)
	}
}

// TestExecSaysWhenNsenterFails: an exit of nsenter itself (it could not
// join, or could not start minibox) is minibox's error, never passed off
// as the command's exit code.
func TestExecSaysWhenNsenterFails(t *testing.T) {
	p := userNSPaths(t)
	opt := remapped("sleep", "1000")
	opt.Name, opt.Detach = "mapped", true
	if _, code, err := runtime.Run(p, opt); err != nil || code != 0 {
		t.Fatalf("run -d --userns=remap: code %d, %v", code, err)
	}
	fake := t.TempDir()
	if err := os.WriteFile(filepath.Join(fake, "nsenter"), []byte("#!/bin/sh\necho 'nsenter: setns failed' >&2\nexit 127\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", fake+":"+os.Getenv("PATH"))
	var out bytes.Buffer
	code, err := runtime.Exec(p, "mapped", runtime.ExecOptions{Args: []string{"true"}, Stdout: &out, Stderr: &out})
	if code != runtime.ExitRuntime || err == nil || !strings.Contains(err.Error(), "nsenter exited (127) before minibox could start") {
		t.Errorf("exec with a failing nsenter: code %d, %v (%s), want %d and a nsenter-exited error", code, err, out.String(), runtime.ExitRuntime)
	}
}
