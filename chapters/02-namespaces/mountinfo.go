package namespaces

import (
	"fmt"
	"strconv"
	"strings"
)

// A process's mount table is in /proc/PID/mountinfo, one mount a line:
// what is mounted where, with which options and propagation. A mount
// namespace has its own table; mount.go's tests read it to prove that a
// container's mounts stay in the container, chapter 3 finds the cgroup
// filesystems in it, and chapter 5 checks that nothing is left mounted.

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
// Blank lines are skipped.
func ParseMountinfo(text string) ([]Mount, error) {
	var mounts []Mount
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		m, err := parseMountinfoLine(line)
		if err != nil {
			return nil, fmt.Errorf("mountinfo line %d: %w", n+1, err)
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
