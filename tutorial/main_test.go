package tutorial_test

import (
	"os"
	"testing"

	"github.com/minibox-dev/minibox/internal/testutil"
)

// The pages' commands run with shared mounts, as on a systemd host, and
// must leave the mount table as they found it.
func TestMain(m *testing.M) {
	os.Exit(testutil.MainWithSharedMounts(m))
}
