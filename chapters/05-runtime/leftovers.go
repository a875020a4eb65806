package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
)

// Leftover is one thing that minibox's state left on the host.
type Leftover struct {
	Kind LeftoverKind
	Path string // the file, the mount point or the cgroup's directory
	Pid  int    // the process
	Why  string // why it counts, or what it is: "its supervisor is gone"
	// Orphaned is a cgroup whose supervisor is gone. It may be another
	// MINIBOX_ROOT's (tests run side by side), and the next minibox
	// command anywhere sweeps it (chapter 3's Sweep).
	Orphaned bool
}

// LeftoverKind says what a Leftover is.
type LeftoverKind string

// The kinds of Leftover.
const (
	LeftFile    LeftoverKind = "file"
	LeftMount   LeftoverKind = "mount"
	LeftProcess LeftoverKind = "process"
	LeftCgroup  LeftoverKind = "cgroup"
)

// String shows l as the tests and the steps print it:
// "cgroup /sys/fs/cgroup/minibox/mb-0123-42 (its supervisor is gone)".
func (l Leftover) String() string {
	what := l.Path
	if l.Kind == LeftProcess {
		what = strconv.Itoa(l.Pid)
	}
	if l.Why == "" {
		return string(l.Kind) + " " + what
	}
	return fmt.Sprintf("%s %s (%s)", l.Kind, what, l.Why)
}

// Leftovers lists what minibox's state under p has on the host besides
// its images: containers' directories and lock files, mounts, processes and
// cgroups. Once every container is removed (`minibox rm`, `minibox prune`)
// there must be none, however the minibox processes before ended: it is
// how the tests check that nothing leaks.
//
// Where things hide: a mount of the overlay shows in the mount table
// (/proc/self/mountinfo); a process shows by its root, working directory
// or command line (/proc/PID/root, cwd, cmdline) pointing into p; a
// container's cgroup (named mb-ID-SUPERVISORPID) by its maker being dead,
// by its maker being one of p's, or by holding one of p's processes.
func Leftovers(p Paths) ([]Leftover, error) {
	var found []Leftover
	for _, dir := range []string{p.Containers(), p.Run} {
		entries, err := os.ReadDir(dir)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, e := range entries {
			found = append(found, Leftover{Kind: LeftFile, Path: filepath.Join(dir, e.Name())})
		}
	}
	refers := func(s string) bool { return strings.Contains(s, p.Root) || strings.Contains(s, p.Run) }

	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	mounts, err := leftoverMounts(string(mountinfo), p)
	if err != nil {
		return nil, err
	}
	found = append(found, mounts...)

	procs := map[int]bool{} // p's processes
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue // not a process: /proc/self, /proc/meminfo...
		}
		if what := processRefers(pid, refers); what != "" {
			procs[pid] = true
			found = append(found, Leftover{Kind: LeftProcess, Pid: pid, Why: what})
		}
	}

	groups, err := containerCgroups()
	if err != nil {
		return nil, err
	}
	for _, dir := range groups {
		why, orphaned, err := cgroupLeft(dir, procs)
		if err != nil {
			return nil, err
		}
		if why != "" {
			found = append(found, Leftover{Kind: LeftCgroup, Path: dir, Why: why, Orphaned: orphaned})
		}
	}
	return found, nil
}

// cgroupLeft says why the container cgroup dir is left over, or "" if it
// is not p's: procs are p's processes.
func cgroupLeft(dir string, procs map[int]bool) (why string, orphaned bool, err error) {
	name := filepath.Base(dir)
	maker, err := strconv.Atoi(name[strings.LastIndexByte(name, '-')+1:])
	switch {
	case err != nil:
		return "its name ends in no supervisor PID", false, nil
	case !namespaces.Running(maker):
		return "its supervisor is gone", true, nil
	case procs[maker]:
		return "made by one of them", false, nil
	}
	data, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil // the group went since it was listed
	}
	if err != nil {
		return "", false, err
	}
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			return "", false, fmt.Errorf("%s/cgroup.procs: %q is not a PID", dir, f)
		}
		if procs[pid] {
			return "holds one of them", false, nil
		}
	}
	return "", false, nil
}

// leftoverMounts lists the mounts in mountinfo (the text of
// /proc/PID/mountinfo) that minibox's state under p made: those mounted
// inside p.Root or p.Run, and those whose filesystem options name a path
// there (an overlay with its layers in p.Root, wherever it is mounted).
// p.Root or p.Run being a mount point itself, such as a disk of its own
// for /var/lib/minibox, is the machine's choice, not a leftover.
func leftoverMounts(mountinfo string, p Paths) ([]Leftover, error) {
	mounts, err := namespaces.ParseMountinfo(mountinfo)
	if err != nil {
		return nil, err
	}
	inside := func(path string) bool { return within(path, p.Root) || within(path, p.Run) }
	var found []Leftover
	for _, m := range mounts {
		names := slices.ContainsFunc(strings.FieldsFunc(m.SuperOptions, func(r rune) bool {
			return r == ',' || r == '=' || r == ':'
		}), inside)
		if inside(m.MountPoint) || names {
			found = append(found, Leftover{Kind: LeftMount, Path: m.MountPoint, Why: m.FSType + " " + m.Source + " " + m.SuperOptions})
		}
	}
	return found, nil
}

// within reports whether path is strictly inside the directory dir.
func within(path, dir string) bool {
	return strings.HasPrefix(path, strings.TrimSuffix(dir, "/")+"/")
}

// processRefers says why process pid refers to p, or "" if it does not.
// Zombies have no root, cwd or command line: they hold nothing.
func processRefers(pid int, refers func(string) bool) string {
	for _, link := range []string{"root", "cwd", "exe"} {
		if target, err := os.Readlink(fmt.Sprintf("/proc/%d/%s", pid, link)); err == nil && refers(target) {
			return link + " " + target
		}
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err == nil && refers(string(cmdline)) {
		return "command line " + string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
	}
	return ""
}

// containerCgroups returns the directories of containers' cgroups (their
// names start with "mb-", see supervise), in every hierarchy.
func containerCgroups() ([]string, error) {
	l, err := cgroups.Detect()
	if err != nil {
		return nil, err
	}
	mounts := []string{}
	if l.V2Mount != "" {
		mounts = append(mounts, l.V2Mount)
	}
	for _, m := range l.V1 {
		mounts = append(mounts, m)
	}
	var dirs []string
	for _, m := range mounts {
		matches, err := filepath.Glob(filepath.Join(m, cgroups.Parent, cgroupPrefix+"*"))
		if err != nil {
			return nil, err
		}
		for _, d := range matches {
			if !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs, nil
}

// LeftoversAfter is Leftovers, asked again until there are none or wait
// has passed: the last processes of a killed container take a moment to
// go, and their cgroups with them.
func LeftoversAfter(p Paths, wait time.Duration) ([]Leftover, error) {
	deadline := time.Now().Add(wait)
	for {
		left, err := Leftovers(p)
		if err != nil || len(left) == 0 || time.Now().After(deadline) {
			return left, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
