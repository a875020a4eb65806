package namespaces_test

import (
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestNetworkNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	for _, userNS := range []bool{false, true} {
		t.Run(map[bool]string{false: "root", true: "user namespace"}[userNS], func(t *testing.T) {
			c := hold(t, namespaces.Config{Rootfs: rootfs(t), UserNS: userNS}, "ip -o link; ping -c 1 -W 1 127.0.0.1 >/dev/null && echo ping ok")
			requireOwnNamespace(t, c.Container, "net")
			lines := strings.Split(strings.TrimSpace(c.release(t)), "\n")
			if len(lines) != 2 {
				t.Fatalf("want one interface and a ping, got:\n%s", strings.Join(lines, "\n"))
			}
			if !strings.HasPrefix(lines[0], "1: lo: <LOOPBACK,UP,LOWER_UP>") {
				t.Errorf("ip link inside: %q, want lo, up", lines[0])
			}
			if lines[1] != "ping ok" {
				t.Errorf("ping 127.0.0.1 inside: %q", lines[1])
			}
		})
	}
}
