package network

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// A bridge is a switch inside the kernel: interfaces attached to it (the
// host's ends of the containers' veths) pass frames to each other by their
// hardware addresses. Given an address of its own, it is also the host's
// place on the containers' network, and their gateway to the rest.

// DefaultBridge is the bridge minibox makes, as Docker makes docker0.
const DefaultBridge = "minibox0"

// EnsureBridge makes the bridge name in the namespace ns, with gateway as
// its address, and brings it up; a bridge of that name already there is
// kept. A link of that name that is not a bridge is an error.
func EnsureBridge(ns *os.File, name string, gateway netip.Prefix) error {
	h, err := Handle(ns)
	if err != nil {
		return err
	}
	defer h.Close()
	// A hardware address of its own, chosen once: left to the kernel, a
	// bridge takes the lowest of its ports', which changes as containers
	// come and go, and the others' ARP caches would send the gateway's
	// packets to a port that left, until their entries expire.
	mac := make(net.HardwareAddr, 6)
	if _, err := rand.Read(mac); err != nil {
		return err
	}
	mac[0] = mac[0]&^1 | 2 // unicast, locally administered
	br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: name, HardwareAddr: mac}}
	if err := h.LinkAdd(br); err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("bridge %s: %w", name, err)
	}
	link, err := h.LinkByName(name)
	if err != nil {
		return fmt.Errorf("bridge %s: %w", name, err)
	}
	if link.Type() != "bridge" {
		return fmt.Errorf("%s is a %s, not a bridge: choose another name for minibox's network", name, link.Type())
	}
	return SetUp(h, name, gateway)
}

// Attach puts the interface name on the bridge: its frames go through it.
func Attach(h *netlink.Handle, name, bridge string) error {
	link, err := h.LinkByName(name)
	if err != nil {
		return fmt.Errorf("interface %s: %w", name, err)
	}
	br, err := h.LinkByName(bridge)
	if err != nil {
		return fmt.Errorf("bridge %s: %w", bridge, err)
	}
	if err := h.LinkSetMaster(link, br); err != nil {
		return fmt.Errorf("attach %s to %s: %w", name, bridge, err)
	}
	return nil
}
