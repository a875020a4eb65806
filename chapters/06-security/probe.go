package security

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"syscall"
	"unsafe"

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

// probes are the attacks, by name.
var probes = map[string]func(arg string) error{
	// open(2) for writing, then close: a file that changes the kernel.
	"open-write": func(path string) error {
		fd, err := unix.Open(path, unix.O_WRONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			unix.Close(fd)
		}
		return err
	},
	// open(2) for reading, then close: a device, say.
	"open-read": func(path string) error {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err == nil {
			unix.Close(fd)
		}
		return err
	},
	// mount(2) of a tmpfs with a size that is no size: the capability
	// check comes first, then the options are read (EINVAL), so nothing
	// is mounted. (An unknown filesystem type would do as well, but the
	// kernel would first try to load a module of that name.)
	"mount": func(string) error {
		return unix.Mount("none", "/", "tmpfs", 0, "size=minibox-no-size")
	},
	// A child in a user namespace of its own, made by clone(2): harmless,
	// and the way around every capability check (its creator is root in
	// it). unshare(2) would do as well, but not from a program with
	// threads, which a Go program always is.
	"new-userns": func(string) error {
		child := chroot.Self(probeExit)
		child.SysProcAttr = &syscall.SysProcAttr{Cloneflags: unix.CLONE_NEWUSER}
		return child.Run()
	},
	// kexec_load(2) with one segment too many: CAP_SYS_BOOT is checked
	// first, then EINVAL.
	"kexec_load": func(string) error {
		const tooMany = 17 // KEXEC_SEGMENT_MAX + 1
		_, _, errno := unix.Syscall6(unix.SYS_KEXEC_LOAD, 0, tooMany, 0, 0, 0, 0)
		return errnoErr(errno)
	},
	// init_module(2) of an empty module: CAP_SYS_MODULE first, then ENOEXEC.
	"init_module": func(string) error {
		empty := []byte{0}
		_, _, errno := unix.Syscall(unix.SYS_INIT_MODULE, uintptr(unsafe.Pointer(&empty[0])), 0, uintptr(unsafe.Pointer(&empty[0])))
		return errnoErr(errno)
	},
	// keyctl(2): the ID of the session keyring, shared with the host's
	// processes, not made if missing.
	"keyctl": func(string) error {
		_, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_SESSION_KEYRING, false)
		return err
	},
	// clock_settime(2) with 2 s of nanoseconds: past the filter, the
	// kernel refuses the time itself (EINVAL), so the clock cannot change.
	"clock_settime": func(string) error {
		bad := unix.Timespec{Sec: 0, Nsec: 2_000_000_000}
		return unix.ClockSettime(unix.CLOCK_REALTIME, &bad)
	},
	// TIOCSTI on standard input: push one byte into the terminal's input,
	// as if typed. The kernel allows it on the caller's controlling
	// terminal, or to CAP_SYS_ADMIN on any terminal. Run it only on a
	// terminal made for the purpose: if allowed, a space is typed there.
	"tiocsti": func(string) error {
		space := byte(' ')
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, 0, unix.TIOCSTI, uintptr(unsafe.Pointer(&space)))
		return errnoErr(errno)
	},
	// The capability sets and the rest, as the kernel reports them.
	"status": func(string) error {
		b, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "Cap") || strings.HasPrefix(line, "NoNewPrivs") || strings.HasPrefix(line, "Seccomp:") {
				fmt.Println(line)
			}
		}
		return nil
	},
}

func errnoErr(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}

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
func Verdict(name string, err error) string {
	var errno unix.Errno
	switch {
	case err == nil:
		return name + ": allowed"
	case errors.As(err, &errno) && (errno == unix.EPERM || errno == unix.EACCES || errno == unix.EROFS):
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

// ProbeNames lists the probes, sorted.
func ProbeNames() []string {
	var names []string
	for n := range probes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
