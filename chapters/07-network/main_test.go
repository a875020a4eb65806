package network_test

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

// TestMain checks that the tests left the machine's own network as they
// found it: every interface and address the same.
func TestMain(m *testing.M) {
	before, err := ownNetwork()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	after, err := ownNetwork()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if after != before {
		fmt.Fprintf(os.Stderr, "the tests changed this machine's own network:\nbefore:\n%s\nafter:\n%s\n", before, after)
		code = 1
	}
	os.Exit(code)
}

// ownNetwork describes this process's network namespace: each interface
// with its flags and addresses.
func ownNetwork() (string, error) {
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
		fmt.Fprintf(&b, "%s %v %v\n", i.Name, i.Flags, addrs)
	}
	return b.String(), nil
}
