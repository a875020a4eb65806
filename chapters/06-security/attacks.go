package security

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// The attacks of the probe (probe.go), each harmless by construction.

// probes are the attacks, by name.
var probes = map[string]func(arg string) error{
	// open(2) for writing, then close: a file that changes the kernel.
	"open-write": openWrite,
	// open(2) for reading, then close: a device, say.
	"open-read": func(path string) error {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err == nil {
			unix.Close(fd)
		}
		return err
	},
	// mknod(2) of /dev/kmsg's numbers (c 1:11) at path, then open(2) of
	// it for reading, never read; the node is removed again.
	"mknod-open": func(path string) error {
		if err := unix.Mknod(path, unix.S_IFCHR|0o600, int(unix.Mkdev(1, 11))); err != nil {
			return err
		}
		defer os.Remove(path)
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
		return offHere(errno, unix.CAP_SYS_BOOT, "/proc/sys/kernel/kexec_load_disabled")
	},
	// init_module(2) of an empty module: CAP_SYS_MODULE first, then ENOEXEC.
	"init_module": func(string) error {
		empty := []byte{0}
		_, _, errno := unix.Syscall(unix.SYS_INIT_MODULE, uintptr(unsafe.Pointer(&empty[0])), 0, uintptr(unsafe.Pointer(&empty[0])))
		return offHere(errno, unix.CAP_SYS_MODULE, "/proc/sys/kernel/modules_disabled")
	},
	// keyctl(2): the ID of the session keyring, shared with the host's
	// processes, not made if missing.
	"keyctl": func(string) error {
		_, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_SESSION_KEYRING, false)
		return err
	},
	// clock_adjtime(2) asking for a tick 10 times too long: CAP_SYS_TIME
	// is checked first, then the tick (EINVAL), so the clock never
	// changes. (clock_settime(2) would not do: the kernel checks the time
	// it is given before the capability, and EINVAL would prove nothing.)
	"clock_adjtime": func(string) error {
		bad := unix.Timex{Modes: unix.ADJ_TICK, Tick: 100_000}
		_, err := unix.ClockAdjtime(unix.CLOCK_REALTIME, &bad)
		return err
	},
	// TIOCSTI on standard input: push one byte into the terminal's input,
	// as if typed. The kernel allows it on the caller's controlling
	// terminal, or to CAP_SYS_ADMIN on any terminal. Run it only on a
	// terminal made for the purpose: if allowed, a space is typed there.
	"tiocsti": func(string) error {
		space := byte(' ')
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, 0, unix.TIOCSTI, uintptr(unsafe.Pointer(&space)))
		if errno == unix.EIO {
			// Since Linux 6.2 a kernel may allow TIOCSTI to CAP_SYS_ADMIN
			// only (sysctl dev.tty.legacy_tiocsti=0), and says EIO.
			return refusal("EIO: this kernel allows TIOCSTI only with CAP_SYS_ADMIN")
		}
		return errnoErr(errno)
	},
	// The chroot escape of chapter 1: out if "/" is then the host's root,
	// whose device and inode arg gives as DEV:INO.
	"chroot-escape": func(hostRoot string) error {
		r, err := chroot.Escape()
		if err != nil {
			return err
		}
		if fmt.Sprintf("%d:%d", r.Root.Dev, r.Root.Ino) != hostRoot {
			return refusal("still inside: \"/\" is not the host's root")
		}
		return nil
	},
	// kill(pid, 0): may this process signal the lab's canary process?
	// Signal 0 checks, and delivers nothing.
	"signal": func(pid string) error {
		n, err := strconv.Atoi(pid)
		if err != nil {
			return err
		}
		return unix.Kill(n, 0)
	},
	// open(2) of /proc/PID/mem of the lab's canary, for reading, never
	// read: the kernel allows it only to a process that may ptrace(2) the
	// canary, so the open proves the power to trace it without touching it.
	"ptrace": func(pid string) error {
		fd, err := unix.Open("/proc/"+pid+"/mem", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.ENOENT) {
			return refusal("ENOENT: no such process in sight")
		}
		if err == nil {
			unix.Close(fd)
		}
		return err
	},
	// open(2) of /proc/PPID/exe for reading: the binary of the process
	// that started this one. In a jail that is a program of the host, a
	// handle on which could be written once it stops running, so that the
	// host's next run of it is the attacker's (CVE-2019-5736, in runc).
	// The file is opened and closed, never written.
	"host-binary": func(string) error {
		ppid := os.Getppid()
		if ppid == 0 {
			return refusal("no parent in sight: it is outside this PID namespace")
		}
		exe := fmt.Sprintf("/proc/%d/exe", ppid)
		if target, err := os.Readlink(exe); err == nil && strings.HasPrefix(target, "/memfd:") {
			return refusal("the parent runs from a sealed copy in memory: " + target)
		}
		fd, err := unix.Open(exe, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			unix.Close(fd)
		}
		return err
	},
	// A cgroup v1 hierarchy's release_agent, opened for writing, never
	// written: the kernel runs the program it names as root on the host
	// when a group empties. The hierarchy is the one in sight under
	// /sys/fs/cgroup, or else one mounted here, in this process's own
	// mount namespace, and unmounted again.
	"release-agent": func(dir string) error {
		if found, _ := filepath.Glob("/sys/fs/cgroup/*/release_agent"); len(found) > 0 {
			return openWrite(found[0])
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		defer os.Remove(dir)
		err := unix.Mount("cgroup", dir, "cgroup", 0, "memory")
		if errors.Is(err, unix.EBUSY) || errors.Is(err, unix.ENODEV) {
			// Every controller is cgroup v2's: this machine has no v1.
			return switchedOff(unix.ErrnoName(err.(unix.Errno)) + ": no cgroup v1 hierarchy on this machine")
		}
		if err != nil {
			return err
		}
		defer unix.Unmount(dir, unix.MNT_DETACH)
		return openWrite(filepath.Join(dir, "release_agent"))
	},
	// fstat(2) of a descriptor that the caller left open (the lab leaves
	// a directory of the host's open as fd 7).
	"leaked-fd": func(fd string) error {
		n, err := strconv.Atoi(fd)
		if err != nil {
			return err
		}
		var st unix.Stat_t
		return unix.Fstat(n, &st)
	},
	// Start up to N sleeping processes (busybox sleep) at once: a fork
	// bomb that stops by itself. EAGAIN is the pids limit saying no.
	"fork-bomb": func(n string) error {
		max, err := strconv.Atoi(n)
		if err != nil {
			return err
		}
		var kids []*exec.Cmd
		defer func() {
			for _, k := range kids {
				k.Process.Kill()
				k.Wait()
			}
		}()
		for len(kids) < max {
			k := exec.Command("/bin/sleep", "60")
			if err := k.Start(); err != nil {
				return fmt.Errorf("after %d processes: %w", len(kids), err)
			}
			kids = append(kids, k)
		}
		return nil
	},
	// Allocate and touch N MiB: a memory hog. Over a memory limit, the
	// kernel's OOM killer ends the probe (exit 137) before it can say.
	"memory-hog": func(n string) error {
		mib, err := strconv.Atoi(n)
		if err != nil {
			return err
		}
		hog := make([]byte, mib<<20)
		for i := 0; i < len(hog); i += 4096 {
			hog[i] = 1
		}
		return nil
	},
	// Read a file of the kernel's: one that is masked reads as empty.
	"read": func(path string) error {
		b, err := os.ReadFile(path)
		if err == nil && len(b) == 0 {
			return refusal("empty: masked")
		}
		return err
	},
	// The capability sets and the rest, as the kernel reports them.
	"status": func(string) error {
		b, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "Uid:") || strings.HasPrefix(line, "Cap") || strings.HasPrefix(line, "NoNewPrivs") || strings.HasPrefix(line, "Seccomp:") {
				fmt.Println(line)
			}
		}
		return nil
	},
}

// offHere is errnoErr, except that an EPERM given to a process that
// holds capability and has no seccomp filter comes from the machine: from
// the sysctl at sysctl set to 1, or from kernel lockdown (Secure Boot).
// Those refuse everyone, so the attack shows nothing here.
func offHere(e unix.Errno, capability int, sysctl string) error {
	if e != unix.EPERM || !unconfinedWith(capability) {
		return errnoErr(e)
	}
	if b, err := os.ReadFile(sysctl); err == nil && strings.TrimSpace(string(b)) == "1" {
		return switchedOff(fmt.Sprintf("EPERM from %s = 1, for everyone on this machine", sysctl))
	}
	if b, err := os.ReadFile("/sys/kernel/security/lockdown"); err == nil && !strings.Contains(string(b), "[none]") {
		return switchedOff("EPERM from kernel lockdown, for everyone on this machine: " + strings.TrimSpace(string(b)))
	}
	return errnoErr(e)
}

// unconfinedWith reports whether this process has capability in its
// effective set and no seccomp filter, from /proc/self/status.
func unconfinedWith(capability int) bool {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return false
	}
	var eff uint64
	seccomp := ""
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			eff, _ = strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
		if v, ok := strings.CutPrefix(line, "Seccomp:"); ok {
			seccomp = strings.TrimSpace(v)
		}
	}
	return eff&(1<<uint(capability)) != 0 && seccomp == "0"
}

// openWrite opens path for writing, and closes it unwritten.
func openWrite(path string) error {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err == nil {
		unix.Close(fd)
	}
	return err
}

func errnoErr(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
