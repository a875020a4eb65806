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
	want := []string{
		"mount /var/lib/minibox/containers/0123abcd/merged (overlay overlay rw,lowerdir=/var/lib/minibox/images/unpacked/a:/var/lib/minibox/images/unpacked/b,upperdir=/var/lib/minibox/containers/0123abcd/upper,workdir=/var/lib/minibox/containers/0123abcd/work)",
		"mount /mnt/elsewhere (overlay overlay rw,lowerdir=/var/lib/minibox/images/unpacked/a,upperdir=/tmp/u,workdir=/tmp/w)",
		"mount /run/minibox/0123abcd (tmpfs tmpfs rw)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("leftoverMounts (-want +got):\n%s", diff)
	}
	if _, err := leftoverMounts("not mountinfo\n", p); err == nil {
		t.Error("leftoverMounts accepted text that is not mountinfo")
	}
}
