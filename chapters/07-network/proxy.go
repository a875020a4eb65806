package network

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
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
		if errors.Is(err, syscall.EADDRINUSE) {
			err = fmt.Errorf("%w: another program or container has the host's port %d/%s; choose another with -p", err, m.HostPort, m.Protocol)
		}
		if err != nil {
			p.Close()
			return nil, nil, fmt.Errorf("publish %s: %w", m, err)
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
// it after a minute of silence. At most maxUDPSessions clients at once:
// datagrams from more are dropped, as a full NAT table drops them.
func (p *proxy) relayUDP(host, to string) (int, error) {
	pc, err := net.ListenPacket("udp4", host)
	if err != nil {
		return 0, err
	}
	r := &udpRelay{pc: pc, to: to, sessions: map[string]net.Conn{}}
	p.closers = append(p.closers, r)
	go r.serve()
	return pc.LocalAddr().(*net.UDPAddr).Port, nil
}

const maxUDPSessions = 1024

type udpRelay struct {
	pc       net.PacketConn
	to       string
	mu       sync.Mutex
	sessions map[string]net.Conn // by client address
}

func (r *udpRelay) serve() {
	buf := make([]byte, 65536)
	for {
		n, client, err := r.pc.ReadFrom(buf)
		if err != nil {
			return // closed
		}
		if back := r.session(client); back != nil {
			back.Write(buf[:n])
		}
	}
}

// session returns client's socket towards the container, made if need be.
func (r *udpRelay) session(client net.Addr) net.Conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	if back, ok := r.sessions[client.String()]; ok {
		return back
	}
	if r.sessions == nil || len(r.sessions) >= maxUDPSessions {
		return nil // closed, or full
	}
	back, err := net.Dial("udp4", r.to)
	if err != nil {
		return nil
	}
	r.sessions[client.String()] = back
	go r.answers(client, back)
	return back
}

// answers sends the container's answers on back to client, until a
// minute passes without one or the relay closes.
func (r *udpRelay) answers(client net.Addr, back net.Conn) {
	buf := make([]byte, 65536)
	for {
		back.SetReadDeadline(time.Now().Add(time.Minute))
		n, err := back.Read(buf)
		if err != nil {
			break
		}
		r.pc.WriteTo(buf[:n], client)
	}
	r.mu.Lock()
	if r.sessions[client.String()] == back {
		delete(r.sessions, client.String())
	}
	r.mu.Unlock()
	back.Close()
}

// Close stops the relay and every client's session.
func (r *udpRelay) Close() error {
	r.mu.Lock()
	for _, back := range r.sessions {
		back.Close()
	}
	r.sessions = nil
	r.mu.Unlock()
	return r.pc.Close()
}
