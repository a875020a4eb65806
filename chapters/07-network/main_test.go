package network_test

import (
	"os"
	"testing"

	"github.com/minibox-dev/minibox/internal/testutil/netguard"
)

// TestMain checks that the tests left the machine's own network as they
// found it (netguard).
func TestMain(m *testing.M) {
	os.Exit(netguard.Run(m))
}
