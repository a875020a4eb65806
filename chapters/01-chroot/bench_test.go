package chroot_test

import (
	"os/exec"
	"testing"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// A container is a process: starting one in a jail should cost about as
// much as starting it at all. Compare the two side by side:
//
//	go test -run '^$' -bench Start ./chapters/01-chroot/
func BenchmarkStartJailed(b *testing.B) {
	testutil.RequireRoot(b)
	root := testutil.BusyboxRootfs(b)
	for b.Loop() {
		cmd, err := chroot.JailCommand(root, "/bin/true")
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStartOnHost(b *testing.B) {
	bb, err := chroot.FindBusybox()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := exec.Command(bb, "true").Run(); err != nil {
			b.Fatal(err)
		}
	}
}
