package workshop

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
)

// RemoveTree removes dir like os.RemoveAll, but refuses when something is
// mounted under it: RemoveAll would walk into the mount and delete what it
// shows, perhaps the host's own /dev after a learner's bind mount.
func RemoveTree(dir string) error {
	// thread-self: a thread may have a mount namespace of its own.
	text, err := os.ReadFile("/proc/thread-self/mountinfo")
	if err != nil {
		return err
	}
	under, err := MountsUnder(string(text), dir)
	if err != nil {
		return err
	}
	if len(under) > 0 {
		return fmt.Errorf("will not remove %s: %s is mounted there; unmount it first (sudo umount %s)", dir, under[0], under[0])
	}
	return os.RemoveAll(dir)
}

// MountsUnder returns the mount points in mountinfo text that are dir or
// below it.
func MountsUnder(mountinfo, dir string) ([]string, error) {
	mounts, err := cgroups.ParseMountinfo(mountinfo)
	if err != nil {
		return nil, err
	}
	dir = filepath.Clean(dir)
	var under []string
	for _, m := range mounts {
		if m.MountPoint == dir || strings.HasPrefix(m.MountPoint, dir+"/") {
			under = append(under, m.MountPoint)
		}
	}
	return under, nil
}
