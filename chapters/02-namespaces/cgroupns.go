package namespaces

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// The cgroup namespace virtualises the view of control groups: the cgroup the
// process is in when the namespace is made becomes its "/". Inside,
// /proc/self/cgroup reads "0::/" instead of the host's path (for example
// "0::/user.slice/session-2.scope"), so the container learns nothing about
// where the host placed it. It changes no limits: that is chapter 3.
//
// Because the root is fixed when the namespace is made, the init makes it
// itself, after Config.Started has had the chance to move it into the
// container's cgroup (chapter 5 does): made at clone time, the root would be
// the parent's cgroup, and the container would read "/../minibox/web-42".
const cloneCgroup = unix.CLONE_NEWCGROUP

// newCgroupNamespace moves the init into a new cgroup namespace. unshare(2)
// moves one thread, and a Go program has several: the init locks itself to
// this thread for good, and the execve at the end runs on it, so the
// command is born in the new namespace.
//
//workshop:exercise ns.cgroupns
func newCgroupNamespace() error {
	runtime.LockOSThread()
	if err := unix.Unshare(cloneCgroup); err != nil {
		return fmt.Errorf("new cgroup namespace: %w", err)
	}
	return nil
}
