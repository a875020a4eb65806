package network

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// A container's address, 10.88.0.2, means nothing beyond the host: no
// router out there knows the way back to it. So the host does what a home
// router does for the machines behind it. It forwards their packets (IP
// forwarding, off by default), and it rewrites each outgoing connection's
// source to its own address, remembering the connection so that answers
// are rewritten back: NAT, network address translation, here in its form
// "masquerade" (the host's address, whatever it is at the moment).
//
// The rules are nftables', the kernel's firewall on Debian 12 and Ubuntu
// 24.04 (iptables there is a front end to it), written with the nft
// command, whose text is the one a learner reads in `nft list ruleset`.
// They live in a table of minibox's own, so they never mix with the
// host's, and stay while the host runs, as Docker's do.

// NATTable is the nftables table that holds minibox's rules.
const NATTable = "minibox"

// NATRules returns the nft script of minibox's table: masquerade what the
// subnet sends anywhere but the bridge, and let the bridge's traffic be
// forwarded, out and back.
//
//workshop:exercise net.nat
func NATRules(bridge string, subnet netip.Prefix) string {
	return fmt.Sprintf(`table ip %[1]s {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr %[3]s oifname != "%[2]s" counter masquerade
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "%[2]s" counter accept
		oifname "%[2]s" ct state established,related counter accept
	}
}
`, NATTable, bridge, subnet)
}

// EnsureNAT turns IP forwarding on in the calling thread's network
// namespace, and adds minibox's table unless it is there. lockDir holds
// the lock that keeps two containers starting at once from adding it
// twice.
func EnsureNAT(bridge string, subnet netip.Prefix, lockDir string) error {
	// Per network namespace: /proc/sys/net is the opener's namespace's.
	if err := os.WriteFile("/proc/sys/net/ipv4/ip_forward", []byte("1\n"), 0o644); err != nil {
		return fmt.Errorf("turn IP forwarding on: %w", err)
	}
	if err := os.MkdirAll(lockDir, 0o700); err != nil {
		return err
	}
	lock, err := os.OpenFile(filepath.Join(lockDir, "nat.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return err
	}
	if err := exec.Command("nft", "list", "table", "ip", NATTable).Run(); err == nil {
		return nil // there already
	} else if errors.Is(err, exec.ErrNotFound) {
		return errors.New("no nft command: minibox's NAT rules need nftables (sudo apt-get install nftables)")
	}
	cmd := exec.Command("nft", "-f", "-")
	cmd.Stdin = strings.NewReader(NATRules(bridge, subnet))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("nft -f: add minibox's NAT rules: %w: %s", err, strings.TrimSpace(out.String()))
	}
	return nil
}
