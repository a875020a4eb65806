// Package netguard lets a test binary check that its tests left this
// machine's own network as it was. It is apart from testutil because it
// imports net, which links a test binary dynamically (cgo), and some test
// binaries must run inside busybox containers.
package netguard

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
)

// Snapshot describes this process's network namespace as far as
// the tests could change it: every interface with its flags and
// addresses, the routes, IP forwarding, and the nftables tables. A test
// binary takes one before and after its tests: chapter 7's must change
// nothing of the machine's own network, only namespaces they make.
func Snapshot() (string, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, i := range ifs {
		addrs, err := i.Addrs()
		if err != nil {
			return "", err
		}
		// IPv4 alone: a host's IPv6 addresses may change on their own
		// (temporary addresses are renewed), and minibox makes none.
		var v4 []string
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
				v4 = append(v4, n.String())
			}
		}
		fmt.Fprintf(&b, "%s %v %v\n", i.Name, i.Flags, v4)
	}
	for _, f := range []string{"/proc/net/route", "/proc/sys/net/ipv4/ip_forward"} {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s:\n%s", f, data)
	}
	if _, err := exec.LookPath("nft"); err == nil {
		out, err := exec.Command("nft", "list", "tables").CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("nft list tables: %w: %s", err, out)
		}
		fmt.Fprintf(&b, "nft tables:\n%s", out)
	}
	return b.String(), nil
}

// Run runs the tests, and fails them (exit code 1) if
// they changed this machine's own network.
func Run(m interface{ Run() int }) int {
	before, err := Snapshot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	after, err := Snapshot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if after != before {
		fmt.Fprintf(os.Stderr, "the tests changed this machine's own network:\nbefore:\n%s\nafter:\n%s\n", before, after)
		return 1
	}
	return code
}
