package doctor

import (
	"strings"
	"testing"
)

// routes is /proc/net/route of a machine with a default route on eth0, its
// own 192.168.1.0/24, minibox's bridge, and a VPN's 10.88.4.0/24 on tun0.
const routes = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth0	00000000	0101A8C0	0003	0	0	100	00000000	0	0	0
eth0	0001A8C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
minibox0	0000580A	00000000	0001	0	0	0	0000FFFF	0	0	0
tun0	0004580A	00000000	0001	0	0	0	00FFFFFF	0	0	0
`

func TestNetworkCheck(t *testing.T) {
	clean := strings.Join(strings.Split(routes, "\n")[:4], "\n")
	ok := networkCheck(networkFacts{forwarding: "0", routes: clean})
	if ok.Status != OK || !strings.Contains(ok.Detail, "IP forwarding off: minibox turns it on") {
		t.Errorf("a clean machine: %+v, want OK saying forwarding is off and who turns it on", ok)
	}
	c := networkCheck(networkFacts{noNft: true, forwarding: "1", routes: routes, bridgeIsOther: true})
	for _, want := range []string{
		"no nft command", "minibox0 exists and is not a bridge",
		"a route to 10.88.4.0/24 on tun0 overlaps minibox's 10.88.0.0/16",
	} {
		if c.Status != Warn || !strings.Contains(c.Detail, want) {
			t.Errorf("check = %+v, want a warning saying %q", c, want)
		}
	}
	for _, want := range []string{"sudo apt-get install nftables", "sudo ip link delete minibox0"} {
		if !strings.Contains(c.Fix, want) {
			t.Errorf("fix = %q, want %q in it", c.Fix, want)
		}
	}
	if strings.Contains(c.Detail, "eth0") || strings.Contains(c.Detail, "on minibox0") {
		t.Errorf("detail = %q: the default route, eth0's own network and minibox0's are no clash", c.Detail)
	}
}
