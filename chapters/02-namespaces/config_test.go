package namespaces_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

func run(t *testing.T, cfg namespaces.Config) (string, int, error) {
	t.Helper()
	var out bytes.Buffer
	cfg.Stdout, cfg.Stderr = &out, &out
	code, err := namespaces.Run(cfg)
	return out.String(), code, err
}

func TestEnvAndWorkingDirectory(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	out, code, err := run(t, namespaces.Config{
		Rootfs: root, Dir: "/etc",
		Env:  []string{"GREETING=hello world", "HOME=/tmp", "PATH=/bin"},
		Args: []string{"sh", "-c", `echo "$GREETING"; echo $HOME; echo $PATH; pwd`},
	})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if want := "hello world\n/tmp\n/bin\n/etc\n"; out != want {
		t.Errorf("output %q, want %q (Env adds and replaces; Dir is the working directory)", out, want)
	}
}

func TestBadEnvAndDir(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	tests := []struct {
		name string
		cfg  namespaces.Config
		code int
		want string
	}{
		{"env without =", namespaces.Config{Env: []string{"NOEQUALS"}}, namespaces.ExitSetupFailed, "want KEY=value"},
		{"relative dir", namespaces.Config{Dir: "etc"}, namespaces.ExitSetupFailed, "want an absolute path"},
		{"missing dir", namespaces.Config{Dir: "/nope"}, namespaces.ExitSetupFailed, "working directory /nope: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Rootfs, tt.cfg.Args = root, []string{"true"}
			_, code, err := run(t, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || code != tt.code {
				t.Errorf("Run = %d, %v; want %d and an error containing %q", code, err, tt.code, tt.want)
			}
		})
	}
}

// TestStartedRunsBeforeTheCommand: when Started is called, the init is
// still the re-executed binary waiting for its spec, not the command.
func TestStartedRunsBeforeTheCommand(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	var seen string
	out, code, err := run(t, namespaces.Config{
		Rootfs: root, Args: []string{"true"},
		Started: func(pid int) error {
			exe, err := initExe(pid)
			seen = exe
			return err
		},
	})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	// This binary still, as its sealed copy (sealed.go), not yet true.
	if !strings.HasPrefix(seen, "/memfd:minibox") {
		t.Errorf("in Started the init runs %q, want this test binary's sealed copy /memfd:minibox (not yet the command)", seen)
	}

	stop := errors.New("no cgroup for you")
	_, _, err = run(t, namespaces.Config{Rootfs: root, Args: []string{"true"}, Started: func(int) error { return stop }})
	if !errors.Is(err, stop) {
		t.Errorf("a Started error: Run = %v, want it passed on", err)
	}
}

func TestTerminal(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer pts.Close()
	var out bytes.Buffer
	code, err := namespaces.Run(namespaces.Config{
		Rootfs: root, Terminal: true, Stdin: pts, Stderr: &out,
		Args: []string{"sh", "-c", "test -t 0 && echo 'stdin is a terminal' >&2"},
	})
	if err != nil || code != 0 || out.String() != "stdin is a terminal\n" {
		t.Errorf("with Terminal: exit %d, %v, stderr %q", code, err, out.String())
	}
}
