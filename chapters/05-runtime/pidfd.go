package runtime

import (
	"errors"
	"fmt"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"golang.org/x/sys/unix"
)

// A PID is a number the kernel hands out again once its process is gone.
// Between "the record says PID 4242 runs the container" and kill(4242),
// the container may exit, and another process, anyone's, take 4242: the
// signal would hit it. A pidfd (pidfd_open(2), Linux 5.3) is a file
// descriptor for one process, never another: once it is known to be the
// container's, a signal through it (pidfd_send_signal(2)) reaches the
// container or nobody.

// openInit returns a pidfd on container s's PID 1, once it is known to be
// that process. The caller closes it.
func openInit(s *State) (int, error) {
	fd, err := openInCgroup(s.Pid, s.Cgroup)
	if errors.Is(err, errGone) {
		return -1, fmt.Errorf("container %s has exited (PID %d is gone, or another process's)", s.Name, s.Pid)
	}
	return fd, err
}

var errGone = errors.New("the process is gone")

// openInCgroup returns a pidfd on process pid if it is in cgroup group
// while the pidfd is open, and alive after that check (so the check was
// not about a newcomer with the same number); errGone if not.
func openInCgroup(pid int, group string) (int, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		return -1, errGone
	}
	if err != nil {
		return -1, fmt.Errorf("pidfd_open %d: %w", pid, err)
	}
	in := false
	if cg, err := cgroups.Open(group); err == nil { // no group: gone with the container
		if in, err = cgroups.Holds(cg, pid); err != nil {
			unix.Close(fd)
			return -1, err
		}
	}
	if !in || !alive(fd) {
		unix.Close(fd)
		return -1, errGone
	}
	return fd, nil
}

// alive reports whether the pidfd's process still runs (or is a zombie:
// its PID is still taken either way).
func alive(pidfd int) bool { return unix.PidfdSendSignal(pidfd, 0, nil, 0) == nil }
