package runtime

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
)

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
func Leftovers(p Paths) ([]string, error) {
	var found []string
	for _, dir := range []string{p.Containers(), p.Run} {
		entries, err := os.ReadDir(dir)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, e := range entries {
			found = append(found, "file "+filepath.Join(dir, e.Name()))
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
			continue
		}
		if what := processRefers(pid, refers); what != "" {
			procs[pid] = true
			found = append(found, fmt.Sprintf("process %d (%s)", pid, what))
		}
	}

	groups, err := containerCgroups()
	if err != nil {
		return nil, err
	}
	for _, dir := range groups {
		name := filepath.Base(dir)
		maker, err := strconv.Atoi(name[strings.LastIndexByte(name, '-')+1:])
		switch {
		case err != nil:
			found = append(found, "cgroup "+dir+" (its name ends in no supervisor PID)")
		case !running(maker):
			found = append(found, "cgroup "+dir+" (its supervisor is gone)")
		case procs[maker]:
			found = append(found, "cgroup "+dir+" (made by one of them)")
		default:
			// Unreadable: the group went since it was listed, and holds nothing.
			data, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
			for _, f := range strings.Fields(string(data)) {
				if pid, _ := strconv.Atoi(f); procs[pid] {
					found = append(found, "cgroup "+dir+" (holds one of them)")
					break
				}
			}
		}
	}
	return found, nil
}

// leftoverMounts lists the mounts in mountinfo (the text of
// /proc/PID/mountinfo) that minibox's state under p made: those mounted
// inside p.Root or p.Run, and those whose filesystem options name a path
// there (an overlay with its layers in p.Root, wherever it is mounted).
// p.Root or p.Run being a mount point itself, such as a disk of its own
// for /var/lib/minibox, is the machine's choice, not a leftover.
func leftoverMounts(mountinfo string, p Paths) ([]string, error) {
	mounts, err := cgroups.ParseMountinfo(mountinfo)
	if err != nil {
		return nil, err
	}
	inside := func(path string) bool { return within(path, p.Root) || within(path, p.Run) }
	var found []string
	for _, m := range mounts {
		names := slices.ContainsFunc(strings.FieldsFunc(m.SuperOptions, func(r rune) bool {
			return r == ',' || r == '=' || r == ':'
		}), inside)
		if inside(m.MountPoint) || names {
			found = append(found, fmt.Sprintf("mount %s (%s %s %s)", m.MountPoint, m.FSType, m.Source, m.SuperOptions))
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

// running reports whether process pid runs: it exists and is no zombie.
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses and may
	// hold anything, ")" too.
	i := bytes.LastIndexByte(stat, ')')
	return i > 0 && i+2 < len(stat) && stat[i+2] != 'Z'
}
