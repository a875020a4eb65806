package workshop

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// RemoveTree removes dir like os.RemoveAll, but refuses when something is
// mounted under it: RemoveAll would walk into the mount and delete what it
// shows, perhaps the host's own /dev after a learner's bind mount.
func RemoveTree(dir string) error {
	// thread-self: a thread may have a mount namespace of its own.
	mounts, err := os.ReadFile("/proc/thread-self/mountinfo")
	if err != nil {
		return err
	}
	if under := MountsUnder(string(mounts), dir); len(under) > 0 {
		return fmt.Errorf("will not remove %s: %s is mounted there; unmount it first (sudo umount %s)", dir, under[0], under[0])
	}
	return os.RemoveAll(dir)
}

// MountsUnder returns the mount points in mountinfo text that are dir or
// below it.
func MountsUnder(mountinfo, dir string) []string {
	dir = filepath.Clean(dir)
	var under []string
	sc := bufio.NewScanner(strings.NewReader(mountinfo))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 {
			continue
		}
		// Field 5 is the mount point, with spaces and the like as \040 octal.
		mp := unescapeOctal(f[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			under = append(under, mp)
		}
	}
	return under
}

// unescapeOctal undoes mountinfo's \ooo escapes.
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
