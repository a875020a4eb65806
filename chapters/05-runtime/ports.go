package runtime

import (
	"errors"
	"fmt"
	"strings"
)

// A published port (`minibox run -p 8080:80`) is a port of the host that
// leads to a port of the container: a server in the container, on its own
// network namespace's port 80, is reached on the host's 8080. The network
// that connects the container publishes them (network.go).

// PortMapping is one published port.
type PortMapping struct {
	HostIP        string `json:",omitempty"` // the host's address it listens on; "" for all of them
	HostPort      int    // 0: any free port, which the published one in the endpoint names
	ContainerPort int
	Protocol      string // tcp or udp
}

// String shows the mapping as docker ps does: 0.0.0.0:8080->80/tcp.
func (m PortMapping) String() string {
	return fmt.Sprintf("%s->%d/%s", m.Host(), m.ContainerPort, m.Protocol)
}

// Host is the host's side, address and port: 0.0.0.0:8080 for every
// address of the host.
func (m PortMapping) Host() string {
	ip := m.HostIP
	if ip == "" {
		ip = "0.0.0.0"
	}
	return fmt.Sprintf("%s:%d", ip, m.HostPort)
}

// Ports are the container's published ports as ps shows them: those its
// network published, while it runs (none once it has exited, as Docker).
func (s *State) Ports() string {
	if s.Status != Running || s.Endpoint == nil {
		return ""
	}
	shown := make([]string, len(s.Endpoint.Ports))
	for i, p := range s.Endpoint.Ports {
		shown[i] = p.String()
	}
	return strings.Join(shown, ", ")
}

// checkPorts refuses published ports with no network to carry them.
func checkPorts(c Config) error {
	if len(c.Ports) == 0 {
		return nil
	}
	if c.Network == "" || c.Network == NoNetwork {
		return errors.New("-p publishes a port through the container's network, and --network none has none: add --network bridge")
	}
	seen := map[string]bool{}
	for _, p := range c.Ports {
		key := fmt.Sprintf("%s:%d/%s", p.HostIP, p.HostPort, p.Protocol)
		if p.HostPort != 0 && seen[key] {
			return fmt.Errorf("-p %s: the host's port %d/%s is given twice", p, p.HostPort, p.Protocol)
		}
		seen[key] = true
	}
	return nil
}
