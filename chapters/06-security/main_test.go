package security_test

import (
	"os"
	"testing"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// TestMain lets the test binary be re-executed as a container's init (with
// this chapter's confinement registered), and checks that the suite left
// the mount table as it found it.
func TestMain(m *testing.M) {
	if chroot.Init() {
		return
	}
	os.Exit(testutil.MainWithSharedMounts(m))
}
