package namespaces

import (
	"errors"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// readOnly are the flags of the container's /sys: programs read devices and
// kernel settings there, and must not change the host's.
const readOnly = unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC

// mountSys mounts sysfs read-only on the container's /sys.
//
// A sysfs mount shows the network devices of the mounter's network namespace,
// so in a user namespace the kernel allows it only if that namespace also owns
// the network namespace (here it does), and only if the host's /sys is not
// partly hidden under other mounts (as it is inside some containers). Where
// it refuses, bind the host's /sys instead.
func mountSys(rootfs string) error {
	target := filepath.Join(rootfs, "sys")
	err := mount("sysfs", target, "sysfs", readOnly, "")
	if errors.Is(err, unix.EPERM) {
		return bindSys(target)
	}
	return err
}

// bindSys binds the host's /sys, with the mounts below it (MS_REC), on
// target, read-only. A bind mount takes new flags only with a remount, and
// only its top mount does: the mounts below keep theirs.
func bindSys(target string) error {
	if err := mount("/sys", target, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return err
	}
	return mount("", target, "", unix.MS_BIND|unix.MS_REMOUNT|readOnly, "")
}
