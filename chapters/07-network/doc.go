// Package network is chapter 7 of the minibox workshop: a network for
// containers. Chapter 2 gave each container a network namespace with
// nothing in it but lo: no server in it could be reached, and it could
// reach nothing. This chapter wires it to the host, one kernel object at a
// time:
//
//   - netns.go: a network namespace held by a file descriptor, made or
//     entered on one locked thread, so that the rest of the program stays
//     where it was;
//   - veth.go: a veth pair, two network interfaces joined like the two ends
//     of a cable, one end moved into the container's namespace;
//   - bridge.go: a bridge, a switch in the kernel, that joins the host's
//     ends of every container's veth;
//   - ipam.go, leases.go: addresses for containers from a small pool, each
//     leased in a locked file under MINIBOX_ROOT, and given back when the
//     container ends;
//   - runtime.go: all of it as the network "bridge" of chapter 5's
//     runtime, for `minibox run --network bridge`.
//
// Tests and steps never touch the machine's own network: they make a
// namespace that plays the host, and do everything there.
//
// Syscalls: unshare(2) and setns(2) with CLONE_NEWNET; netlink sockets
// (RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE) through vishvananda/netlink,
// the library runc, containerd's CNI plugins and Docker's libnetwork use:
// a netlink message's bytes teach nothing about containers.
//
// Tutorial: tutorial/07-network.md
package network
