package network

import (
	"fmt"
	"net/netip"
)

// IPAM, IP address management: each container on a network needs an
// address of its own, from the network's subnet. Of a subnet's addresses,
// the first is the network's own name and the last its broadcast address:
// neither is a host's. The next, .1, is the bridge's: the gateway.

// DefaultSubnet is minibox's network, as 172.17.0.0/16 is Docker's: a
// private range (RFC 1918). Podman's default network uses it too: doctor
// warns of a route that overlaps it.
var DefaultSubnet = netip.MustParsePrefix("10.88.0.0/16")

// Pool hands out the addresses of one IPv4 subnet.
type Pool struct {
	Subnet netip.Prefix
}

// NewPool checks subnet: IPv4, given by its network address, with room
// for a gateway and at least one container (a /30 or larger).
func NewPool(subnet netip.Prefix) (Pool, error) {
	switch {
	case !subnet.IsValid() || !subnet.Addr().Is4():
		return Pool{}, fmt.Errorf("subnet %s: want an IPv4 subnet such as %s", subnet, DefaultSubnet)
	case subnet.Bits() > 30:
		return Pool{}, fmt.Errorf("subnet %s: too small, a /%d has no room for a gateway and a container; want /30 or larger", subnet, subnet.Bits())
	case subnet.Masked() != subnet:
		return Pool{}, fmt.Errorf("subnet %s: give the network's own address, %s", subnet, subnet.Masked())
	}
	return Pool{Subnet: subnet}, nil
}

// Gateway is the bridge's address, the subnet's first host, with the
// subnet's prefix length.
func (p Pool) Gateway() netip.Prefix {
	return netip.PrefixFrom(p.Subnet.Addr().Next(), p.Subnet.Bits())
}

// Next returns the lowest address of the subnet that is neither the
// network's, the gateway's, the broadcast address nor in taken, with the
// subnet's prefix length.
//
//workshop:exercise net.ipam
func (p Pool) Next(taken map[netip.Addr]bool) (netip.Prefix, error) {
	// An address whose next is outside the subnet is its broadcast address.
	for a := p.Gateway().Addr().Next(); p.Subnet.Contains(a.Next()); a = a.Next() {
		if !taken[a] {
			return netip.PrefixFrom(a, p.Subnet.Bits()), nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("network %s: every address is leased (%d containers): remove a container, or choose a larger subnet", p.Subnet, len(taken))
}
