package network

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	images "github.com/minibox-dev/minibox/chapters/04-images"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// A container finds the others on its network by name through its
// /etc/hosts, which minibox writes as the container starts: its own name
// and hostname, and those of every container running on the network then.
// A container that starts later is not in it: Docker's first links worked
// the same way; its networks of today answer names with a DNS server of
// their own (127.0.0.11), which knows every container at every moment.

// Hosts is the text of a container's /etc/hosts: loopback, the container
// itself at self, and others, address by address.
func Hosts(self netip.Addr, names []string, others map[netip.Addr]string) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	fmt.Fprintf(&b, "%s\t%s\n", self, strings.Join(names, " "))
	addrs := make([]netip.Addr, 0, len(others))
	for a := range others {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	for _, a := range addrs {
		fmt.Fprintf(&b, "%s\t%s\n", a, others[a])
	}
	return b.String()
}

// writeHosts writes the /etc/hosts of container s, at addr, in its root
// filesystem rootfs, with the running containers that hold leases.
func writeHosts(p runtime.Paths, l Leases, s *runtime.State, addr netip.Addr, rootfs string) error {
	owners, err := l.Owners()
	if err != nil {
		return err
	}
	others := map[netip.Addr]string{}
	for a, id := range owners {
		if id == s.ID {
			continue
		}
		// The record as it is: the supervisor holds this container's lock
		// and no other, and must not reconcile (runtime.List) from here.
		o, err := runtime.LoadState(p, id)
		if err == nil && o.Status == runtime.Running {
			others[a] = o.Name
		}
	}
	names := []string{s.Name}
	if h := s.Hostname(); h != s.Name {
		names = append([]string{h}, names...)
	}
	// With a user namespace, the container's root is HostUID on the host:
	// the file is its own, as the image's files are.
	uid, gid := -1, -1
	if s.Config.UserNS {
		uid, gid = namespaces.HostUID, namespaces.HostGID
	}
	return images.WriteFileIn(rootfs, "etc/hosts", []byte(Hosts(addr, names, others)), 0o644, uid, gid)
}
