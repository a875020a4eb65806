package cgroups

import (
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"

	"github.com/google/go-cmp/cmp"
)

func TestParseMountinfoFixtures(t *testing.T) {
	for _, name := range []string{"ubuntu2404-v2", "devmachine-hybrid", "centos7-v1"} {
		t.Run(name, func(t *testing.T) {
			text := fixture(t, name+"/mountinfo")
			got, err := namespaces.ParseMountinfo(text)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Count(text, "\n"); len(got) != want {
				t.Errorf("got %d mounts, want one per line: %d", len(got), want)
			}
		})
	}
}

func TestVisibleMounts(t *testing.T) {
	// 30 is covered by 41, mounted on the same mount point, and takes its
	// child 40 out of sight with it. /dev/pts stacked twice (25, 28) is how
	// this machine's table really looks.
	text := `26 1 254:0 / / rw - ext4 /dev/vda rw
22 26 0:21 / /sys rw - sysfs sysfs rw
23 26 0:6 / /dev rw - devtmpfs devtmpfs rw
25 23 0:23 / /dev/pts rw - devpts devpts rw
28 25 0:25 / /dev/pts rw - devpts devpts rw
30 22 0:27 / /sys/fs/cgroup rw - tmpfs tmpfs rw
40 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
41 30 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
`
	mounts, err := namespaces.ParseMountinfo(text)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, m := range visibleMounts(mounts) {
		got = append(got, m.ID)
	}
	want := []int{26, 22, 23, 28, 41}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("visible mount IDs mismatch (-want +got):\n%s", diff)
	}
}
