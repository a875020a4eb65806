package namespaces_test

import (
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// What a container costs over chapter 1's jail (BenchmarkStartJailed there):
// the re-executed init, seven namespaces and the mounts. Compare:
//
//	go test -run '^$' -bench Start ./chapters/01-chroot/ ./chapters/02-namespaces/
func BenchmarkStartContainer(b *testing.B) {
	benchmarkRun(b, false)
}

func BenchmarkStartContainerUserNS(b *testing.B) {
	benchmarkRun(b, true)
}

func benchmarkRun(b *testing.B, userNS bool) {
	testutil.RequireRoot(b)
	cfg := namespaces.Config{Rootfs: rootfs(b), UserNS: userNS, Args: []string{"/bin/true"}}
	for b.Loop() {
		if code, err := namespaces.Run(cfg); err != nil || code != 0 {
			b.Fatalf("exit %d, %v", code, err)
		}
	}
}
