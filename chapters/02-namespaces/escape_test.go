package namespaces_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestEscapeStaysInTheContainer(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	secret := filepath.Join(filepath.Dir(root), "secret")
	if err := os.WriteFile(secret, []byte("only the host can read this\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := tree(t, root)

	res, err := namespaces.RunEscape(root, secret)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 6 {
		t.Errorf("the escape took %d steps, want chapter 1's 6 syscalls: %q", len(res.Steps), res.Steps)
	}
	if res.Escaped {
		t.Errorf("the escape reached the host's root: %s", res.Explain())
	}
	rootfsID, err := chroot.StatID(root)
	if err != nil {
		t.Fatal(err)
	}
	if res.Root != rootfsID || res.ContainerRoot != rootfsID {
		t.Errorf(`after the escape "/" is %+v; want the rootfs %+v`, res.Root, rootfsID)
	}
	for _, seen := range []string{res.SeenInJail, res.SeenOutside} {
		if !strings.Contains(seen, "no such file") {
			t.Errorf("reading %s in the container gave %q; want no such file", secret, seen)
		}
	}
	if !strings.Contains(res.Explain(), "container's own root") {
		t.Errorf("Explain() = %q; want the reason", res.Explain())
	}
	if diff := cmp.Diff(before, tree(t, root)); diff != "" {
		t.Errorf("the escape left changes in the rootfs (-before +after):\n%s", diff)
	}
}
