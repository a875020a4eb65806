package network

import (
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"sync"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// Bridge is minibox's network "bridge", for `minibox run --network
// bridge`: every container on it gets a veth pair whose host end is on
// the bridge minibox0, an address leased from 10.88.0.0/16, and a default
// route through the bridge's address. Chapter 5's supervisor connects the
// container while its init waits for its orders, and disconnects it when
// the container ends (chapter 5's network.go).
//
// "The host" is the network namespace minibox runs in: the machine's own
// on a learner's VM, as Docker's daemon uses it; in the tests and steps, a
// namespace that plays the host.
type Bridge struct {
	Name   string
	Subnet netip.Prefix
}

func init() {
	runtime.RegisterNetwork("bridge", Bridge{Name: DefaultBridge, Subnet: DefaultSubnet})
}

// leases is the bridge's lease file, under MINIBOX_ROOT.
func (b Bridge) leases(p runtime.Paths) (Leases, error) {
	pool, err := NewPool(b.Subnet)
	if err != nil {
		return Leases{}, err
	}
	return Leases{Path: filepath.Join(p.Root, "network", b.Name+".json"), Pool: pool}, nil
}

// hostEnd names the host's end of a container's veth after its ID: an
// interface name has at most 15 characters, so 11 of the ID's 64.
func hostEnd(id string) string { return "veth" + id[:min(11, len(id))] }

// Connect puts the container whose init is pid on the bridge.
func (b Bridge) Connect(p runtime.Paths, s *runtime.State, pid int, rootfs string) (*runtime.Endpoint, error) {
	l, err := b.leases(p)
	if err != nil {
		return nil, err
	}
	host, err := open(threadNamespace)
	if err != nil {
		return nil, err
	}
	defer host.Close()
	container, err := open(fmt.Sprintf("/proc/%d/ns/net", pid))
	if err != nil {
		return nil, fmt.Errorf("the container's network namespace: %w", err)
	}
	defer container.Close()
	gateway := l.Pool.Gateway()
	if err := EnsureBridge(host, b.Name, gateway); err != nil {
		return nil, err
	}
	if err := EnsureNAT(b.Name, b.Subnet, filepath.Dir(l.Path)); err != nil {
		return nil, err
	}
	addr, err := l.Lease(s.ID)
	if err != nil {
		return nil, err
	}
	// The ports first: one that is taken fails the start before a veth is
	// made.
	px, ports, err := publish(s.Config.Ports, addr.Addr())
	if err != nil {
		return nil, errors.Join(err, l.Release(s.ID))
	}
	ep := Endpoint{HostEnd: hostEnd(s.ID), Address: addr, Gateway: gateway.Addr()}
	if err := writeHosts(p, l, s, addr.Addr(), rootfs); err != nil {
		return nil, errors.Join(fmt.Errorf("the container's /etc/hosts: %w", err), px.Close(), l.Release(s.ID))
	}
	if err := Connect(host, container, b.Name, ep); err != nil {
		return nil, errors.Join(err, px.Close(), l.Release(s.ID))
	}
	proxies.Lock()
	proxies.of[s.ID] = px
	proxies.Unlock()
	return &runtime.Endpoint{Network: "bridge", Address: addr.String(), Gateway: gateway.Addr().String(),
		Interface: ep.HostEnd, Ports: ports}, nil
}

// proxies are the relays of the published ports this process runs, by
// container ID: the supervisor's, for its container.
var proxies = struct {
	sync.Mutex
	of map[string]*proxy
}{of: map[string]*proxy{}}

// Disconnect takes the container off the bridge: its relays stop, its
// veth is deleted (if the kernel has not yet, as it does in the background
// once the container's namespace has ended), and its address goes back.
func (b Bridge) Disconnect(p runtime.Paths, s *runtime.State) error {
	l, err := b.leases(p)
	if err != nil {
		return err
	}
	host, err := open(threadNamespace)
	if err != nil {
		return err
	}
	defer host.Close()
	var perr error
	proxies.Lock()
	if px := proxies.of[s.ID]; px != nil {
		perr = px.Close()
		delete(proxies.of, s.ID)
	}
	proxies.Unlock()
	return errors.Join(perr, Disconnect(host, hostEnd(s.ID)), l.Release(s.ID))
}
