// Package chroot is chapter 1 of the minibox workshop: the chroot jail.
//
// A container image starts life as a distribution's userland: a directory
// holding /bin, /etc and friends. This chapter builds one from the host's
// static busybox (userland.go), runs a command with that directory as its
// root (jail.go), and then breaks out of the jail (escape.go), to show that
// chroot(2) alone only changes where "/" points for path lookups; it is not
// a security boundary. Chapter 2 closes the hole with mount namespaces and
// pivot_root(2).
//
// Syscalls: chroot(2), chdir(2), fchdir(2), execve(2).
//
// The same binary re-executes itself to run Go code inside the jail
// (reexec.go); chapter 2 grows that trick into a container init.
//
// Tutorial: tutorial/01-chroot.md
package chroot
