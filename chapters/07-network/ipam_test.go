package network_test

import (
	"net/netip"
	"strings"
	"testing"

	network "github.com/minibox-dev/minibox/chapters/07-network"
)

func TestNextSkipsTheNetworkTheGatewayAndTheBroadcast(t *testing.T) {
	pool, err := network.NewPool(netip.MustParsePrefix("192.168.7.0/29"))
	if err != nil {
		t.Fatal(err)
	}
	if got := pool.Gateway().String(); got != "192.168.7.1/29" {
		t.Errorf("gateway = %s, want 192.168.7.1/29", got)
	}
	taken := map[netip.Addr]bool{}
	var got []string
	for {
		p, err := pool.Next(taken)
		if err != nil {
			if !strings.Contains(err.Error(), "every address is leased (5 containers)") {
				t.Errorf("the error of a full pool is %q, want it to say every address is leased", err)
			}
			break
		}
		got = append(got, p.String())
		taken[p.Addr()] = true
	}
	want := "192.168.7.2/29 192.168.7.3/29 192.168.7.4/29 192.168.7.5/29 192.168.7.6/29"
	if strings.Join(got, " ") != want {
		t.Errorf("the pool gave %v, want %s (not .0, the network, .1, the gateway, nor .7, the broadcast)", got, want)
	}
}

func TestNextTakesTheLowestFreeAddress(t *testing.T) {
	pool, _ := network.NewPool(network.DefaultSubnet)
	taken := map[netip.Addr]bool{
		netip.MustParseAddr("10.88.0.2"): true,
		netip.MustParseAddr("10.88.0.4"): true,
	}
	p, err := pool.Next(taken)
	if err != nil || p.String() != "10.88.0.3/16" {
		t.Errorf("Next = %v, %v; want 10.88.0.3/16, the address a removed container left", p, err)
	}
}

func TestNewPoolRefusesBadSubnets(t *testing.T) {
	for subnet, want := range map[string]string{
		"10.88.0.0/31":   "too small",
		"10.88.0.5/24":   "give the network's own address, 10.88.0.0/24",
		"fd00::/64":      "want an IPv4 subnet",
		"10.88.0.0/30":   "",
		"172.20.0.0/16":  "",
		"10.88.255.0/24": "",
	} {
		_, err := network.NewPool(netip.MustParsePrefix(subnet))
		switch {
		case want == "" && err != nil:
			t.Errorf("NewPool(%s): %v, want no error", subnet, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("NewPool(%s): %v, want an error saying %q", subnet, err, want)
		}
	}
}
