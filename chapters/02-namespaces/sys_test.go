package namespaces_test

import (
	"bytes"
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// The fallback for kernels that refuse a sysfs mount in a user namespace:
// the host's /sys, bound read-only.
func TestBindSysIsReadOnly(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	for _, userNS := range []bool{false, true} {
		var stdout, stderr bytes.Buffer
		cmd := namespaces.BindSysCommand(root, userNS)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("user namespace %v: %v: %s", userNS, err, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "ro,nosuid,nodev,noexec") || !strings.HasSuffix(lines[1], "read-only file system") {
			t.Errorf("user namespace %v: /sys bound with options and write result:\n%s\nwant ro,nosuid,nodev,noexec and a read-only file system", userNS, stdout.String())
		}
	}
}
