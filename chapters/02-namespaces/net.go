package namespaces

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// The network namespace holds network interfaces, routes, firewall rules and
// sockets. A new one has a single interface, the loopback `lo`, and even that
// is down: without it, a program inside could not reach itself at 127.0.0.1.
// (Connecting the container to the outside is a later chapter.)
const cloneNet = unix.CLONE_NEWNET

// loopbackUp brings `lo` up, as `ip link set lo up` does: read the
// interface's flags, add IFF_UP, write them back. The ioctls go through any
// socket of the namespace.
//
//workshop:exercise ns.loopback
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("bring lo up: socket: %w", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return fmt.Errorf("bring lo up: %w", err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("bring lo up: SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("bring lo up: SIOCSIFFLAGS: %w", err)
	}
	return nil
}
