package chroot_test

import (
	"os"
	"testing"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// TestMain lets the test binary be re-executed as the jailed process.
func TestMain(m *testing.M) {
	if chroot.Init() {
		return
	}
	os.Exit(m.Run())
}
