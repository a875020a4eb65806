package namespaces_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// rootfs builds a busybox userland that a user namespace's root can reach
// too: t.TempDir's directories are 0700, and that root is uid 100000 on the
// host.
func rootfs(t testing.TB) string {
	t.Helper()
	root := testutil.BusyboxRootfs(t)
	for dir := filepath.Dir(root); dir != os.TempDir() && dir != "/"; dir = filepath.Dir(dir) {
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// sh runs script with busybox sh in a container on root and returns what it
// printed. The script must succeed.
func sh(t *testing.T, root string, userNS bool, script string) string {
	t.Helper()
	var out bytes.Buffer
	code, err := namespaces.Run(namespaces.Config{
		Rootfs: root, UserNS: userNS, Hostname: "box",
		Args:   []string{"sh", "-c", script},
		Stdout: &out, Stderr: &out,
	})
	if err != nil || code != 0 {
		t.Fatalf("sh -c %q in a container: exit %d, %v:\n%s", script, code, err, out.String())
	}
	return out.String()
}

// held is a container kept running until release: its shell runs script,
// then waits for a line on stdin.
type held struct {
	*namespaces.Container
	stdin *os.File
	out   bytes.Buffer
}

func hold(t *testing.T, cfg namespaces.Config, script string) *held {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := &held{stdin: w}
	cfg.Args = []string{"sh", "-c", script + "; read _"}
	cfg.Stdin, cfg.Stdout, cfg.Stderr = r, &h.out, &h.out
	h.Container, err = namespaces.Start(cfg)
	if err != nil {
		w.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { h.release(t) })
	return h
}

// release lets the container finish and returns its output.
func (h *held) release(t *testing.T) string {
	t.Helper()
	if h.stdin == nil {
		return h.out.String()
	}
	if _, err := h.stdin.Write([]byte("\n")); err != nil {
		t.Errorf("release the held container: %v", err)
	}
	h.stdin.Close()
	h.stdin = nil
	if code, err := h.Wait(); err != nil || code != 0 {
		t.Errorf("held container: exit %d, %v:\n%s", code, err, h.out.String())
	}
	return h.out.String()
}

// namespaceOf returns the inode of pid's namespace of type typ (0: this
// process).
func namespaceOf(t *testing.T, pid int, typ string) uint64 {
	t.Helper()
	ns, err := namespaces.ReadNamespaces(pid)
	if err != nil {
		t.Fatal(err)
	}
	return ns[typ]
}

// requireOwnNamespace fails t unless the container has a namespace of type
// typ of its own.
func requireOwnNamespace(t *testing.T, c *namespaces.Container, typ string) {
	t.Helper()
	host, inside := namespaceOf(t, 0, typ), namespaceOf(t, c.Pid(), typ)
	if host == inside {
		t.Errorf("%s namespace: the container's is the host's (%d)", typ, host)
	}
}

func hostMounts(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// children lists this process's child processes, from every thread.
func children(t *testing.T) []int {
	t.Helper()
	files, err := filepath.Glob("/proc/self/task/*/children")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread is gone
		}
		for _, field := range strings.Fields(string(b)) {
			pid, err := strconv.Atoi(field)
			if err != nil {
				t.Fatal(err)
			}
			pids = append(pids, pid)
		}
	}
	return pids
}
