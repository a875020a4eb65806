package runtime_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// TestMain lets the test binary be re-executed as a supervisor, a
// container's init and an exec, and runs the tests in a mount namespace
// whose mounts are shared, as on a systemd host, failing if the mount table
// changed.
func TestMain(m *testing.M) {
	if chroot.Init() {
		return
	}
	code := testutil.MainWithSharedMounts(m)
	if baseStore != "" {
		os.RemoveAll(filepath.Dir(baseStore))
	}
	os.Exit(code)
}

// newPaths returns a fresh MINIBOX_ROOT and MINIBOX_RUN for t, with
// busybox:latest in its store (copied from one imported once), and checks
// at the end, after removing every container, that nothing was left
// behind: no container directory or lock, no mount, process or cgroup.
func newPaths(t *testing.T) runtime.Paths {
	t.Helper()
	testutil.RequireRoot(t)
	testutil.ExclusiveContainerSuites(t)
	dir := t.TempDir()
	p := runtime.Paths{Root: filepath.Join(dir, "lib"), Run: filepath.Join(dir, "run")}
	if err := os.MkdirAll(p.Root, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", baseImages(t), p.Images()).CombinedOutput(); err != nil {
		t.Fatalf("copy the image store: %v: %s", err, out)
	}
	t.Cleanup(func() { removeAll(t, p); checkClean(t, p) })
	return p
}

var baseStore string

// baseImages returns an image store holding busybox:latest, made on first
// use, as minibox makes it.
func baseImages(t *testing.T) string {
	t.Helper()
	if baseStore != "" {
		return baseStore
	}
	dir, err := os.MkdirTemp("", "minibox-runtime-test-")
	if err != nil {
		t.Fatal(err)
	}
	p := runtime.Paths{Root: dir, Run: filepath.Join(dir, "run")}
	store, err := runtime.OpenImages(p)
	if err == nil {
		_, err = runtime.FindImage(store, "busybox")
	}
	if err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	baseStore = p.Images()
	return baseStore
}

// removeAll removes every container of p, running or not.
func removeAll(t *testing.T, p runtime.Paths) {
	t.Helper()
	all, err := runtime.List(p)
	if err != nil {
		t.Error(err)
	}
	for _, s := range all {
		if _, err := runtime.Remove(p, s.ID, true); err != nil {
			t.Errorf("remove %s: %v", s.Name, err)
		}
	}
	if _, err := runtime.Prune(p); err != nil {
		t.Errorf("prune: %v", err)
	}
}

// checkClean fails t if p's containers left anything on the host. The
// last processes of a container may take a moment to go.
func checkClean(t *testing.T, p runtime.Paths) {
	t.Helper()
	left, err := runtime.LeftoversAfter(p, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range left {
		t.Errorf("left behind: %s", l)
	}
}

// run runs a container in the foreground with opt and returns its record,
// exit code, error and output.
func run(t *testing.T, p runtime.Paths, opt runtime.Options) (*runtime.State, int, error, string) {
	t.Helper()
	var out bytes.Buffer
	if opt.Stdin == nil {
		opt.Stdin = strings.NewReader("")
	}
	opt.Stdout, opt.Stderr = &out, &out
	s, code, err := runtime.Run(p, opt)
	return s, code, err, out.String()
}

// opts returns the options of `minibox run busybox ARGS...`.
func opts(args ...string) runtime.Options {
	return runtime.Options{Config: runtime.Config{Image: "busybox", Args: args}}
}

// detach starts a detached container named name running args.
func detach(t *testing.T, p runtime.Paths, name string, args ...string) *runtime.State {
	t.Helper()
	opt := opts(args...)
	opt.Name, opt.Detach = name, true
	s, code, err := runtime.Run(p, opt)
	if err != nil || code != 0 {
		t.Fatalf("run -d %s: code %d, %v", strings.Join(args, " "), code, err)
	}
	return s
}

// waitFor polls cond every 20ms until it holds or timeout passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}
