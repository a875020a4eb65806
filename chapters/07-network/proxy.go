package network

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// Published ports are relayed by the supervisor, in user space: it listens
// on the host's port, and for each connection there opens one to the
// container's address and copies both ways. Docker's docker-proxy does the
// same for connections to the host's own addresses (127.0.0.1 included),
// beside its NAT rules for the rest. A relay needs no firewall rule that
// could outlive a killed minibox, and reaches the container from
// 127.0.0.1, which NAT alone cannot (the kernel does not route loopback
// addresses out of lo). It costs a copy through user space: `make bench`
// measures it.

// proxy is the listeners of one container's published ports.
type proxy struct {
	closers []io.Closer
}

// Close stops listening; connections already relayed run to their end.
func (p *proxy) Close() error {
	var errs []error
	for _, c := range p.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// publish listens on the host for each of ports, and relays to the same
// port's ContainerPort at addr. It returns the ports as published: a host
// port 0 becomes the one the kernel chose. A port that cannot be had is an
// error, and nothing is left listening.
func publish(ports []runtime.PortMapping, addr netip.Addr) (*proxy, []runtime.PortMapping, error) {
	p := &proxy{}
	var published []runtime.PortMapping
	for _, m := range ports {
		host := net.JoinHostPort(m.HostIP, strconv.Itoa(m.HostPort))
		to := net.JoinHostPort(addr.String(), strconv.Itoa(m.ContainerPort))
		var err error
		var port int
		if m.Protocol == "udp" {
			port, err = p.relayUDP(host, to)
		} else {
			port, err = p.relayTCP(host, to)
		}
		if err != nil {
			p.Close()
			return nil, nil, fmt.Errorf("publish %s: %w: is another program or container using the host's port %d/%s? Choose another with -p", m, err, m.HostPort, m.Protocol)
		}
		m.HostPort = port
		published = append(published, m)
	}
	return p, published, nil
}

func (p *proxy) relayTCP(host, to string) (int, error) {
	ln, err := net.Listen("tcp4", host)
	if err != nil {
		return 0, err
	}
	p.closers = append(p.closers, ln)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed
			}
			go func() {
				defer c.Close()
				back, err := net.DialTimeout("tcp4", to, 5*time.Second)
				if err != nil {
					return // the client sees its connection closed
				}
				defer back.Close()
				Relay(c.(*net.TCPConn), back.(*net.TCPConn))
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Relay copies what a sends to b and what b sends to a, until both have
// finished sending. When one side has sent all it will (EOF), the other
// is told so (CloseWrite: a TCP FIN) and may still answer.
//
//workshop:exercise net.relay
func Relay(a, b *net.TCPConn) {
	var wg sync.WaitGroup
	half := func(dst, src *net.TCPConn) {
		defer wg.Done()
		io.Copy(dst, src)
		dst.CloseWrite()
	}
	wg.Add(2)
	go half(b, a)
	go half(a, b)
	wg.Wait()
}

// relayUDP relays datagrams: each client address gets a socket of its own
// towards the container, so that answers find their way back, and loses
// it after a minute of silence.
func (p *proxy) relayUDP(host, to string) (int, error) {
	pc, err := net.ListenPacket("udp4", host)
	if err != nil {
		return 0, err
	}
	p.closers = append(p.closers, pc)
	var mu sync.Mutex
	sessions := map[string]net.Conn{}
	go func() {
		buf := make([]byte, 65536)
		for {
			n, client, err := pc.ReadFrom(buf)
			if err != nil {
				return // closed
			}
			mu.Lock()
			back, ok := sessions[client.String()]
			if !ok {
				if back, err = net.Dial("udp4", to); err != nil {
					mu.Unlock()
					continue
				}
				sessions[client.String()] = back
				go func() {
					answer := make([]byte, 65536)
					for {
						back.SetReadDeadline(time.Now().Add(time.Minute))
						n, err := back.Read(answer)
						if err != nil {
							break
						}
						pc.WriteTo(answer[:n], client)
					}
					mu.Lock()
					delete(sessions, client.String())
					mu.Unlock()
					back.Close()
				}()
			}
			mu.Unlock()
			back.Write(buf[:n])
		}
	}()
	return pc.LocalAddr().(*net.UDPAddr).Port, nil
}
