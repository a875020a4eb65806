package network

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// A veth pair is two network interfaces made together: a packet sent into
// one comes out of the other, like the two ends of a cable. Made in the
// host's namespace with one end moved into the container's, it is the
// container's way out: eth0 inside, vethXXXX outside.

// Endpoint is a container's place on a network: the name of its veth's
// end on the host, its address with the network's prefix length, and
// the gateway its packets to anywhere else go to (the bridge).
type Endpoint struct {
	HostEnd string
	Address netip.Prefix
	Gateway netip.Addr
}

// ContainerEnd is the name of the veth's end inside every container.
const ContainerEnd = "eth0"

// Handle opens a netlink handle whose socket belongs to ns: every request
// through it acts on ns's interfaces. Links, addresses and routes are
// NETLINK_ROUTE's: without that argument the library opens its other
// families too, and a kernel without the xfrm_user module refuses those
// (EPROTONOSUPPORT).
func Handle(ns *os.File) (*netlink.Handle, error) {
	h, err := netlink.NewHandleAt(netns.NsHandle(ns.Fd()), unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket in %s: %w", ns.Name(), err)
	}
	return h, nil
}

// AddVeth makes a veth pair in the namespace of h: one end named hostEnd
// stays there, the other is made directly in the namespace container and
// named containerEnd. Both start down.
//
//workshop:exercise net.veth
func AddVeth(h *netlink.Handle, hostEnd, containerEnd string, container *os.File) error {
	veth := &netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: hostEnd},
		PeerName:      containerEnd,
		PeerNamespace: netlink.NsFd(container.Fd()),
	}
	if err := h.LinkAdd(veth); err != nil {
		if errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("veth %s: an interface of that name exists already: %w", hostEnd, err)
		}
		return fmt.Errorf("veth %s (peer %s): %w", hostEnd, containerEnd, err)
	}
	return nil
}

// SetUp gives the interface name in the namespace of h its address, if
// addr is valid, and brings it up.
func SetUp(h *netlink.Handle, name string, addr netip.Prefix) error {
	link, err := h.LinkByName(name)
	if err != nil {
		return fmt.Errorf("interface %s: %w", name, err)
	}
	if addr.IsValid() {
		a := &netlink.Addr{IPNet: ipNet(addr)}
		if err := h.AddrAdd(link, a); err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("address %s on %s: %w", addr, name, err)
		}
	}
	if err := h.LinkSetUp(link); err != nil {
		return fmt.Errorf("bring %s up: %w", name, err)
	}
	return nil
}

// MACOf is the hardware address of the container at addr: 02:4d (a
// locally administered unicast prefix, 4d for M) and the address's four
// bytes.
func MACOf(addr netip.Addr) net.HardwareAddr {
	b := addr.As4()
	return net.HardwareAddr{0x02, 0x4d, b[0], b[1], b[2], b[3]}
}

// ipNet is netlink's form of an address with its prefix length.
func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

// Connect wires the container's namespace to the bridge in host's: a veth
// pair, the container's end eth0 with ep's address and a default route
// through the gateway, lo up, and the host's end on the bridge, up. If a
// step fails, the pair goes again: nothing is left half made.
func Connect(host, container *os.File, bridge string, ep Endpoint) error {
	hh, err := Handle(host)
	if err != nil {
		return err
	}
	defer hh.Close()
	ch, err := Handle(container)
	if err != nil {
		return err
	}
	defer ch.Close()
	if err := AddVeth(hh, ep.HostEnd, ContainerEnd, container); err != nil {
		return err
	}
	if err := connect(hh, ch, bridge, ep); err != nil {
		// Deleting one end deletes the pair.
		if link, lerr := hh.LinkByName(ep.HostEnd); lerr == nil {
			hh.LinkDel(link)
		}
		return err
	}
	return nil
}

func connect(hh, ch *netlink.Handle, bridge string, ep Endpoint) error {
	if err := SetUp(ch, "lo", netip.Prefix{}); err != nil {
		return err
	}
	// The hardware address follows the IP address, as Docker's do: a
	// container that gets an address another had before gets its MAC too,
	// and the neighbours' ARP caches, which still hold it, stay right.
	eth, err := ch.LinkByName(ContainerEnd)
	if err != nil {
		return err
	}
	if err := ch.LinkSetHardwareAddr(eth, MACOf(ep.Address.Addr())); err != nil {
		return fmt.Errorf("hardware address of %s: %w", ContainerEnd, err)
	}
	if err := SetUp(ch, ContainerEnd, ep.Address); err != nil {
		return err
	}
	eth0, err := ch.LinkByName(ContainerEnd)
	if err != nil {
		return err
	}
	// Everything beyond the bridge's network goes to the gateway.
	route := &netlink.Route{LinkIndex: eth0.Attrs().Index, Gw: ep.Gateway.AsSlice()}
	if err := ch.RouteAdd(route); err != nil {
		return fmt.Errorf("default route through %s: %w", ep.Gateway, err)
	}
	if err := Attach(hh, ep.HostEnd, bridge); err != nil {
		return err
	}
	return SetUp(hh, ep.HostEnd, netip.Prefix{})
}

// Disconnect removes the container's veth pair from the host's side; the
// kernel takes the other end with it. A pair already gone (its container's
// namespace ended first, which takes both ends) is no error.
func Disconnect(host *os.File, hostEnd string) error {
	return deleteLink(host, hostEnd)
}

// deleteLink deletes the interface name from ns, if it is there.
func deleteLink(ns *os.File, name string) error {
	h, err := Handle(ns)
	if err != nil {
		return err
	}
	defer h.Close()
	link, err := h.LinkByName(name)
	var missing netlink.LinkNotFoundError
	if errors.As(err, &missing) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("interface %s: %w", name, err)
	}
	// ENODEV: it went meanwhile, with its namespace's end (the kernel
	// deletes a pair once its other namespace is gone).
	if err := h.LinkDel(link); err != nil && !errors.Is(err, unix.ENODEV) {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	return nil
}
