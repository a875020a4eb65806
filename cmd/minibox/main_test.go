package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/minibox-dev/minibox/internal/testutil"
	"github.com/minibox-dev/minibox/internal/testutil/netguard"
)

// The tests run the minibox binary as a learner does, and check what it
// prints, its exit code, and that it left nothing behind. It is built once,
// here, into a temporary directory.

var minibox string // the built binary

// TestMain builds minibox, runs the tests with it, and checks that they
// left the machine's own network as it was: those of --network bridge run
// in namespaces of their own (network_test.go).
func TestMain(m *testing.M) {
	os.Exit(netguard.Run(runner(func() int { return buildAndRun(m) })))
}

// runner is a function, as a test runner.
type runner func() int

func (r runner) Run() int { return r() }

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "minibox-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(goruntime.GOROOT(), "bin", "go")
	}
	minibox = filepath.Join(dir, "minibox")
	build := exec.Command(goTool, "build", "-o", minibox, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // static, as make builds them
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build minibox: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// box is one MINIBOX_ROOT and MINIBOX_RUN, to run minibox with.
type box struct {
	t     *testing.T
	paths runtime.Paths
	base  string // the temporary directory holding both
	// lab, if not nil, is the network namespace the box's commands run
	// in, which plays the host (inLab in network_test.go).
	lab *os.File
}

// result is what one run of minibox did.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
}

// newBox makes a fresh state for t, and checks at the end, after removing
// every container, that nothing is left: no container directory or lock,
// no mount, process or cgroup.
func newBox(t *testing.T) *box {
	t.Helper()
	testutil.RequireRoot(t)
	testutil.ExclusiveContainerSuites(t)
	dir := t.TempDir()
	b := &box{t: t, base: dir, paths: runtime.Paths{Root: filepath.Join(dir, "lib"), Run: filepath.Join(dir, "run")}}
	t.Cleanup(func() {
		for _, s := range b.containers() {
			b.mb("rm", "-f", s.ID)
		}
		if r := b.mb("prune"); r.code != 0 {
			t.Errorf("minibox prune: %v", r)
		}
		b.checkClean()
	})
	return b
}

// cmd returns the command `minibox args...` with this box's state.
func (b *box) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(minibox, args...)
	cmd.Env = append(os.Environ(), "MINIBOX_ROOT="+b.paths.Root, "MINIBOX_RUN="+b.paths.Run)
	cmd.Dir = b.base
	return cmd
}

// mb runs `minibox args...` and returns what it did.
func (b *box) mb(args ...string) result {
	b.t.Helper()
	return b.mbIn("", args...)
}

// mbIn runs `minibox args...` with stdin.
func (b *box) mbIn(stdin string, args ...string) result {
	b.t.Helper()
	cmd := b.cmd(args...)
	var out, errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errOut
	err := b.start(cmd)
	if err == nil {
		err = cmd.Wait()
	}
	r := result{stdout: out.String(), stderr: errOut.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		b.t.Fatalf("minibox %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// ok runs `minibox args...`, fails the test unless it exits 0, and returns
// its standard output.
func (b *box) ok(args ...string) string {
	b.t.Helper()
	r := b.mb(args...)
	if r.code != 0 {
		b.t.Fatalf("minibox %s: %v", strings.Join(args, " "), r)
	}
	return r.stdout
}

// containers returns the containers' records.
func (b *box) containers() []*runtime.State {
	b.t.Helper()
	var all []*runtime.State
	list := func() (err error) {
		all, err = runtime.List(b.paths) // which reconciles: in the lab
		return err
	}
	var err error
	if b.lab != nil {
		err = network.Do(b.lab, list)
	} else {
		err = list()
	}
	if err != nil {
		b.t.Fatal(err)
	}
	return all
}

// checkClean fails the test if the box's containers left anything behind.
// The last processes of a killed container may take a moment to go.
func (b *box) checkClean() {
	b.t.Helper()
	left, err := runtime.LeftoversAfter(b.paths, 5*time.Second)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, l := range left {
		b.t.Errorf("left behind: %s", l)
	}
}
