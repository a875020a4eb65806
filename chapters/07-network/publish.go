package network

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// ParsePublish reads one -p as Docker writes it: CONTAINER, HOST:CONTAINER
// or IP:HOST:CONTAINER, each port optionally followed by /tcp or /udp (tcp
// if not). No host port (80, or 127.0.0.1::80) asks for any free one.
//
//workshop:exercise net.publish
func ParsePublish(spec string) (runtime.PortMapping, error) {
	m := runtime.PortMapping{Protocol: "tcp"}
	rest := spec
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		m.Protocol, rest = rest[i+1:], rest[:i]
		if m.Protocol != "tcp" && m.Protocol != "udp" {
			return m, fmt.Errorf("-p %s: protocol %q: minibox publishes tcp and udp", spec, m.Protocol)
		}
	}
	parts := strings.Split(rest, ":")
	var host, container string
	switch len(parts) {
	case 1:
		container = parts[0]
	case 2:
		host, container = parts[0], parts[1]
	case 3:
		m.HostIP, host, container = parts[0], parts[1], parts[2]
		ip, err := netip.ParseAddr(m.HostIP)
		if err != nil || !ip.Is4() {
			return m, fmt.Errorf("-p %s: %q is not an IPv4 address of the host, such as 127.0.0.1", spec, m.HostIP)
		}
	default:
		return m, fmt.Errorf("-p %s: want [IP:][HOST:]CONTAINER[/tcp|udp], such as 8080:80", spec)
	}
	var err error
	if m.ContainerPort, err = port(spec, "container", container); err != nil {
		return m, err
	}
	if host != "" {
		if m.HostPort, err = port(spec, "host", host); err != nil {
			return m, err
		}
	}
	return m, nil
}

// port reads one port number, 1 to 65535; whose says whose it is.
func port(spec, whose, s string) (int, error) {
	if strings.Contains(s, "-") {
		return 0, fmt.Errorf("-p %s: port ranges are not published by minibox: give one -p for each port", spec)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("-p %s: the %s port %q: want a number from 1 to 65535", spec, whose, s)
	}
	return n, nil
}
