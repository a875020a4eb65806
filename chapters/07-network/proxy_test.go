package network_test

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	network "github.com/minibox-dev/minibox/chapters/07-network"
)

// The relays are tested on this machine's loopback alone, where a
// container's address would be: no packet leaves 127.0.0.1.

var loopback = netip.MustParseAddr("127.0.0.1")

// publishTo publishes a free port of 127.0.0.1 to port on loopback.
func publishTo(t *testing.T, proto string, port int) int {
	t.Helper()
	p, published, err := network.Publish([]runtime.PortMapping{{HostIP: "127.0.0.1", ContainerPort: port, Protocol: proto}}, loopback)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if published[0].HostPort == 0 {
		t.Fatalf("published %v: the host's port is still 0, want the one the kernel chose", published)
	}
	return published[0].HostPort
}

// TestRelayCarriesAHalfClose: the client sends, then says it is done
// (a FIN); the server reads to the end, and answers after it. A relay
// that closed both ways at the first EOF would lose the answer.
func TestRelayCarriesAHalfClose(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		data, _ := io.ReadAll(c)
		fmt.Fprintf(c, "got %d bytes", len(data))
	}()
	port := publishTo(t, "tcp", ln.Addr().(*net.TCPAddr).Port)
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, strings.Repeat("x", 100000)); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).CloseWrite()
	answer, err := io.ReadAll(c)
	if err != nil || string(answer) != "got 100000 bytes" {
		t.Errorf("through the relay, the answer after a half-close: %q, %v; want got 100000 bytes", answer, err)
	}
}

func TestRelayUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo([]byte("pong: "+string(buf[:n])), from)
		}
	}()
	port := publishTo(t, "udp", pc.LocalAddr().(*net.UDPAddr).Port)
	for _, msg := range []string{"one", "two"} {
		c, err := net.Dial("udp4", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write([]byte(msg))
		buf := make([]byte, 1500)
		n, err := c.Read(buf)
		if err != nil || string(buf[:n]) != "pong: "+msg {
			t.Errorf("through the UDP relay: %q, %v; want pong: %s", buf[:n], err, msg)
		}
		c.Close()
	}
}

// TestPublishRefusesATakenPort: a port another program has is an error
// that says what to do, and the ports published before it are let go.
func TestPublishRefusesATakenPort(t *testing.T) {
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	free, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	freePort := free.Addr().(*net.TCPAddr).Port
	free.Close()
	takenPort := taken.Addr().(*net.TCPAddr).Port
	_, _, err = network.Publish([]runtime.PortMapping{
		{HostIP: "127.0.0.1", HostPort: freePort, ContainerPort: 80, Protocol: "tcp"},
		{HostIP: "127.0.0.1", HostPort: takenPort, ContainerPort: 81, Protocol: "tcp"},
	}, loopback)
	// The error names the second mapping: the first was published, then
	// let go (below).
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("publish 127.0.0.1:%d->81/tcp", takenPort)) ||
		!strings.Contains(err.Error(), "address already in use") || !strings.Contains(err.Error(), "choose another with -p") {
		t.Errorf("publishing a taken port: %v; want it named, address already in use, and what to do", err)
	}
	again, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", freePort))
	if err != nil {
		t.Errorf("the port published before the failure is still held: %v", err)
	} else {
		again.Close()
	}
}
