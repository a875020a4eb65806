package network

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"
)

// The tests and steps of NAT need somewhere beyond the host to go. They
// never go to the real internet: a namespace plays it, joined to the
// namespace that plays the host by a veth, with addresses of TEST-NET-2
// (198.51.100.0/24, RFC 5737: no real network uses them).

// Internet is a namespace that plays the internet, with one web server.
type Internet struct {
	ns *os.File
	ln net.Listener
}

// The addresses on the link between the host and the internet.
var (
	UplinkHost   = netip.MustParsePrefix("198.51.100.2/24") // the host's end, "uplink"
	InternetAddr = netip.MustParsePrefix("198.51.100.1/24") // the server's
)

// NewInternet joins a new namespace to host by a veth (uplink on the
// host's side, eth0 on the internet's), and starts a web server on
// 198.51.100.1:80 that answers every request with the address it came
// from: what the internet sees of a container.
func NewInternet(host *os.File) (*Internet, error) {
	ns, err := NewHost()
	if err != nil {
		return nil, err
	}
	inet := &Internet{ns: ns}
	if err := inet.wire(host); err != nil {
		ns.Close()
		return nil, fmt.Errorf("the internet's namespace: %w", err)
	}
	return inet, nil
}

func (inet *Internet) wire(host *os.File) error {
	h, err := Handle(host)
	if err != nil {
		return err
	}
	defer h.Close()
	ih, err := Handle(inet.ns)
	if err != nil {
		return err
	}
	defer ih.Close()
	if err := AddVeth(h, "uplink", ContainerEnd, inet.ns); err != nil {
		return err
	}
	if err := errors.Join(SetUp(h, "uplink", UplinkHost), SetUp(ih, ContainerEnd, InternetAddr)); err != nil {
		return err
	}
	if err := Do(inet.ns, func() (err error) {
		inet.ln, err = net.Listen("tcp4", net.JoinHostPort(InternetAddr.Addr().String(), "80"))
		return err
	}); err != nil {
		return err
	}
	go inet.serve()
	return nil
}

func (inet *Internet) serve() {
	for {
		c, err := inet.ln.Accept()
		if err != nil {
			return // closed
		}
		from, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		c.SetDeadline(time.Now().Add(5 * time.Second))
		bufio.NewReader(c).ReadString('\n') // the request line is enough
		fmt.Fprintf(c, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nyou came from %s\n", from)
		c.Close()
	}
}

// Close stops the server and ends the namespace, and the veth with it.
func (inet *Internet) Close() error {
	var err error
	if inet.ln != nil {
		err = inet.ln.Close()
	}
	return errors.Join(err, inet.ns.Close())
}
