package namespaces

import "golang.org/x/sys/unix"

// The cgroup namespace virtualises the view of control groups: the cgroup the
// process is in when the namespace is made becomes its "/". Inside,
// /proc/self/cgroup reads "0::/" instead of the host's path (for example
// "0::/user.slice/session-2.scope"), so the container learns nothing about
// where the host placed it. It changes no limits: that is chapter 3. The
// init has nothing to set up for it.
const cloneCgroup = unix.CLONE_NEWCGROUP
