package chroot_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestEscapeReadsAHostFile(t *testing.T) {
	testutil.RequireRoot(t)
	root := testutil.BusyboxRootfs(t)
	secret := filepath.Join(filepath.Dir(root), "secret")
	if err := os.WriteFile(secret, []byte("only the host can read this\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := tree(t, root)

	res, err := chroot.RunEscape(root, secret)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.SeenInJail, "no such file") {
		t.Errorf("inside the jail, reading %s gave %q; want no such file", secret, res.SeenInJail)
	}
	if !res.Escaped {
		t.Errorf("after the escape / is %+v, not the host's root", res.Root)
	}
	if res.SeenOutside != "only the host can read this\n" {
		t.Errorf("after the escape, reading %s gave %q; want the host's file", secret, res.SeenOutside)
	}
	if len(res.Steps) != 6 {
		t.Errorf("escape took %d steps, want the 6 syscalls of the recipe: %q", len(res.Steps), res.Steps)
	}
	if diff := cmp.Diff(before, tree(t, root)); diff != "" {
		t.Errorf("the escape left changes in the jail (-before +after):\n%s", diff)
	}
}

func TestClimbToTop(t *testing.T) {
	// A temporary directory, by its real path (TMPDIR may be a symlink):
	// one chdir("..") per directory between it and "/".
	deep, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	deep = filepath.Join(deep, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	root, err := chroot.StatID("/")
	if err != nil {
		t.Fatal(err)
	}
	for name, start := range map[string]string{"from a temporary directory": deep, "from /": "/"} {
		t.Run(name, func(t *testing.T) {
			t.Chdir(start)
			climbed, err := chroot.ClimbToTop()
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Count(strings.TrimSuffix(start, "/"), "/"); climbed != want {
				t.Errorf("climbed %d times from %s; want %d, one chdir(\"..\") per directory up to /", climbed, start, want)
			}
			at, err := chroot.StatID(".")
			if err != nil {
				t.Fatal(err)
			}
			if at != root {
				t.Errorf("after the climb from %s the working directory is %+v; want the top, / %+v", start, at, root)
			}
		})
	}
}

func TestEscapeErrorReachesTheParent(t *testing.T) {
	testutil.RequireRoot(t)
	_, err := chroot.RunEscape(filepath.Join(t.TempDir(), "missing"), "/etc/hostname")
	if err == nil || !strings.Contains(err.Error(), "chroot") || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("RunEscape into a missing jail = %v; want the child's chroot error", err)
	}
}

// tree lists every path under root with its mode.
func tree(t *testing.T, root string) map[string]fs.FileMode {
	t.Helper()
	m := map[string]fs.FileMode{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		m[strings.TrimPrefix(p, root)] = d.Type()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
