package namespaces_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestUserNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	c := hold(t, namespaces.Config{Rootfs: rootfs(t), UserNS: true}, "id; cat /proc/self/uid_map; stat -c '%U %u' /bin/busybox")
	requireOwnNamespace(t, c.Container, "user")

	// Outside, the container's root is an ordinary user.
	want := fmt.Sprint(namespaces.HostUID)
	for _, field := range []string{"Uid", "Gid"} {
		got := strings.Fields(statusField(t, c.Pid(), field))
		if diff := cmp.Diff([]string{want, want, want, want}, got); diff != "" {
			t.Errorf("/proc/%d/status %s, real, effective, saved and fs (-want +got):\n%s", c.Pid(), field, diff)
		}
	}

	if groups := statusField(t, c.Pid(), "Groups"); groups != "" {
		t.Errorf("supplementary groups %q: the host root's groups were not dropped", groups)
	}

	got := strings.Fields(c.release(t))
	wantInside := []string{
		"uid=0(root)", "gid=0(root)", // id: no supplementary groups
		"0", want, fmt.Sprint(namespaces.IDMapSize), // uid_map: inside, outside, count
		"nobody", "65534", // the host's root, who owns the rootfs, is not mapped
	}
	if diff := cmp.Diff(wantInside, got); diff != "" {
		t.Errorf("inside (-want +got):\n%s", diff)
	}
}

func TestUserNamespaceNeedsAReachableRootfs(t *testing.T) {
	// Checked before anything starts: no root needed.
	root := filepath.Join(t.TempDir(), "rootfs") // t.TempDir is 0700
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := namespaces.Start(namespaces.Config{Rootfs: root, UserNS: true, Args: []string{"sh"}})
	if err == nil || !strings.Contains(err.Error(), "uid 100000") || !strings.Contains(err.Error(), "chmod o+x "+filepath.Dir(filepath.Dir(root))) {
		t.Errorf("Start = %v; want an error naming the unreachable directory and the fix", err)
	}
}

// statusField returns a field of /proc/PID/status, such as "Uid".
func statusField(t *testing.T, pid int, name string) string {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("/proc/%d/status has no %s", pid, name)
	return ""
}
