package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minibox-dev/minibox/internal/testutil"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// learnerCopy copies the repository's source (what git tracks: Go files,
// go.mod and go.sum, the tutorial's pages) into a fresh directory and
// builds bin/workshop and bin/minibox there, as a learner's clone and
// `make build` have them. Practice mode writes into its tree.
func learnerCopy(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "minibox")
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			switch d.Name() {
			case ".git", "bin", "_practice", ".vagrant", ".work":
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, ".md") && rel != "go.mod" && rel != "go.sum" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", "bin/", "./cmd/workshop", "./cmd/minibox")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // static, as make builds them
	build.Dir = dst
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the learner's copy: %v\n%s", err, out)
	}
	return dst
}

// TestLearnerSession is a learner's first exercise, scripted: start
// chapter 2, check (it fails, with the hint aimed at the stub), write the
// function as the reference has it, check (it passes), run the step from
// their own code, and find it all in the progress file.
func TestLearnerSession(t *testing.T) {
	testutil.RequireRoot(t) // ns.hostname's tests and step 2.1 make namespaces
	repo := learnerCopy(t)
	s := newSandbox(t)
	s.env = append(s.env, "MINIBOX_REFERENCE=") // this is practice
	bin := filepath.Join(repo, "bin", "workshop")
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = repo, s.env
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}

	out, code := run("practice", "start", "2")
	if code != 0 {
		t.Fatalf("practice start 2 exited %d:\n%s", code, out)
	}
	mine := filepath.Join(repo, "chapters/02-namespaces/_practice/uts.go")
	mustContain(t, out, "wrote chapters/02-namespaces/_practice/uts.go", "ns.hostname", "practice check ns.hostname")

	out, code = run("practice", "check")
	if code != 1 {
		t.Errorf("check of the stub exited %d, want 1:\n%s", code, out)
	}
	mustContain(t, out, "✗ TestUTSNamespace", "exercise ns.hostname is not written yet",
		"hint: The stub is still there", "practice hint ns.hostname")

	out, _ = run("practice", "hint")
	mustContain(t, out, "hint 1 of 3", "(ask again for the next one)")
	out, code = run("practice", "solution", "ns.hostname")
	if code == 0 || !strings.Contains(out, "has not passed yet") {
		t.Errorf("solution before a pass exited %d, want a refusal:\n%s", code, out)
	}

	// The learner writes the body, as the reference has it.
	ref, err := os.ReadFile(filepath.Join(repo, "chapters/02-namespaces/uts.go"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := workshop.FuncBody(ref, "setHostname")
	if err != nil {
		t.Fatal(err)
	}
	stub, err := os.ReadFile(mine)
	if err != nil {
		t.Fatal(err)
	}
	written, err := workshop.ReplaceBodies(stub, map[string]string{"setHostname": body}, map[string]string{"fmt": "fmt", "unix": "golang.org/x/sys/unix"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, written, 0o644); err != nil {
		t.Fatal(err)
	}

	out, code = run("practice", "check")
	if code != 0 {
		t.Fatalf("check of the written exercise exited %d:\n%s", code, out)
	}
	mustContain(t, out, "✓ TestUTSNamespace", "✓ ns.hostname passes")

	out, code = run("run", "2.1")
	if code != 0 {
		t.Fatalf("run 2.1 from the learner's code exited %d:\n%s", code, out)
	}
	mustContain(t, out, "(practice: your code runs for ns.hostname", "✓ the container has its own hostname")
	if _, err := os.Stat(filepath.Join(repo, "bin/practice/minibox")); err != nil {
		t.Errorf("no minibox built from the learner's code: %v", err)
	}
	out, _ = run("run", "--reference", "2.1")
	if strings.Contains(out, "(practice:") {
		t.Errorf("run --reference ran the learner's code:\n%s", out)
	}

	out, _ = run("practice", "list")
	mustContain(t, out, "✓ ns.hostname", "passed, 1/3 hints")
	out, _ = run("list")
	mustContain(t, out, "✓ 2.1")

	// Reset puts the stub back and forgets the pass.
	if out, code = run("practice", "reset", "ns.hostname"); code != 0 {
		t.Fatalf("reset exited %d:\n%s", code, out)
	}
	again, _ := os.ReadFile(mine)
	if !strings.Contains(string(again), "exercise ns.hostname is not written yet") {
		t.Errorf("reset did not put the stub back:\n%s", again)
	}
	out, _ = run("practice", "list")
	mustContain(t, out, "○ ns.hostname")
}

func TestPracticeBadInput(t *testing.T) {
	repo := learnerCopy(t)
	s := newSandbox(t)
	s.env = append(s.env, "MINIBOX_REFERENCE=") // this is practice
	bin := filepath.Join(repo, "bin", "workshop")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"practice", "start"}, "start takes a chapter number"},
		{[]string{"practice", "start", "x"}, `not "x"`},
		{[]string{"practice", "start", "9"}, "chapter 9 has no exercises"},
		{[]string{"practice", "check"}, "no exercise started: `workshop practice start 1`"},
		{[]string{"practice", "check", "no.such"}, `no exercise "no.such"`},
		{[]string{"practice", "reset", "ns.hostname"}, "is not started"},
		{[]string{"practice", "solution"}, "solution takes one exercise"},
	} {
		cmd := exec.Command(bin, tt.args...)
		cmd.Dir, cmd.Env = repo, s.env
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), tt.want) {
			t.Errorf("workshop %s: %v, %q; want an error containing %q", strings.Join(tt.args, " "), err, out, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(repo, "chapters/02-namespaces/_practice")); !os.IsNotExist(err) {
		t.Errorf("bad input left a _practice folder: %v", err)
	}
}

// TestPracticeWatchChecksOnSave: watch checks the next exercise at once,
// and again when the learner saves their file.
func TestPracticeWatchChecksOnSave(t *testing.T) {
	testutil.RequireRoot(t) // ns.hostname's tests make namespaces
	repo := learnerCopy(t)
	s := newSandbox(t)
	s.env = append(s.env, "MINIBOX_REFERENCE=") // this is practice
	bin := filepath.Join(repo, "bin", "workshop")
	start := exec.Command(bin, "practice", "start", "2")
	start.Dir, start.Env = repo, s.env
	if out, err := start.CombinedOutput(); err != nil {
		t.Fatalf("practice start 2: %v\n%s", err, out)
	}
	watch := exec.Command(bin, "practice", "watch")
	watch.Dir, watch.Env = repo, s.env
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	watch.Stdout, watch.Stderr = w, w
	if err := watch.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	defer func() {
		watch.Process.Kill() // the watch we started, by its PID
		watch.Wait()
	}()
	lines := make(chan string, 100)
	go func() {
		buf := make([]byte, 4096)
		var text string
		for {
			n, err := r.Read(buf)
			text += string(buf[:n])
			for {
				i := strings.IndexByte(text, '\n')
				if i < 0 {
					break
				}
				lines <- text[:i]
				text = text[i+1:]
			}
			if err != nil {
				close(lines)
				return
			}
		}
	}()
	waitFor := func(want string) {
		t.Helper()
		timeout := time.After(60 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("watch ended before printing %q", want)
				}
				if strings.Contains(l, want) {
					return
				}
			case <-timeout:
				t.Fatalf("watch did not print %q within a minute", want)
			}
		}
	}
	waitFor("✗ ns.hostname is not done yet")
	waitFor("watching chapters/02-namespaces/_practice/uts.go")

	mine := filepath.Join(repo, "chapters/02-namespaces/_practice/uts.go")
	stub, err := os.ReadFile(mine)
	if err != nil {
		t.Fatal(err)
	}
	written, err := workshop.ReplaceBodies(stub, map[string]string{"setHostname": "\n\treturn unix.Sethostname([]byte(name))\n"}, map[string]string{"unix": "golang.org/x/sys/unix"})
	if err != nil {
		t.Fatal(err)
	}
	// A later modification time than the first check saw, whatever the
	// file system's clock granularity.
	if err := os.WriteFile(mine, written, 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(2 * time.Second)
	os.Chtimes(mine, future, future)
	waitFor("✓ ns.hostname passes")
}
