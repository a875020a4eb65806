package cgroups

import (
	"fmt"
	"strconv"
	"strings"
)

// Mount is one line of /proc/<pid>/mountinfo (see proc_pid_mountinfo(5)):
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
type Mount struct {
	ID, ParentID int
	MajorMinor   string   // st_dev of the filesystem, "98:0"
	Root         string   // the directory of the filesystem mounted here ("/" for all of it)
	MountPoint   string   // relative to the process's root
	Options      string   // per-mount options: "rw,noatime"
	Optional     []string // propagation tags: "shared:1", "master:1"; nil when none
	FSType       string   // "ext3", "cgroup2", "fuse.sshfs"
	Source       string   // "/dev/root", "cgroup2", "none"
	SuperOptions string   // per-filesystem options: "rw,errors=continue"
}

// ParseMountinfo parses the text of /proc/<pid>/mountinfo. The number of
// optional fields varies, so the line is split at the lone "-" separator.
func ParseMountinfo(text string) ([]Mount, error) {
	var mounts []Mount
	for n, line := range lines(text) {
		m, err := parseMountinfoLine(line)
		if err != nil {
			return nil, fmt.Errorf("mountinfo line %d: %w", n, err)
		}
		mounts = append(mounts, m)
	}
	return mounts, nil
}

func parseMountinfoLine(line string) (Mount, error) {
	// Fields are separated by single spaces (spaces inside paths are
	// escaped as \040), so an empty source shows up as an empty field.
	f := strings.Split(line, " ")
	sep := -1
	for i := 6; i < len(f); i++ {
		if f[i] == "-" {
			sep = i
			break
		}
	}
	if sep < 0 || len(f) < sep+4 {
		return Mount{}, fmt.Errorf("%q: want 6 fields, optional fields, \"-\", fstype, source and super options", line)
	}
	id, err := strconv.Atoi(f[0])
	if err != nil {
		return Mount{}, fmt.Errorf("mount ID %q: %w", f[0], err)
	}
	parent, err := strconv.Atoi(f[1])
	if err != nil {
		return Mount{}, fmt.Errorf("parent ID %q: %w", f[1], err)
	}
	m := Mount{
		ID:           id,
		ParentID:     parent,
		MajorMinor:   f[2],
		Root:         unescapeOctal(f[3]),
		MountPoint:   unescapeOctal(f[4]),
		Options:      f[5],
		FSType:       f[sep+1],
		Source:       unescapeOctal(f[sep+2]),
		SuperOptions: strings.Join(f[sep+3:], " "),
	}
	if sep > 6 {
		m.Optional = f[6:sep]
	}
	return m, nil
}

// unescapeOctal undoes the kernel's escaping of space, tab, newline and
// backslash in paths: "\040" is a space.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// visibleMounts drops the mounts a process cannot reach: those covered by a
// later mount on the same mount point (whose parent is then the covered
// mount), and everything below a covered mount. A tmpfs mounted over
// /sys/fs/cgroup, for one, hides the cgroup hierarchies beneath it.
func visibleMounts(mounts []Mount) []Mount {
	byID := make(map[int]Mount, len(mounts))
	covered := make(map[int]bool)
	for _, m := range mounts {
		byID[m.ID] = m
	}
	for _, m := range mounts {
		if p, ok := byID[m.ParentID]; ok && p.MountPoint == m.MountPoint && p.ID != m.ID {
			covered[p.ID] = true
		}
	}
	var visible []Mount
	for _, m := range mounts {
		if reachable(m, byID, covered) {
			visible = append(visible, m)
		}
	}
	return visible
}

// reachable walks up from m to the root mount (whose parent is not in the
// table). m is hidden if it is covered, or if an ancestor is covered by a
// mount other than the one the walk came from. The walk is bounded by the
// table's size in case of a loop.
func reachable(m Mount, byID map[int]Mount, covered map[int]bool) bool {
	if covered[m.ID] {
		return false
	}
	for range len(byID) + 1 {
		p, ok := byID[m.ParentID]
		if !ok || p.ID == m.ID {
			return true
		}
		if covered[p.ID] && p.MountPoint != m.MountPoint {
			return false
		}
		m = p
	}
	return false
}
