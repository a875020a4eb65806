package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "net.veth", Step: "net.veth", Minutes: 10, Root: true,
			Tests: []string{"TestVethJoinsTwoNamespaces", "TestContainersTalkOverTheBridge"},
			Todo: "Make a veth pair through the netlink handle h: one end named hostEnd in h's namespace, its peer " +
				"made directly in the namespace container and named containerEnd. A name already taken (EEXIST) " +
				"gets an error that says so.",
			Hints: []string{
				"A veth pair is made in one request: the kernel creates both ends at once, and can create the peer in another namespace (IFLA_NET_NS_FD), so it never appears in the host's. ip link add veth-c1 type veth peer name eth0 netns NS is the same request.",
				"vishvananda/netlink: a *netlink.Veth with LinkAttrs{Name: hostEnd}, PeerName: containerEnd and PeerNamespace: netlink.NsFd(container.Fd()), given to h.LinkAdd. errors.Is(err, unix.EEXIST) tells a name taken.",
				"veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: hostEnd}, PeerName: containerEnd, PeerNamespace: netlink.NsFd(container.Fd())}; if err := h.LinkAdd(veth); err != nil { if errors.Is(err, unix.EEXIST) { return fmt.Errorf(\"veth %s: an interface of that name exists already: %w\", hostEnd, err) }; return fmt.Errorf(\"veth %s (peer %s): %w\", hostEnd, containerEnd, err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise net\.veth is not written yet`, Hint: "The stub is still there: one LinkAdd of a netlink.Veth."},
				{Output: `Link not found`, Hint: "An end is not where the test looks: is the peer made in the container's namespace (PeerNamespace), and named containerEnd?"},
				{Output: `want an error saying the name exists already`, Hint: "A second pair of the same name must fail with an error that says the name exists already: check errors.Is(err, unix.EEXIST)."},
			},
		},
		{
			ID: "net.ipam", Step: "net.bridge", Minutes: 10,
			Tests: []string{"TestNextSkipsTheNetworkTheGatewayAndTheBroadcast", "TestNextTakesTheLowestFreeAddress"},
			Todo: "Return the lowest address of p.Subnet, with the subnet's prefix length, that is not the network's own " +
				"(the first), the gateway's (p.Gateway()), the broadcast address (the last) nor in taken. With none left, " +
				"an error that says every address is leased, how many, and what to do.",
			Hints: []string{
				"A subnet such as 10.88.0.0/16 holds 65536 addresses: the first names the network, the last is its broadcast address, and neither may be a host's. The bridge takes the next after the network, .1; containers get the rest, lowest first, so that the first container is always 10.88.0.2.",
				"net/netip: Addr.Next() is the following address, Prefix.Contains(a) says whether a is in the subnet, netip.PrefixFrom(a, p.Subnet.Bits()) gives it its prefix length. An address whose Next is outside the subnet is the broadcast address.",
				"for a := p.Gateway().Addr().Next(); p.Subnet.Contains(a.Next()); a = a.Next() { if !taken[a] { return netip.PrefixFrom(a, p.Subnet.Bits()), nil } }; return netip.Prefix{}, fmt.Errorf(\"network %s: every address is leased (%d containers): remove a container, or choose a larger subnet\", p.Subnet, len(taken))",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise net\.ipam is not written yet`, Hint: "The stub is still there: walk the subnet's addresses from the one after the gateway."},
				{Output: `\.7/29`, Hint: "The pool gave the broadcast address: stop before the last address of the subnet."},
				{Output: `\.1/29`, Hint: "The pool gave the gateway's address: start after it."},
				{Output: `every address is leased`, Hint: "Say that every address is leased, and how many containers hold them (len(taken))."},
			},
		},
	}
}
