package security

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// The probe tries what an attacker would, harmlessly: it opens for writing
// and never writes, and calls each dangerous system call with an argument
// the kernel rejects only after its permission check. Its errno says which
// wall stopped it, or that none did:
//
//   - EPERM: refused (by a missing capability or the seccomp filter);
//   - EINVAL, ENOEXEC: the permission check passed, and the kernel
//     refused only the bad argument: the attack would have worked.
//
// It is this binary (minibox, or a test), run in a container under the
// name ProbeEntry: `minibox-probe NAME [ARG]`. It prints "NAME: allowed"
// or "NAME: refused (errno)" and exits 0 either way.

// ProbeEntry is the probe's argv[0].
const ProbeEntry = "minibox-probe"

// probeExit is a child that only exits, for the probes that start one.
const probeExit = ProbeEntry + "-exit"

func init() {
	chroot.Register(ProbeEntry, probeMain)
	chroot.Register(probeExit, func() { os.Exit(0) })
}

// refusal is a probe's own word that the attack failed.
type refusal string

func (r refusal) Error() string { return string(r) }

// switchedOff is a probe's word that the machine itself has the call
// switched off for everyone, root included (kernel lockdown, a sysctl):
// its EPERM says nothing of the container.
type switchedOff string

func (s switchedOff) Error() string { return string(s) }

func probeMain() {
	if len(os.Args) < 2 || probes[os.Args[1]] == nil {
		fmt.Fprintf(os.Stderr, "usage: %s NAME [ARG], NAME one of %s\n", ProbeEntry, strings.Join(ProbeNames(), " "))
		os.Exit(2)
	}
	name, arg := os.Args[1], ""
	if len(os.Args) > 2 {
		arg = os.Args[2]
	}
	fmt.Println(Verdict(name, probes[name](arg)))
	os.Exit(0)
}

// Verdict is the probe's line for what the attack's call returned.
//
//workshop:exercise sec.verdict
func Verdict(name string, err error) string {
	var errno unix.Errno
	var no refusal
	var off switchedOff
	switch {
	case err == nil:
		return name + ": allowed"
	case errors.As(err, &no):
		return fmt.Sprintf("%s: refused (%s)", name, no)
	case errors.As(err, &off):
		return fmt.Sprintf("%s: absent (%s)", name, off)
	case errors.As(err, &errno) && refusedBy(errno):
		return fmt.Sprintf("%s: refused (%s)", name, unix.ErrnoName(errno))
	case errors.As(err, &errno) && (errno == unix.ENOSYS || errno == unix.ENOENT):
		// A kernel built without the call (kexec, modules) or the file.
		return fmt.Sprintf("%s: absent (%s): this kernel has none", name, unix.ErrnoName(errno))
	case errors.As(err, &errno):
		// Past every permission check, stopped only by a bad argument.
		return fmt.Sprintf("%s: allowed (%s after the permission check)", name, unix.ErrnoName(errno))
	default:
		return fmt.Sprintf("%s: error: %v", name, err)
	}
}

// refusedBy reports whether errno is a refusal: a permission (EPERM,
// EACCES), a read-only mount (EROFS), a process out of sight (ESRCH), a
// descriptor that is not there (EBADF), a limit (EAGAIN).
func refusedBy(errno unix.Errno) bool {
	switch errno {
	case unix.EPERM, unix.EACCES, unix.EROFS, unix.ESRCH, unix.EBADF, unix.EAGAIN:
		return true
	}
	return false
}

// ProbeNames lists the probes, sorted.
func ProbeNames() []string {
	var names []string
	for n := range probes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
