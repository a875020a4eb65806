package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/minibox-dev/minibox/chapters"

	"github.com/minibox-dev/minibox/internal/testutil"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/minibox-dev/minibox/tutorial"
)

// workshopBin is the workshop binary, built once for these tests: they run
// it as a learner would.
var workshopBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "workshop-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Readable by all: one test runs the binary as an unprivileged user.
	os.Chmod(dir, 0o755)
	workshopBin = filepath.Join(dir, "workshop")
	// minibox beside it, as make build puts them: chapter 5's steps run it.
	build := exec.Command("go", "build", "-o", dir+"/", ".", "../minibox")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // static, as make builds them
	build.Stderr = os.Stderr
	code := 1
	if err := build.Run(); err == nil {
		// Shared mounts, as on a systemd host; the mount table is checked.
		code = testutil.MainWithSharedMounts(m)
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// sandbox is a fresh MINIBOX_ROOT and state directory for one test.
type sandbox struct {
	env []string
	dir string
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	dir := t.TempDir()
	// One test runs the binary as an unprivileged user: let it in.
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(dir, 0o777)
	env := append(os.Environ(),
		"MINIBOX_ROOT="+filepath.Join(dir, "lib"),
		"MINIBOX_RUN="+filepath.Join(dir, "run"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"),
		"NO_COLOR=1",
		// The reference runs, whatever exercises a developer of the
		// workshop has started in this tree; the practice tests unset it.
		"MINIBOX_REFERENCE=1",
	)
	return &sandbox{env: env, dir: dir}
}

// run runs the workshop binary with args and stdin; it returns the combined
// output and the exit code.
func (s *sandbox) run(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	return s.runAs(t, nil, stdin, args...)
}

func (s *sandbox) runAs(t *testing.T, cred *syscall.Credential, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(workshopBin, args...)
	cmd.Env = s.env
	cmd.Stdin = strings.NewReader(stdin)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("workshop %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestListShowsChaptersAndSteps(t *testing.T) {
	s := newSandbox(t)
	out, code := s.run(t, "", "list")
	if code != 0 {
		t.Fatalf("list exited %d:\n%s", code, out)
	}
	mustContain(t, out, "Chapter 1: A chroot jail", "1.2   Into the jail", "chroot.escape")
	if strings.Contains(out, "✓") {
		t.Errorf("a fresh list shows a step done:\n%s", out)
	}
}

func TestShow(t *testing.T) {
	s := newSandbox(t)
	out, code := s.run(t, "", "show", "chroot.jail")
	if code != 0 {
		t.Fatalf("show exited %d:\n%s", code, out)
	}
	mustContain(t, out, "1.2 Into the jail", "chroot(2)", "$ sudo bin/workshop run 1.2")
	if strings.Contains(out, "<!--") || strings.Contains(out, "1.3 Breaking out") {
		t.Errorf("show printed more than the step's section:\n%s", out)
	}
}

func TestBadInput(t *testing.T) {
	s := newSandbox(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"show", "9.9"}, `no step "9.9": ` + "`workshop list`"},
		{[]string{"run"}, "run takes one step"},
		{[]string{"run", "1.1", "1.2"}, "run takes one step"},
		{[]string{"show"}, "show takes one step"},
		{[]string{"demo", "--chapter", "42"}, "no chapter 42"},
		{[]string{"demo", "--from", "nope"}, `no step "nope"`},
		{[]string{"check", "one"}, "check takes a chapter number"},
		{[]string{"check", "1", "2"}, "check takes one chapter number at most"},
		{[]string{"list", "extra"}, "list takes no arguments"},
		{[]string{"next", "1.2"}, "next takes no arguments"},
		{[]string{"reset", "all"}, "reset takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, code := s.run(t, "", tt.args...)
			if code == 0 {
				t.Errorf("exit 0, want non-zero:\n%s", out)
			}
			mustContain(t, out, tt.want)
		})
	}
}

func TestRunRecordsProgressAndNextMovesOn(t *testing.T) {
	s := newSandbox(t)
	out, code := s.run(t, "", "next")
	if code != 0 {
		t.Fatalf("next exited %d:\n%s", code, out)
	}
	mustContain(t, out, "next: 0.1 Check your machine")

	out, code = s.run(t, "", "run", "1.1")
	if code != 0 {
		t.Fatalf("run 1.1 exited %d:\n%s", code, out)
	}
	mustContain(t, out, "1.1 A userland from busybox", "✓ the userland has")
	out, _ = s.run(t, "", "list")
	mustContain(t, out, "✓ 1.1")
	// Never auto-advance: 0.1 is still the next step.
	out, _ = s.run(t, "", "next")
	mustContain(t, out, "next: 0.1")

	out, code = s.run(t, "", "reset")
	if code != 0 {
		t.Fatalf("reset exited %d:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "lib", "workshop")); !os.IsNotExist(err) {
		t.Errorf("reset left the steps' directory (%v)", err)
	}
	out, _ = s.run(t, "", "list")
	if strings.Contains(out, "✓") {
		t.Errorf("after reset a step is still done:\n%s", out)
	}
}

func TestRootStepWithoutRootPrintsSudo(t *testing.T) {
	testutil.RequireRoot(t) // to become an unprivileged user
	s := newSandbox(t)
	nobody := &syscall.Credential{Uid: 65534, Gid: 65534}
	out, code := s.runAs(t, nobody, "", "run", "chroot.jail")
	if code == 0 {
		t.Fatalf("a root step as nobody exited 0:\n%s", out)
	}
	// sudo drops MINIBOX_ROOT and XDG_STATE_HOME: the command passes them on.
	mustContain(t, out, "needs root", "sudo env MINIBOX_ROOT="+filepath.Join(s.dir, "lib")+" MINIBOX_RUN="+filepath.Join(s.dir, "run")+" XDG_STATE_HOME="+filepath.Join(s.dir, "state")+" "+workshopBin+" run chroot.jail")

	out, code = s.runAs(t, nobody, "", "demo")
	if code == 0 || strings.Contains(out, "0.1 Check your machine") {
		t.Errorf("demo as nobody should stop before the first step, saying it needs root:\n%s", out)
	}
	mustContain(t, out, "need root", workshopBin+" demo")
}

func TestDemoRunsEveryStep(t *testing.T) {
	testutil.RequireRoot(t)
	s := newSandbox(t)
	out, code := s.run(t, "", "demo")
	if code != 0 {
		t.Fatalf("demo exited %d:\n%s", code, out)
	}
	mustContain(t, out, "0.1 Check your machine", "1.3 Breaking out", "PRETTY_NAME=")
	w, err := workshop.Load(tutorial.Pages, chapters.Steps)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("\n%d passed, 0 failed\n", len(w.Steps())); !strings.HasSuffix(out, want) {
		t.Errorf("demo should end with the count of steps:\n%s", out)
	}
}

func TestDemoPresentWaitsForEnter(t *testing.T) {
	testutil.RequireRoot(t)
	s := newSandbox(t)
	// Enter, Enter, then q before the third step.
	out, code := s.run(t, "\n\nq\n", "demo", "--present", "--chapter", "1")
	if code != 0 {
		t.Fatalf("demo --present exited %d:\n%s", code, out)
	}
	mustContain(t, out,
		"Step 1.1  A userland from busybox   (1 of 3)", "$ sudo "+workshopBin+" run 1.1",
		"Step 1.2  Into the jail", "✓ the jail sees only the userland",
		"Step 1.3  Breaking out", "2 passed, 0 failed")
	if strings.Contains(out, "PRETTY_NAME") {
		t.Errorf("the presenter quit before 1.3, but it ran:\n%s", out)
	}

	out, _ = s.run(t, "\n", "demo", "--present", "--chapter", "1", "--from", "1.3")
	mustContain(t, out, "Step 1.3  Breaking out   (1 of 1)", "1 passed, 0 failed")
}

func TestDoctor(t *testing.T) {
	s := newSandbox(t)
	out, code := s.run(t, "", "doctor")
	mustContain(t, out, "busybox", "cgroups", "namespaces")
	// As root on a machine set up by make deps, nothing is missing.
	if os.Geteuid() == 0 && code != 0 {
		t.Errorf("doctor exited %d as root:\n%s", code, out)
	}
}

func TestNoColourWhenPiped(t *testing.T) {
	s := newSandbox(t)
	var env []string
	for _, kv := range s.env {
		if !strings.HasPrefix(kv, "NO_COLOR=") {
			env = append(env, kv)
		}
	}
	s.env = append(env, "TERM=xterm-256color")
	for _, args := range [][]string{{"list"}, {"doctor"}, {"show", "1.2"}} {
		out, _ := s.run(t, "", args...)
		if strings.Contains(out, "\x1b[") {
			t.Errorf("workshop %s printed colour codes into a pipe:\n%q", strings.Join(args, " "), out)
		}
	}
}

func TestDamagedProgressCanBeReset(t *testing.T) {
	s := newSandbox(t)
	state := filepath.Join(s.dir, "state", "minibox")
	os.MkdirAll(state, 0o755)
	if err := os.WriteFile(filepath.Join(state, "progress.json"), []byte("{oops"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := s.run(t, "", "list")
	if code == 0 {
		t.Fatalf("list with damaged progress exited 0:\n%s", out)
	}
	mustContain(t, out, "damaged", "workshop reset")
	out, code = s.run(t, "", "reset")
	if code != 0 {
		t.Fatalf("reset of damaged progress exited %d:\n%s", code, out)
	}
	if out, code = s.run(t, "", "list"); code != 0 {
		t.Errorf("list after reset exited %d:\n%s", code, out)
	}
}

func TestCheckRunsTheChapterTests(t *testing.T) {
	testutil.RequireRoot(t)
	s := newSandbox(t)
	out, code := s.run(t, "", "check", "1")
	if code != 0 {
		t.Fatalf("check 1 exited %d:\n%s", code, out)
	}
	mustContain(t, out, "✓ TestEscapeReadsAHostFile", " passed, 0 failed, 0 skipped")
}
