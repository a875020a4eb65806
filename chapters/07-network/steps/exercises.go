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
		{
			ID: "net.publish", Step: "net.publish", Minutes: 15,
			Tests: []string{"TestParsePublish", "TestParsePublishRefuses"},
			Todo: "Read one -p as Docker writes it: CONTAINER, HOST:CONTAINER or IP:HOST:CONTAINER, then an optional " +
				"/tcp or /udp (tcp if none). No host port means any free one (0). Each error names the -p and says what was wrong.",
			Hints: []string{
				"A published port joins a port of the host to a port of the container. The container's port 80 is its own network namespace's; the host's 8080 is the host's. So five containers may all listen on 80, and only their host ports must differ.",
				"Cut the protocol at the last / first, then split the rest at colons (strings.Split): one part is the container's port, two are HOST:CONTAINER, three begin with the host's address (netip.ParseAddr, and Is4). The helper port(spec, whose, s) reads a number from 1 to 65535 and refuses ranges.",
				"m := runtime.PortMapping{Protocol: \"tcp\"}; rest := spec; if i := strings.LastIndex(rest, \"/\"); i >= 0 { m.Protocol, rest = rest[i+1:], rest[:i] }; parts := strings.Split(rest, \":\"); switch len(parts) { case 1: ...; case 2: ...; case 3: ... }; then m.ContainerPort, err = port(spec, \"container\", container), and the host's port if given",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise net\.publish is not written yet`, Hint: "The stub is still there: split the spec, then read each port with port()."},
				{Output: `Protocol`, Hint: "The protocol is wrong: tcp when none is given, and only tcp or udp accepted."},
				{Output: `HostIP`, Hint: "With three parts, the first is the host's address: keep it in HostIP, and refuse what is not IPv4."},
				{Output: `want an error naming`, Hint: "A spec that should fail did not, or its error does not start with -p SPEC: check each error's text."},
			},
		},
		{
			ID: "net.relay", Step: "net.many", Minutes: 10,
			Tests: []string{"TestRelayCarriesAHalfClose"},
			Todo: "Copy what a sends to b and what b sends to a, at the same time, until both have finished. When one " +
				"side's copy ends (EOF), tell the other side with CloseWrite, and wait for both copies.",
			Hints: []string{
				"A TCP connection has two directions, and each ends on its own: a client may send its request, say it has finished (a FIN, from shutdown(SHUT_WR)), and still read the answer. A relay that closed everything at the first EOF would cut that answer off.",
				"io.Copy(dst, src) copies until src's EOF; (*net.TCPConn).CloseWrite() sends the FIN. Run the two directions in two goroutines, and wait for both with a sync.WaitGroup.",
				"var wg sync.WaitGroup; half := func(dst, src *net.TCPConn) { defer wg.Done(); io.Copy(dst, src); dst.CloseWrite() }; wg.Add(2); go half(b, a); go half(a, b); wg.Wait()",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise net\.relay is not written yet`, Hint: "The stub is still there: two io.Copy, one each way."},
				{Output: `i/o timeout|deadline exceeded`, Hint: "The server never saw the end of the request: after io.Copy returns, CloseWrite the side you copied to."},
				{Output: `want got 100000 bytes`, Hint: "The answer was lost: wait for both directions before returning, and close only the write half."},
			},
		},
		{
			ID: "net.nat", Step: "net.nat", Minutes: 10, Root: true,
			Tests: []string{"TestNATRules", "TestNATRulesLoad"},
			Todo: "Return the nft script of minibox's table (NATTable), as testdata/minibox.nft shows it: a nat chain " +
				"on the postrouting hook that masquerades what the subnet sends out of any interface but the bridge, " +
				"and a filter chain on the forward hook that accepts what comes from the bridge and what answers it, and drops " +
				"the rest that goes to the bridge.",
			Hints: []string{
				"Masquerade rewrites the source of a connection's first packet to the address of the interface it leaves by, and conntrack, the kernel's table of connections, rewrites the rest, both ways. That is why the nat chain's counter says 1 packet for a whole download.",
				"An nftables table holds chains; a base chain is attached to a hook (type nat hook postrouting priority srcnat; or type filter hook forward priority filter;). A rule is matches then a verdict: ip saddr 10.88.0.0/16 oifname != \"minibox0\" counter masquerade. man nft, and testdata/minibox.nft for the exact text.",
				"fmt.Sprintf of a raw string (in backquotes, so its tabs and quotes stay as they are): the text of testdata/minibox.nft with %[1]s for NATTable, %[2]s for the bridge and %[3]s for the subnet, given as fmt.Sprintf(text, NATTable, bridge, subnet).",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise net\.nat is not written yet`, Hint: "The stub is still there: return the table's text, with the bridge's name and the subnet in it."},
				{Output: `want testdata/minibox\.nft`, Hint: "The text differs from testdata/minibox.nft: tabs for indents, and a newline at the end."},
				{Output: `nft -f: .*(syntax error|Error)`, Hint: "The kernel's nft refused the script: its message says which line. Check the semicolons after the chain's type line."},
			},
		},
	}
}
