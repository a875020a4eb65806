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
// subnet sends anywhere but the bridge; forward what the bridge sends, and
// the answers to it, and nothing else towards the bridge (a published
// port comes through the relay, not the forward hook).
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
		oifname "%[2]s" counter drop
	}
}
`, NATTable, bridge, subnet)
}

// EnsureNAT turns IP forwarding on in the calling thread's network
// namespace, and puts minibox's table there, replacing whatever table of
// that name was there in one transaction (an older minibox's, another
// subnet's). lockDir holds the lock that serialises the containers that
// start at once.
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
	// One nft script is one transaction: the table is made if missing,
	// deleted, and made anew with the rules, or nothing happens at all.
	script := fmt.Sprintf("table ip %[1]s {}\ndelete table ip %[1]s\n", NATTable) + NATRules(bridge, subnet)
	cmd := exec.Command("nft", "-f", "-")
	cmd.Stdin = strings.NewReader(script)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if errors.Is(err, exec.ErrNotFound) {
		return errors.New("no nft command: minibox's NAT rules need nftables (sudo apt-get install nftables)")
	}
	if err != nil {
		return fmt.Errorf("nft -f: load minibox's NAT rules: %w: %s", err, strings.TrimSpace(out.String()))
	}
	return nil
}
