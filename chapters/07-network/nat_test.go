package network_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestNATRules(t *testing.T) {
	want, err := os.ReadFile("testdata/minibox.nft")
	if err != nil {
		t.Fatal(err)
	}
	if got := network.NATRules(network.DefaultBridge, network.DefaultSubnet); got != string(want) {
		t.Errorf("NATRules =\n%s\nwant testdata/minibox.nft:\n%s", got, want)
	}
}

// TestNATRulesLoad: the kernel takes the rules, in a namespace of the
// test's own, and nft lists them back with their counters.
func TestNATRulesLoad(t *testing.T) {
	testutil.RequireRoot(t)
	if _, err := exec.LookPath("nft"); err != nil {
		t.Fatal("no nft: `make deps` installs nftables")
	}
	lab := namespace(t)
	var out []byte
	err := network.Do(lab, func() error {
		load := exec.Command("nft", "-f", "-")
		load.Stdin = strings.NewReader(network.NATRules(network.DefaultBridge, network.DefaultSubnet))
		if b, err := load.CombinedOutput(); err != nil {
			return fmt.Errorf("nft -f: %w: %s", err, b)
		}
		var err error
		out, err = exec.Command("nft", "list", "table", "ip", network.NATTable).CombinedOutput()
		return err
	})
	if err != nil {
		t.Fatalf("nft: %v", err)
	}
	for _, want := range []string{`ip saddr 10.88.0.0/16 oifname != "minibox0" counter packets 0 bytes 0 masquerade`, `ct state established,related counter packets 0 bytes 0 accept`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("nft list table ip minibox:\n%s\nlacks %q", out, want)
		}
	}
}
