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
	}
}
