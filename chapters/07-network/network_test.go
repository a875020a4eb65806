package network_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// Every test here plays out in network namespaces it makes: one plays the
// host, others the containers. The machine's own network is never touched
// (TestMain checks it is as it was).

func namespace(t *testing.T) *os.File {
	t.Helper()
	ns, err := network.NewNamespace()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	return ns
}

// serve answers one TCP connection on addr, in the namespace ns, with
// reply; it returns once the listener is up.
func serve(t *testing.T, ns *os.File, addr, reply string) {
	t.Helper()
	var ln net.Listener
	if err := network.Do(ns, func() (err error) {
		ln, err = net.Listen("tcp4", addr)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		fmt.Fprintln(c, reply)
	}()
}

// ask connects to addr from the namespace ns and returns the first line
// it reads.
func ask(ns *os.File, addr string) (string, error) {
	var c net.Conn
	if err := network.Do(ns, func() (err error) {
		c, err = net.DialTimeout("tcp4", addr, 5*time.Second)
		return err
	}); err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

func TestVethJoinsTwoNamespaces(t *testing.T) {
	testutil.RequireRoot(t)
	host, container := namespace(t), namespace(t)
	h, err := network.Handle(host)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := network.AddVeth(h, "veth-test", "eth0", container); err != nil {
		t.Fatal(err)
	}
	c, err := network.Handle(container)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := network.SetUp(h, "veth-test", netip.MustParsePrefix("10.99.0.1/30")); err != nil {
		t.Fatal(err)
	}
	if err := network.SetUp(c, "eth0", netip.MustParsePrefix("10.99.0.2/30")); err != nil {
		t.Fatal(err)
	}
	serve(t, container, "10.99.0.2:8080", "hello from the container")
	got, err := ask(host, "10.99.0.2:8080")
	if err != nil || got != "hello from the container" {
		t.Errorf("from the host's end: %q, %v; want the container's hello across the veth", got, err)
	}
	if err := network.AddVeth(h, "veth-test", "eth1", container); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("a second veth-test: %v, want an error saying the name exists already", err)
	}
}

func TestContainersTalkOverTheBridge(t *testing.T) {
	testutil.RequireRoot(t)
	host, one, two := namespace(t), namespace(t), namespace(t)
	pool, err := network.NewPool(network.DefaultSubnet)
	if err != nil {
		t.Fatal(err)
	}
	if err := network.EnsureBridge(host, network.DefaultBridge, pool.Gateway()); err != nil {
		t.Fatal(err)
	}
	// A second time keeps the bridge as it is.
	if err := network.EnsureBridge(host, network.DefaultBridge, pool.Gateway()); err != nil {
		t.Fatalf("EnsureBridge again: %v", err)
	}
	gw := pool.Gateway().Addr()
	for i, c := range []*os.File{one, two} {
		ep := network.Endpoint{HostEnd: fmt.Sprintf("veth%d", i), Address: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 88, 0, byte(2 + i)}), 16), Gateway: gw}
		if err := network.Connect(host, c, network.DefaultBridge, ep); err != nil {
			t.Fatal(err)
		}
	}
	serve(t, two, "10.88.0.3:80", "two")
	if got, err := ask(one, "10.88.0.3:80"); err != nil || got != "two" {
		t.Errorf("one asked two over the bridge: %q, %v; want two", got, err)
	}
	serve(t, host, "10.88.0.1:81", "the host")
	if got, err := ask(two, "10.88.0.1:81"); err != nil || got != "the host" {
		t.Errorf("two asked its gateway: %q, %v; want the host's answer", got, err)
	}
	// An address beyond the bridge goes by the default route, to the
	// gateway.
	c, err := network.Handle(one)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	routes, err := c.RouteGet(net.ParseIP("192.0.2.9"))
	if err != nil || len(routes) != 1 || !routes[0].Gw.Equal(gw.AsSlice()) {
		t.Errorf("one's route to 192.0.2.9: %v, %v; want one, through the gateway %s", routes, err, gw)
	}

	// The bridge's hardware address is its own, locally administered
	// (the second hex digit 2, 6, a or e), and stays when a port leaves.
	hh, err := network.Handle(host)
	if err != nil {
		t.Fatal(err)
	}
	defer hh.Close()
	bridgeMAC := func() string {
		link, err := hh.LinkByName(network.DefaultBridge)
		if err != nil {
			t.Fatal(err)
		}
		return link.Attrs().HardwareAddr.String()
	}
	before := bridgeMAC()
	if err := network.Disconnect(host, "veth0"); err != nil {
		t.Fatal(err)
	}
	if after := bridgeMAC(); after != before || before[1] != '2' && before[1] != '6' && before[1] != 'a' && before[1] != 'e' {
		t.Errorf("the bridge's hardware address: %s, then %s once a port left; want one, locally administered, that stays", before, after)
	}
	if got := links(t, one); got != "lo" {
		t.Errorf("after Disconnect, the container's links are %s, want lo alone: its end goes with the pair", got)
	}
	if err := network.Disconnect(host, "veth0"); err != nil {
		t.Errorf("Disconnect of a pair gone: %v, want no error", err)
	}
}

// TestConnectLeavesNothingWhenItFails: a bridge that is not there fails
// the connection after the veth is made; the veth goes again.
func TestConnectLeavesNothingWhenItFails(t *testing.T) {
	testutil.RequireRoot(t)
	host, c := namespace(t), namespace(t)
	ep := network.Endpoint{HostEnd: "veth-x", Address: netip.MustParsePrefix("10.88.0.2/16"), Gateway: netip.MustParseAddr("10.88.0.1")}
	err := network.Connect(host, c, "nobridge", ep)
	if err == nil || !strings.Contains(err.Error(), "bridge nobridge") {
		t.Errorf("Connect to a missing bridge: %v, want an error naming the bridge", err)
	}
	if got := links(t, host); got != "lo" {
		t.Errorf("the host's links after the failure: %s, want lo alone", got)
	}
	if got := links(t, c); got != "lo" {
		t.Errorf("the container's links after the failure: %s, want lo alone", got)
	}
}

func TestEnsureBridgeRefusesAnotherKind(t *testing.T) {
	testutil.RequireRoot(t)
	host, c := namespace(t), namespace(t)
	h, err := network.Handle(host)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := network.AddVeth(h, "taken0", "eth0", c); err != nil {
		t.Fatal(err)
	}
	err = network.EnsureBridge(host, "taken0", netip.MustParsePrefix("10.88.0.1/16"))
	if err == nil || !strings.Contains(err.Error(), "taken0 is a veth, not a bridge") {
		t.Errorf("EnsureBridge over a veth: %v, want an error saying it is a veth", err)
	}
}

// links lists the interfaces of ns by name, in the kernel's order.
func links(t *testing.T, ns *os.File) string {
	t.Helper()
	var names []string
	if err := network.Do(ns, func() error {
		ifs, err := net.Interfaces()
		for _, i := range ifs {
			names = append(names, i.Name)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, " ")
}
