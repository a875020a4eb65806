// Package namespaces is chapter 2 of the minibox workshop: namespaces and
// pivot_root.
//
// A container is an ordinary process to which the kernel shows a world of its
// own: its own hostname, process numbers, mount table, IPC objects, network,
// user IDs and cgroup root. Each of those is a namespace. This chapter starts
// a process in new namespaces of all seven kinds (clone.go, then one file per
// kind: uts.go, pid.go, mount.go, ipc.go, net.go, user.go, cgroupns.go),
// gives it a root of its own with pivot_root (pivot_root.go) and mounts the
// kernel's views it needs (/proc in pid.go, dev.go, sys.go). Then it runs
// chapter 1's escape inside (escape.go): the climb that reached the host from
// a chroot now stops at the container's own root. nsview.go shows which
// namespaces a container shares with the host, as lsns does.
//
// The container's init is this same binary, re-executed (init.go, with
// chapter 1's reexec). It reads its config from a pipe, sets the container up
// in the order that setup shows, and execs the command, which becomes PID 1.
// An error on the way comes back on a second pipe (errors.go), so Start
// reports "mount proc on /x/proc: no such file or directory", not
// "exit status 1".
//
// Run and Start run a command in a container. Do not use them for untrusted
// code: nothing limits the container's memory or processes yet (chapter 3),
// and without UserNS its root is the host's root, with every capability.
//
// Syscalls: clone(2) with CLONE_NEW* flags; mount(2) with MS_PRIVATE,
// MS_BIND, proc, sysfs, tmpfs and devpts; mknod(2); pivot_root(2);
// umount2(2) with MNT_DETACH; sethostname(2); ioctl(2) SIOCSIFFLAGS;
// /proc/<pid>/uid_map and gid_map with setuid(2), setgid(2), setgroups(2);
// execve(2); readlink(2) of /proc/<pid>/ns/*.
//
// Tutorial: tutorial/02-namespaces.md
package namespaces
