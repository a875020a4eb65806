package namespaces

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// The mount namespace holds the mount table. A new one starts as a copy of
// the host's, and from then on mounts made on either side stay on that side,
// as long as propagation is off (MakeMountsPrivate). The container's /proc,
// /dev and /sys, and its root itself, are mounts in its own namespace: they
// vanish with it, and nothing is written to the rootfs on disk.
const cloneMount = unix.CLONE_NEWNS

// MakeMountsPrivate turns mount propagation off for every mount in the
// calling thread's mount namespace: the container's, or any process's that
// made a namespace of its own to mount in (chapters 4 and 5 do). It must
// come before any other mount.
//
// Mounts can be "shared": a mount under a shared mount is repeated in every
// namespace holding a copy of it, and systemd makes / shared. Without this
// step the container's /proc would show up on the host, and pivot_root would
// fail with "invalid argument", since it refuses a shared root.
//
//workshop:exercise ns.private
func MakeMountsPrivate() error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make every mount private (mount --make-rprivate /): %w", err)
	}
	return nil
}

// mount is mount(2) with an error that says what was mounted where.
func mount(source, target, fstype string, flags uintptr, data string) error {
	err := unix.Mount(source, target, fstype, flags, data)
	switch {
	case err == nil:
		return nil
	case flags&unix.MS_REMOUNT != 0:
		return fmt.Errorf("remount %s: %w", target, err)
	case flags&unix.MS_BIND != 0:
		return fmt.Errorf("bind-mount %s on %s: %w", source, target, err)
	default:
		return fmt.Errorf("mount %s on %s: %w", fstype, target, err)
	}
}
