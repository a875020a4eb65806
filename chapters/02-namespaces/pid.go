package namespaces

import (
	"path/filepath"

	"golang.org/x/sys/unix"
)

// The PID namespace numbers processes afresh: the container's first process
// is PID 1 inside, while the host knows it by an ordinary PID (Container.Pid).
// Processes inside cannot see or signal the host's.
//
// PID 1 has two duties. Orphans are re-parented to it, and it must reap them
// (wait for them) or they stay as zombies. And when it exits, the kernel
// kills everything else in the namespace. Here the command itself is PID 1:
// the init execs it rather than staying around to fork it. That keeps one
// process per container and makes `echo $$` print 1. busybox sh reaps any
// child it finds, orphans included; a program that never calls wait would
// leave zombies, which is why docker has `--init` (a tiny reaper as PID 1).
const clonePID = unix.CLONE_NEWPID

// mountProc mounts a new proc filesystem on the container's /proc. A proc
// mount shows the PID namespace of the process that mounts it: this one shows
// the container's processes only, and `ps` (which reads /proc) sees just them.
// The host's /proc mount is not in the way: it stays where it is, outside the
// new root.
//
//workshop:exercise ns.proc
func mountProc(rootfs string) error {
	return mount("proc", filepath.Join(rootfs, "proc"), "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
}
