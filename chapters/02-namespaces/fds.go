package namespaces

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// CloseExtraFDs marks every file descriptor from 3 up close-on-exec, so
// that the command the next execve(2) starts has only its standard
// streams. Go opens its own files close-on-exec, but a descriptor this
// process inherited does not close by itself: a shell's open directory,
// passed down through minibox, the supervisor and the init, would hand the
// container a way out to the host's files (the class of CVE-2024-21626,
// "leaky vessels" in runc). close_range(2) does it in one call (Linux
// 5.11); older kernels get the same, one /proc/self/fd entry at a time.
func CloseExtraFDs() error {
	err := unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC)
	if err == nil || !(errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL)) {
		return err
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return fmt.Errorf("list the open files: %w", err)
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd >= 3 {
			unix.CloseOnExec(fd) // the one ReadDir used is gone already: no error to see
		}
	}
	return nil
}
