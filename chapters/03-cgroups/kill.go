package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"syscall"
	"time"
)

// killTimeout bounds how long killAll waits for a group to empty.
const killTimeout = 10 * time.Second

// killAll sends SIGKILL to every process listed in the cgroup.procs of
// dirs, again and again, until the lists are empty: a process may fork
// between the reading of the list and the signal, and its child shows up in
// the next round. (A PID on the list cannot be reused before its process is
// reaped, and the list drops a process as it exits, so the window in which
// a signal could reach a stranger is tiny; cgroup v2's cgroup.kill has
// none.) A directory that is gone counts as empty.
func killAll(dirs []string) error {
	// A process of a frozen v1 group would not die until thawed (the
	// freezer of a commit that was itself killed, say).
	for _, d := range dirs {
		(Setting{File: d + "/freezer.state", Value: "THAWED"}).write() // no freezer there: nothing to do
	}
	deadline := time.Now().Add(killTimeout)
	for {
		var pids []int
		for _, d := range dirs {
			p, err := readProcs(d)
			if err != nil && !isGone(err) {
				return fmt.Errorf("kill the processes of cgroup %s: %w", d, err)
			}
			pids = append(pids, p...)
		}
		if len(pids) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			slices.Sort(pids)
			return fmt.Errorf("kill the processes of cgroup %s: PIDs %v still there after %v", dirs[0], slices.Compact(pids), killTimeout)
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL) // ESRCH: it has just exited
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// isGone reports whether err says a cgroup's directory does not exist
// (anymore).
func isGone(err error) bool { return errors.Is(err, fs.ErrNotExist) }
