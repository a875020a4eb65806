package namespaces_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

func TestBadInput(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	empty := t.TempDir() // no /proc to mount on: the init fails mid-setup
	missing := filepath.Join(root, "missing")
	tests := []struct {
		name   string
		cfg    namespaces.Config
		code   int
		want   string // in the message
		target error  // for errors.Is, if not nil
	}{
		{"no command", namespaces.Config{Rootfs: root}, namespaces.ExitSetupFailed, "no command given", nil},
		{"empty command", namespaces.Config{Rootfs: root, Args: []string{""}}, namespaces.ExitSetupFailed, "no command given", nil},
		{"no rootfs", namespaces.Config{Args: []string{"sh"}}, namespaces.ExitSetupFailed, "no rootfs given", nil},
		{"missing rootfs", namespaces.Config{Rootfs: missing, Args: []string{"sh"}}, namespaces.ExitSetupFailed, "rootfs: stat " + missing + ": no such file", fs.ErrNotExist},
		{"rootfs is a file", namespaces.Config{Rootfs: filepath.Join(root, "etc/passwd"), Args: []string{"sh"}}, namespaces.ExitSetupFailed, "is not a directory", nil},
		{"command not in the rootfs", namespaces.Config{Rootfs: root, Args: []string{"bash"}}, namespaces.ExitNotFound, "exec bash: command not found in the container (PATH=/bin:/sbin:/usr/bin:/usr/sbin)", namespaces.ErrCommandNotFound},
		{"command not in the rootfs, user namespace", namespaces.Config{Rootfs: root, UserNS: true, Args: []string{"bash"}}, namespaces.ExitNotFound, "exec bash: command not found", namespaces.ErrCommandNotFound},
		{"path not in the rootfs", namespaces.Config{Rootfs: root, Args: []string{"/usr/bin/python3"}}, namespaces.ExitNotFound, "exec /usr/bin/python3: command not found", namespaces.ErrCommandNotFound},
		{"not executable", namespaces.Config{Rootfs: root, Args: []string{"/etc/passwd"}}, namespaces.ExitCannotExec, "exec /etc/passwd: ", fs.ErrPermission},
		{"no /proc in the rootfs", namespaces.Config{Rootfs: empty, Args: []string{"sh"}}, namespaces.ExitSetupFailed, "container init: mount proc on " + empty + "/proc: no such file or directory", fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mounts, files := hostMounts(t), tree(t, filepath.Dir(root))
			code, err := namespaces.Run(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run = %v; want an error containing %q", err, tt.want)
			}
			if tt.target != nil && !errors.Is(err, tt.target) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.target)
			}
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			// Nothing left behind: no mount, no process, no file.
			if diff := cmp.Diff(mounts, hostMounts(t)); diff != "" {
				t.Errorf("host mounts changed (-before +after):\n%s", diff)
			}
			if pids := children(t); len(pids) > 0 {
				t.Errorf("processes left behind: %v", pids)
			}
			if diff := cmp.Diff(files, tree(t, filepath.Dir(root))); diff != "" {
				t.Errorf("files changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestSetupErrorCarriesTheErrno(t *testing.T) {
	testutil.RequireRoot(t)
	_, err := namespaces.Start(namespaces.Config{Rootfs: rootfs(t), Hostname: strings.Repeat("x", 100), Args: []string{"sh"}})
	var se *namespaces.SetupError
	if !errors.As(err, &se) {
		t.Fatalf("Start with a 100-character hostname = %v; want a *SetupError from the init", err)
	}
	if se.Errno != unix.EINVAL || !errors.Is(err, unix.EINVAL) || se.ExitCode != namespaces.ExitSetupFailed {
		t.Errorf("SetupError %+v; want EINVAL, exit %d", se, namespaces.ExitSetupFailed)
	}
	if want := `container init: sethostname "xxx`; !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), ": invalid argument") {
		t.Errorf("message %q, want %s...: invalid argument", err, want)
	}
}

func TestExitCodes(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	code, err := namespaces.Run(namespaces.Config{Rootfs: root, Args: []string{"sh", "-c", "exit 3"}})
	if err != nil || code != 3 {
		t.Errorf("sh -c 'exit 3' = %d, %v; want 3", code, err)
	}

	c, err := namespaces.Start(namespaces.Config{Rootfs: root, Args: []string{"sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Kill(); err != nil {
		t.Fatal(err)
	}
	if code, err := c.Wait(); err != nil || code != 128+int(unix.SIGKILL) {
		t.Errorf("killed container: %d, %v; want %d", code, err, 128+int(unix.SIGKILL))
	}
}

func TestWorkingDirectoryAndEnvironment(t *testing.T) {
	testutil.RequireRoot(t)
	t.Setenv("MINIBOX_HOST_ONLY", "leak")
	t.Setenv("TERM", "xterm")
	out := sh(t, rootfs(t), false, "pwd; env | sort")
	want := "/\nHOME=/root\nHOSTNAME=box\nPATH=/bin:/sbin:/usr/bin:/usr/sbin\nPWD=/\nSHLVL=1\nTERM=xterm\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("inside (-want +got):\n%s", diff)
	}
}
