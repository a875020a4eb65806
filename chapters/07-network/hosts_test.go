package network_test

import (
	"net/netip"
	"testing"

	network "github.com/minibox-dev/minibox/chapters/07-network"
)

func TestHosts(t *testing.T) {
	got := network.Hosts(netip.MustParseAddr("10.88.0.4"), []string{"3f2a9c1b7d6e", "client"}, map[netip.Addr]string{
		netip.MustParseAddr("10.88.0.10"): "db",
		netip.MustParseAddr("10.88.0.2"):  "web",
	})
	want := "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
		"10.88.0.4\t3f2a9c1b7d6e client\n10.88.0.2\tweb\n10.88.0.10\tdb\n"
	if got != want {
		t.Errorf("Hosts =\n%s\nwant\n%s", got, want)
	}
}

func TestMACOf(t *testing.T) {
	if got := network.MACOf(netip.MustParseAddr("10.88.0.2")).String(); got != "02:4d:0a:58:00:02" {
		t.Errorf("MACOf(10.88.0.2) = %s, want 02:4d:0a:58:00:02", got)
	}
}
