package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestContainersAreConfined: a default `minibox run` and a `minibox exec`
// into it keep Docker's capabilities, with no_new_privs and the seccomp
// filter; the flags change that as docker's do.
func TestContainersAreConfined(t *testing.T) {
	b := newBox(t)
	status := "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status"
	want := "CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t1\nSeccomp:\t2\n"
	if out := b.ok("run", "--rm", "busybox", "sh", "-c", status); out != want {
		t.Errorf("minibox run:\n%s\nwant:\n%s", out, want)
	}
	b.ok("run", "-d", "--name", "conf", "busybox", "sleep", "1000")
	if out := b.ok("exec", "conf", "sh", "-c", status); out != want {
		t.Errorf("minibox exec:\n%s\nwant:\n%s", out, want)
	}
	// The defences the flags take away, one at a time.
	if out := b.ok("run", "--rm", "--cap-drop", "ALL", "--cap-add", "KILL", "busybox", "grep", "CapEff", "/proc/self/status"); out != "CapEff:\t0000000000000020\n" {
		t.Errorf("--cap-drop ALL --cap-add KILL: %q, want KILL (bit 5) alone", out)
	}
	if out := b.ok("run", "--rm", "--security-opt", "seccomp=unconfined", "busybox", "grep", "Seccomp:", "/proc/self/status"); out != "Seccomp:\t0\n" {
		t.Errorf("seccomp=unconfined: %q", out)
	}
	r := b.mb("run", "--rm", "busybox", "unshare", "-U", "true")
	if r.code == 0 || !strings.Contains(r.stderr, "Operation not permitted") {
		t.Errorf("unshare -U in a default container: %v, want it refused", r)
	}
	b.ok("run", "--rm", "--privileged", "busybox", "unshare", "-U", "true")
	// --device adds the node and its rule: the kernel's log opens (with
	// the capability that reading it needs), as it does not without.
	read := []string{"sh", "-c", "head -c 1 /dev/kmsg >/dev/null && echo read"}
	if out := b.ok(append([]string{"run", "--rm", "--cap-add", "SYSLOG", "--device", "/dev/kmsg", "busybox"}, read...)...); out != "read\n" {
		t.Errorf("--device /dev/kmsg: %q", out)
	}
	if r := b.mb(append([]string{"run", "--rm", "--cap-add", "SYSLOG", "busybox"}, read...)...); r.code == 0 {
		t.Errorf("/dev/kmsg without --device: %v, want no such file", r)
	}
	// inspect shows the profile.
	if out := b.ok("inspect", "conf"); !strings.Contains(out, `"NoNewPrivileges": true`) || !strings.Contains(out, `"NET_BIND_SERVICE"`) {
		t.Errorf("inspect shows no security profile:\n%s", out)
	}
	b.ok("rm", "-f", "conf")
	b.checkClean()
}

// TestLogIsCapped: a detached container that writes far more than its log
// may hold fills no disk: its log files stay under max-size each, max-file
// of them are kept, and `minibox logs` shows the newest output, in order.
func TestLogIsCapped(t *testing.T) {
	b := newBox(t)
	b.ok("run", "-d", "--name", "chatty", "--log-opt", "max-size=1k", "--log-opt", "max-file=2", "busybox", "seq", "1", "5000")
	waitFor(t, "chatty to exit", func() bool { return strings.Contains(b.ok("ps", "-a"), "Exited (0)") })
	logs := b.ok("logs", "chatty")
	if len(logs) > 2048 || !strings.HasSuffix(logs, "\n4999\n5000\n") {
		t.Errorf("logs: %d bytes ending %q; want at most 2 KiB ending with 5000", len(logs), logs[max(0, len(logs)-20):])
	}
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i-1] >= lines[i] && len(lines[i-1]) == len(lines[i]) {
			t.Fatalf("logs out of order at %q, %q", lines[i-1], lines[i])
		}
	}
	b.ok("rm", "chatty")
	b.checkClean()
}

// TestCommitTakesNothingOfTheHost: a running container swaps a directory
// for a symlink to /etc and back, without end, while it is committed: no
// committed image holds a file of the host's /etc (debian_version, which
// the busybox image lacks). The container is frozen for each commit, and
// the walk follows no symlink.
func TestCommitTakesNothingOfTheHost(t *testing.T) {
	b := newBox(t)
	b.ok("run", "-d", "--name", "swapper", "busybox", "sh", "-c",
		"mkdir /d; ln -s /etc /l; while :; do mv /d /x; mv /l /d; mv /d /l; mv /x /d; done")
	for i := range 10 {
		tag := "swapped:" + string(rune('a'+i))
		if r := b.mb("commit", "swapper", tag); r.code != 0 {
			t.Fatalf("commit %d: %v", i, r)
		}
		if out := b.ok("run", "--rm", tag, "sh", "-c", "find / -xdev -name debian_version | wc -l"); out != "0\n" {
			t.Fatalf("commit %d holds the host's /etc/debian_version", i)
		}
		b.ok("rmi", tag)
	}
	b.ok("rm", "-f", "swapper")
	b.checkClean()
}

// TestSeccompProfileFile: a profile in Docker's format replaces the
// default filter, with its errno and its comparison of an argument.
func TestSeccompProfileFile(t *testing.T) {
	b := newBox(t)
	profile := filepath.Join(b.base, "deny.json")
	if err := os.WriteFile(profile, []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := b.mb("run", "--rm", "--security-opt", "seccomp="+profile, "busybox", "sh", "-c",
		"grep Seccomp: /proc/self/status; linux64 echo 64 runs; mkdir /tmp/x; linux32 echo 32 runs")
	want := []string{"can't create directory '/tmp/x': Permission denied", "linux32: personality(0x8): Operation not permitted"}
	if r.stdout != "Seccomp:\t2\n64 runs\n" || !strings.Contains(r.stderr, want[0]) || !strings.Contains(r.stderr, want[1]) {
		t.Errorf("with the profile: %v; want seccomp on, linux64 allowed, mkdir EACCES, personality(8) EPERM", r)
	}
	b.checkClean()
}

// TestLogsFollowAcrossRotations: logs -f of a container that rotates its
// log many times while it is followed shows every line to the last.
func TestLogsFollowAcrossRotations(t *testing.T) {
	b := newBox(t)
	for i := range 5 {
		name := fmt.Sprintf("rotating-%d", i)
		b.ok("run", "-d", "--name", name, "--log-opt", "max-size=1k", "--log-opt", "max-file=2", "busybox", "seq", "1", "5000")
		if out := b.ok("logs", "-f", name); !strings.HasSuffix(out, "\n4999\n5000\n") {
			t.Errorf("logs -f %s ends %q, want 5000", name, out[max(0, len(out)-20):])
		}
		b.ok("rm", name)
	}
	b.checkClean()
}
