package cgroups

import (
	"fmt"
	"os"
	"strings"
	"testing"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// TestMain lets the test binary be re-executed as the shim (and as the
// killed parent of sweep_test.go), and fails the run if a test left a
// cgroup behind.
func TestMain(m *testing.M) {
	if chroot.Init() {
		return
	}
	code := m.Run()
	if left := leftovers(); len(left) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the tests left cgroups behind: %s\n", strings.Join(left, " "))
		code = 1
	}
	os.Exit(code)
}

// leftovers lists the cgroups this test process made and did not remove.
// (Others' groups, from tests of other packages running at the same time,
// are not this package's business.)
func leftovers() []string {
	h, err := detectHost()
	if err != nil {
		return nil
	}
	var left []string
	suffix := fmt.Sprintf("-%d", os.Getpid())
	for _, parent := range h.parents() {
		entries, _ := os.ReadDir(parent)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), suffix) {
				left = append(left, parent+"/"+e.Name())
			}
		}
	}
	return left
}
