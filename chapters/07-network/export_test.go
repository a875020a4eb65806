package network

import (
	"io"
	"net/netip"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// Publish is publish, for the tests: they relay on loopback.
func Publish(ports []runtime.PortMapping, addr netip.Addr) (io.Closer, []runtime.PortMapping, error) {
	p, published, err := publish(ports, addr)
	if err != nil {
		return nil, nil, err
	}
	return p, published, nil
}
