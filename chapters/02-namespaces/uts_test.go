package namespaces_test

import (
	"os"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestUTSNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	before, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	c := hold(t, namespaces.Config{Rootfs: rootfs(t), Hostname: "box-uts"}, "hostname; echo $HOSTNAME")
	requireOwnNamespace(t, c.Container, "uts")

	if out := c.release(t); out != "box-uts\nbox-uts\n" {
		t.Errorf("hostname and $HOSTNAME inside = %q, want box-uts twice", out)
	}
	if after, _ := os.Hostname(); after != before {
		t.Errorf("the host's hostname changed from %q to %q", before, after)
	}
}
