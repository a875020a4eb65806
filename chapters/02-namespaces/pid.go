package namespaces

import (
	"bytes"
	"fmt"
	"os"
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
func mountProc(rootfs string) error {
	return mount("proc", filepath.Join(rootfs, "proc"), "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
}

// Running reports whether process pid runs: it exists and is no zombie. A
// zombie has exited and waits for its parent to reap it; its PID is still
// taken, so kill(pid, 0) succeeds, but nothing runs. /proc/PID/stat says
// which: its state (R, S, D, ..., Z) follows the command name, which is in
// parentheses and may hold anything, ")" too.
func Running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(stat, ')')
	return i > 0 && i+2 < len(stat) && stat[i+2] != 'Z'
}
