package runtime_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// TestRunForeground runs containers in the foreground: the command's own
// exit code, docker's 125/126/127 when it never ran (and then no container
// is left), and the options and the image's defaults reaching the command.
func TestRunForeground(t *testing.T) {
	p := newPaths(t)
	tests := []struct {
		name     string
		opt      runtime.Options
		stdin    string
		wantCode int
		wantOut  string // the output, exactly; "*" for the container's short ID and a newline
		wantErr  string // a part of the error; "" for none
	}{
		{name: "echo", opt: opts("echo", "hi"), wantOut: "hi\n"},
		{name: "own exit code", opt: opts("sh", "-c", "exit 3"), wantCode: 3},
		{name: "missing command", opt: opts("nosuchcommand"), wantCode: 127, wantErr: "nosuchcommand: command not found"},
		{name: "not executable", opt: opts("/etc/passwd"), wantCode: 126, wantErr: "/etc/passwd: permission denied"},
		{name: "no such image", opt: runtime.Options{Config: runtime.Config{Image: "nosuchimage", Args: []string{"true"}}}, wantCode: 125, wantErr: `no such image "nosuchimage"`},
		{name: "no image", opt: runtime.Options{}, wantCode: 125, wantErr: "no image given"},
		{name: "bad name", opt: runtime.Options{Name: "a b", Config: runtime.Config{Image: "busybox"}}, wantCode: 125, wantErr: `invalid container name "a b"`},
		{name: "env", opt: withConfig(opts("sh", "-c", "echo $FOO; echo $PATH"), func(c *runtime.Config) { c.Env = []string{"FOO=bar"} }),
			wantOut: "bar\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"},
		{name: "env replaces the image's", opt: withConfig(opts("sh", "-c", "echo $PATH"), func(c *runtime.Config) { c.Env = []string{"PATH=/bin"} }),
			wantOut: "/bin\n"},
		{name: "working dir", opt: withConfig(opts("pwd"), func(c *runtime.Config) { c.WorkingDir = "/tmp" }), wantOut: "/tmp\n"},
		{name: "relative working dir", opt: withConfig(opts("pwd"), func(c *runtime.Config) { c.WorkingDir = "tmp" }), wantCode: 125, wantErr: "absolute path"},
		{name: "hostname", opt: withConfig(opts("hostname"), func(c *runtime.Config) { c.Hostname = "box1" }), wantOut: "box1\n"},
		{name: "default hostname is the short ID", opt: opts("hostname"), wantOut: "*"},
		{name: "image's command", opt: opts(), stdin: "echo from the image sh\n", wantOut: "from the image sh\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Stdin = strings.NewReader(tt.stdin)
			before := count(t, p)
			s, code, err, out := run(t, p, tt.opt)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (error: %v, output %q)", code, tt.wantCode, err, out)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one with %q", err, tt.wantErr)
			case tt.wantErr != "":
				if got := runtime.ExitCode(err); got != tt.wantCode {
					t.Errorf("ExitCode(err) = %d, want %d", got, tt.wantCode)
				}
				if n := count(t, p); n != before {
					t.Errorf("a run that failed left a container: %d before, %d after", before, n)
				}
				return
			}
			want := tt.wantOut
			if want == "*" {
				want = s.ShortID() + "\n"
			}
			if diff := cmp.Diff(want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			got, err := runtime.Find(p, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != runtime.Exited || got.ExitCode != tt.wantCode || got.Finished.IsZero() {
				t.Errorf("record: status %s, exit code %d, finished %v; want exited, %d", got.Status, got.ExitCode, got.Finished, tt.wantCode)
			}
		})
	}
}

func withConfig(opt runtime.Options, fn func(*runtime.Config)) runtime.Options {
	fn(&opt.Config)
	return opt
}

// count returns how many containers p has.
func count(t *testing.T, p runtime.Paths) int {
	t.Helper()
	all, err := runtime.List(p)
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

// TestRunRemove checks --rm: the container goes when it exits, in the
// foreground and detached.
func TestRunRemove(t *testing.T) {
	p := newPaths(t)
	opt := opts("true")
	opt.Remove = true
	if _, code, err, out := run(t, p, opt); code != 0 || err != nil {
		t.Fatalf("run --rm true: code %d, %v, %s", code, err, out)
	}
	if n := count(t, p); n != 0 {
		t.Errorf("after run --rm: %d containers, want 0", n)
	}
	opt = opts("sleep", "0.2")
	opt.Remove, opt.Detach = true, true
	if _, code, err := runtime.Run(p, opt); code != 0 || err != nil {
		t.Fatalf("run -d --rm: code %d, %v", code, err)
	}
	waitFor(t, "the detached --rm container to go", 5e9, func() bool { return count(t, p) == 0 })
}

// TestNames checks that a name is given once: a second container with a
// name in use is refused, and says how to fix it.
func TestNames(t *testing.T) {
	p := newPaths(t)
	detach(t, p, "web", "sleep", "100")
	opt := opts("true")
	opt.Name, opt.Detach = "web", true
	_, code, err := runtime.Run(p, opt)
	if code != runtime.ExitRuntime || err == nil || !strings.Contains(err.Error(), `the name "web" is taken`) || !strings.Contains(err.Error(), "minibox rm web") {
		t.Errorf("second run --name web: code %d, error %v; want 125 and the name is taken", code, err)
	}
	if n := count(t, p); n != 1 {
		t.Errorf("%d containers, want 1", n)
	}
}

// TestConcurrentRuns runs 8 containers at once, 4 of them named alike:
// exactly one of those gets the name, and the others all run.
func TestConcurrentRuns(t *testing.T) {
	p := newPaths(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	codes := make([]int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opt := opts("sh", "-c", fmt.Sprintf("exit %d", i))
			if i%2 == 0 {
				opt.Name = "same"
			}
			_, codes[i], errs[i], _ = run(t, p, opt)
		}()
	}
	wg.Wait()
	winners := 0
	for i := 0; i < n; i++ {
		switch {
		case i%2 == 1 && (errs[i] != nil || codes[i] != i):
			t.Errorf("run %d (no name): code %d, %v; want code %d", i, codes[i], errs[i], i)
		case i%2 == 0 && errs[i] == nil:
			winners++
			if codes[i] != i {
				t.Errorf("run %d took the name: code %d, want %d", i, codes[i], i)
			}
		case i%2 == 0 && !strings.Contains(errs[i].Error(), `the name "same" is taken`):
			t.Errorf("run %d (--name same) lost with the wrong error: %v", i, errs[i])
		}
	}
	if winners != 1 {
		t.Errorf("%d runs took the name \"same\", want 1", winners)
	}
	if got := count(t, p); got != n/2+1 {
		t.Errorf("%d containers, want %d", got, n/2+1)
	}
}

// TestFind looks containers up as docker does: name, full ID, a unique
// prefix of the ID; an ambiguous prefix and an unknown name are errors.
func TestFind(t *testing.T) {
	p := runtime.Paths{Root: t.TempDir(), Run: t.TempDir()}
	ids := []string{strings.Repeat("ab", 32), "abcd" + strings.Repeat("0", 60), "ff" + strings.Repeat("1", 62)}
	for i, id := range ids {
		s := &runtime.State{ID: id, Name: fmt.Sprintf("c%d", i), Status: runtime.Exited}
		if err := mkdirState(p, s); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ ref, wantID, wantErr string }{
		{ref: "c1", wantID: ids[1]},
		{ref: ids[0], wantID: ids[0]},
		{ref: "ff", wantID: ids[2]},
		{ref: "abab", wantID: ids[0]},
		{ref: "ab", wantErr: "ab matches 2 containers: give more of the ID"},
		{ref: "nope", wantErr: "no such container: nope (`minibox ps -a` lists them)"},
		{ref: "", wantErr: "no such container"},
	}
	for _, tt := range tests {
		s, err := runtime.Find(p, tt.ref)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Find(%q): %v, want the error %q", tt.ref, err, tt.wantErr)
			}
			if strings.HasPrefix(tt.wantErr, "no such") && !errors.Is(err, runtime.ErrNoSuchContainer) {
				t.Errorf("Find(%q): %v is not ErrNoSuchContainer", tt.ref, err)
			}
		case err != nil:
			t.Errorf("Find(%q): %v", tt.ref, err)
		case s.ID != tt.wantID:
			t.Errorf("Find(%q) = %s, want %s", tt.ref, s.ID, tt.wantID)
		}
	}
}
