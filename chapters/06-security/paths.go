package security

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// /proc and /sys are windows onto the kernel, not the container's: some
// of their files change the whole machine. /proc/sys/kernel/core_pattern
// names a program the kernel runs, as root on the host, whenever a
// process crashes; /proc/sysrq-trigger reboots it; /proc/kcore is its
// memory. The container's /proc is its own mount (chapter 2), so it can be
// changed under it without touching the host's:
//
//   - a masked path gets something empty mounted over it: /dev/null on a
//     file, an empty read-only tmpfs on a directory;
//   - a read-only path is bind-mounted on itself, then the bind mount is
//     made read-only.
//
// Without CAP_SYS_ADMIN, and with mount(2) refused by the seccomp filter,
// the container cannot take the covers off again.

// DefaultMaskedPaths and DefaultReadonlyPaths are runc's and Docker's.
var (
	DefaultMaskedPaths = []string{
		"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
		"/sys/firmware", "/sys/devices/virtual/powercap",
	}
	DefaultReadonlyPaths = []string{
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
	}
)

// maskPath hides path, a path in the container after pivot_root. One that
// does not exist on this kernel needs no mask.
//
//workshop:exercise sec.mask
func maskPath(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mask %s: %w", path, err)
	}
	if fi.IsDir() {
		err = unix.Mount("tmpfs", path, "tmpfs", unix.MS_RDONLY, "size=0")
	} else {
		err = unix.Mount("/dev/null", path, "", unix.MS_BIND, "")
	}
	if err != nil {
		return fmt.Errorf("mask %s: %w", path, err)
	}
	return nil
}

// readonlyPath makes path read-only.
func readonlyPath(path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := unix.Mount(path, path, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind-mount %s on itself: %w", path, err)
	}
	// A remount changes the flags of the bind mount alone: the kernel
	// keeps the others it has (nosuid, nodev, noexec on /proc) only if
	// they are given again.
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return fmt.Errorf("statfs %s: %w", path, err)
	}
	flags := uintptr(unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY)
	for _, f := range []struct{ st, ms uintptr }{
		{unix.ST_NOSUID, unix.MS_NOSUID}, {unix.ST_NODEV, unix.MS_NODEV}, {unix.ST_NOEXEC, unix.MS_NOEXEC},
	} {
		if uintptr(st.Flags)&f.st != 0 {
			flags |= f.ms
		}
	}
	if err := unix.Mount("", path, "", flags, ""); err != nil {
		return fmt.Errorf("make %s read-only: %w", path, err)
	}
	return nil
}
