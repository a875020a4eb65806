package runtime

import (
	"fmt"
	"sort"
	"strings"
)

// Chapter 2 gives every container a network namespace with lo alone in it.
// What joins that namespace to anything else comes later (chapter 7's
// bridge), which this chapter cannot import: a later chapter registers a
// Network under a name, and `minibox run --network NAME` picks it. "none",
// the default for now, is lo alone.

// Network connects containers' network namespaces to a network.
type Network interface {
	// Connect wires the network namespace of pid, the container's init,
	// which still waits for its orders: the command starts connected. The
	// container's root filesystem is mounted at rootfs, for the files
	// that name its network (/etc/hosts).
	Connect(p Paths, s *State, pid int, rootfs string) (*Endpoint, error)
	// Disconnect undoes Connect: the address goes back to the pool. The
	// container's namespace may be gone already (its end of the network
	// went with it).
	Disconnect(p Paths, s *State) error
}

// Endpoint is a container's place on its network, as inspect shows it.
type Endpoint struct {
	Network   string // the network's name: bridge
	Address   string // the container's address, with the prefix length
	Gateway   string
	Interface string // the host's end of the container's veth
	// Ports are the ports published, with the host's port each got.
	Ports []PortMapping `json:",omitempty"`
}

// NoNetwork is the name of lo alone.
const NoNetwork = "none"

var networks = map[string]Network{}

// RegisterNetwork makes n the network called name, for --network.
func RegisterNetwork(name string, n Network) { networks[name] = n }

// networkOf returns the network name names, or nil for none.
func networkOf(name string) (Network, error) {
	if name == "" || name == NoNetwork {
		return nil, nil
	}
	if n, ok := networks[name]; ok {
		return n, nil
	}
	known := []string{NoNetwork}
	for k := range networks {
		known = append(known, k)
	}
	sort.Strings(known)
	return nil, fmt.Errorf("--network %s: no such network; minibox knows %s", name, strings.Join(known, ", "))
}

// connect connects s's container, whose init is pid and whose root is
// mounted at rootfs, to its network, and records where.
func connect(p Paths, s *State, pid int, rootfs string) error {
	n, err := networkOf(s.Config.Network)
	if n == nil || err != nil {
		return err
	}
	ep, err := n.Connect(p, s, pid, rootfs)
	if err != nil {
		return fmt.Errorf("network %s: %w", s.Config.Network, err)
	}
	s.Endpoint = ep
	return nil
}

// disconnect releases what connect took, if it took anything: it may
// have taken an address and died before the record said so. The record
// keeps the endpoint, for inspect to show where the container was.
func disconnect(p Paths, s *State) error {
	n, err := networkOf(s.Config.Network)
	if n == nil || err != nil {
		return err
	}
	if err := n.Disconnect(p, s); err != nil {
		return fmt.Errorf("network %s: %w", s.Config.Network, err)
	}
	return nil
}
