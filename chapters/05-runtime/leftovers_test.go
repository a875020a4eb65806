package runtime

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Which mounts are minibox's leftovers, read off mountinfo text: no root
// needed.
func TestLeftoverMounts(t *testing.T) {
	p := Paths{Root: "/var/lib/minibox", Run: "/run/minibox"}
	const mountinfo = `22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
30 22 0:30 / /var/lib/minibox rw,relatime - tmpfs tmpfs rw,mode=755,inode64
31 22 0:31 / /run rw,nosuid - tmpfs tmpfs rw,mode=755
32 30 0:32 / /var/lib/minibox/containers/0123abcd/merged rw,relatime - overlay overlay rw,lowerdir=/var/lib/minibox/images/unpacked/a:/var/lib/minibox/images/unpacked/b,upperdir=/var/lib/minibox/containers/0123abcd/upper,workdir=/var/lib/minibox/containers/0123abcd/work
33 22 0:33 / /mnt/elsewhere rw,relatime - overlay overlay rw,lowerdir=/var/lib/minibox/images/unpacked/a,upperdir=/tmp/u,workdir=/tmp/w
34 22 0:34 / /var/lib/minibox-other/x rw,relatime - tmpfs tmpfs rw
35 31 0:35 / /run/minibox/0123abcd rw,relatime - tmpfs tmpfs rw
`
	got, err := leftoverMounts(mountinfo, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Leftover{
		{Kind: LeftMount, Path: "/var/lib/minibox/containers/0123abcd/merged", Why: "overlay overlay rw,lowerdir=/var/lib/minibox/images/unpacked/a:/var/lib/minibox/images/unpacked/b,upperdir=/var/lib/minibox/containers/0123abcd/upper,workdir=/var/lib/minibox/containers/0123abcd/work"},
		{Kind: LeftMount, Path: "/mnt/elsewhere", Why: "overlay overlay rw,lowerdir=/var/lib/minibox/images/unpacked/a,upperdir=/tmp/u,workdir=/tmp/w"},
		{Kind: LeftMount, Path: "/run/minibox/0123abcd", Why: "tmpfs tmpfs rw"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leftoverMounts (-want +got):\n%s", diff)
	}
	if _, err := leftoverMounts("not mountinfo\n", p); err == nil {
		t.Error("leftoverMounts accepted text that is not mountinfo")
	}
}

func TestLeftoverString(t *testing.T) {
	tests := []struct {
		l    Leftover
		want string
	}{
		{Leftover{Kind: LeftFile, Path: "/run/minibox/0123.lock"}, "file /run/minibox/0123.lock"},
		{Leftover{Kind: LeftProcess, Pid: 42, Why: "cwd /var/lib/minibox/x"}, "process 42 (cwd /var/lib/minibox/x)"},
		{Leftover{Kind: LeftCgroup, Path: "/sys/fs/cgroup/minibox/mb-0123-7", Why: "its supervisor is gone", Orphaned: true},
			"cgroup /sys/fs/cgroup/minibox/mb-0123-7 (its supervisor is gone)"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.l, got, tt.want)
		}
	}
}
