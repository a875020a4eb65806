package images_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// TestMain lets the test binary be re-executed as a task in a private mount
// namespace (and as a container's init), and checks that the whole suite
// left the host's mount table as it found it: every overlay was mounted in
// a namespace of its own.
func TestMain(m *testing.M) {
	if chroot.Init() {
		return
	}
	before, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	after, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		fmt.Fprintf(os.Stderr, "FAIL: the suite changed the host's mount table (-before +after):\n%s", diff)
		code = 1
	}
	os.Exit(code)
}
