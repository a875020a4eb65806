// Package doctor holds the checks behind `workshop doctor`: can this machine
// run the workshop, and if not, what exactly fixes it?
//
// Run inspects the machine (root, kernel release, namespaces, cgroup layout
// and controllers, overlayfs, a static busybox, user-namespace restrictions,
// the Go toolchain) and returns one Check per item, each problem with the
// command that fixes it. Print renders them for a terminal. Doctor only
// reads: it never mounts, writes a sysctl or loads a module, even as root;
// the learner runs the printed fix.
//
// The parsers (/proc/filesystems, kernel and Go versions) are pure functions
// over text, tested on fixtures from real machines, so the tests need no
// root. The cgroup layout detection (mountinfo, /proc/cgroups) belongs to the
// cgroups chapter (chapters/03-cgroups), whose drivers need it too; doctor
// judges what it finds.
//
// Do not use this package to decide at run time whether a step may proceed:
// a step should try, and report the error it got. Doctor is for the learner
// who wants to know before starting.
package doctor
