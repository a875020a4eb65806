package namespaces_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"

	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

// TestInheritedFilesStayOutside: a host directory this process holds open
// without close-on-exec, as a shell's `exec 7</` would, does not reach the
// container's command. With it, `ls /proc/self/fd/42/..` would list the
// host's files from inside.
func TestInheritedFilesStayOutside(t *testing.T) {
	testutil.RequireRoot(t)
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	const leaked = 42
	// dup2(2) makes the copy without close-on-exec, as a shell does.
	if err := unix.Dup2(int(dir.Fd()), leaked); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(leaked)
	out := sh(t, rootfs(t), false, "if [ -e /proc/self/fd/42 ]; then echo leaked; else echo closed; fi; ls /proc/self/fd")
	if out != "closed\n0\n1\n2\n3\n" {
		t.Errorf("the container's open files = %q, want only its standard streams (and ls's own 3)", out)
	}
}

// TestContainerLeadsItsOwnSession: the container's PID 1 is the leader of
// a session of its own (its session ID is its PID, 1), so the caller's
// terminal is not its controlling terminal, and TIOCSTI cannot push input
// into it. In the caller's session it would show session 0: a process of
// another PID namespace.
func TestContainerLeadsItsOwnSession(t *testing.T) {
	testutil.RequireRoot(t)
	out := sh(t, rootfs(t), false, "cut -d' ' -f6 /proc/1/stat")
	if out != "1\n" {
		t.Errorf("the container's session = %q, want 1: its PID 1 leads a session of its own", out)
	}
}

// TestInitRunsFromASealedCopy: until it executes the command, the init is
// this binary, and the container can see it as its PID 1. /proc/PID/exe
// must name a sealed copy in memory, not this binary's file, which the
// container could otherwise open and, once it is free, overwrite.
func TestInitRunsFromASealedCopy(t *testing.T) {
	testutil.RequireRoot(t)
	var exe, about string
	var seals int
	var seen error
	_, err := namespaces.Run(namespaces.Config{
		Rootfs: rootfs(t), Args: []string{"true"},
		Started: func(pid int) error {
			// The init waits for its orders: it is still this binary.
			exe, seen = initExe(pid)
			about = describe(pid)
			if seen != nil {
				return nil
			}
			f, err := os.Open(fmt.Sprintf("/proc/%d/exe", pid))
			if err != nil {
				seen = err
				return nil
			}
			defer f.Close()
			seals, seen = unix.FcntlInt(f.Fd(), unix.F_GET_SEALS, 0)
			return nil
		},
	})
	if err != nil || seen != nil {
		t.Fatal(err, seen)
	}
	if !strings.HasPrefix(exe, "/memfd:minibox") {
		t.Errorf("the init's /proc/PID/exe is %q, want the sealed copy /memfd:minibox; the init was %s", exe, about)
	}
	if seals&unix.F_SEAL_WRITE == 0 || seals&unix.F_SEAL_SEAL == 0 {
		t.Errorf("the copy's seals are %#x, want F_SEAL_WRITE and F_SEAL_SEAL among them", seals)
	}
}

// TestInitRefusesToRunUnsealed: an init started from this binary's own
// file, not its sealed copy, sets nothing up and says why.
func TestInitRefusesToRunUnsealed(t *testing.T) {
	testutil.RequireRoot(t)
	child, err := chroot.Start(namespaces.UnsealedInit())
	if err != nil {
		t.Fatal(err)
	}
	// The init fails before it reads its orders: sending them may find
	// the pipe closed, which is no failure of the test.
	_ = child.Send(map[string]any{"Rootfs": rootfs(t), "Args": []string{"true"}})
	replied, err := child.Reply(nil)
	if replied || err == nil || !strings.Contains(err.Error(), "not from a sealed copy") {
		t.Errorf("the unsealed init replied %v, %v; want an error saying it runs not from a sealed copy", replied, err)
	}
	if err := child.Cmd.Wait(); err == nil {
		t.Error("the unsealed init exited 0, want the setup failure's exit code")
	}
}

// initExe is what /proc/PID/exe names for the init, once its exec of the
// sealed copy shows there. On Debian's 6.1.192 kernel under emulation,
// /proc/PID/exe was seen, now and then, still naming this test binary
// when Started ran: the child's exec had gone past the point where Go's
// Start returns (its close-on-exec pipe closed) but the kernel had not yet
// put the new program in place. The init's own first act is to check
// that it runs sealed (checkSealed, TestInitRefusesToRunUnsealed); this
// waits, at most 2 s, for /proc to catch up.
func initExe(pid int) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	link := fmt.Sprintf("/proc/%d/exe", pid)
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(time.Millisecond) {
		exe, err := os.Readlink(link)
		if err != nil || exe != self || time.Now().After(deadline) {
			return exe, err
		}
	}
}

// describe says what a process is, from its /proc/PID: its command line,
// and its state, parent and PIDs from status. A failure shows which
// process the test saw.
func describe(pid int) string {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return err.Error()
	}
	s := fmt.Sprintf("PID %d, cmdline %q", pid, strings.ReplaceAll(string(cmdline), "\x00", " "))
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s + ", " + err.Error()
	}
	for _, line := range strings.Split(string(status), "\n") {
		for _, key := range []string{"State:", "PPid:", "NSpid:"} {
			if strings.HasPrefix(line, key) {
				s += ", " + strings.Join(strings.Fields(line), " ")
			}
		}
	}
	return s
}
