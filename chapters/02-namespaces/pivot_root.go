package namespaces

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// bindRoot bind-mounts the rootfs on itself. pivot_root needs the new root to
// be a mount point, and a plain directory is not one; a bind mount of it on
// itself is. MS_REC brings along whatever is mounted below it.
func bindRoot(rootfs string) error {
	return mount(rootfs, rootfs, "", unix.MS_BIND|unix.MS_REC, "")
}

// pivotRoot makes the rootfs the root of the container's mount namespace and
// then removes the old root (the host's) from it.
//
// chroot only changes where one process's path lookups start: the old root
// is still mounted in its namespace, and chapter 1 walked back to it with
// "..". pivot_root(new_root, put_old) changes the root of the whole mount
// namespace and moves the old root to put_old; unmounting put_old then
// leaves no mount of the host's root in the namespace, so no path leads
// there anymore.
//
// put_old must be at or under new_root. The textbook recipe creates a
// directory new_root/.old-root for it, unmounts it and removes it. Passing
// "." for both, from inside the new root, stacks the old root on top of the
// new one instead (pivot_root(2) documents the trick, and runc uses it): a
// single unmount of "." removes it, and nothing is written to the rootfs,
// which the container's root could not even do in a user namespace, where
// the rootfs belongs to someone else.
//
//workshop:exercise ns.pivot
func pivotRoot(rootfs string) error {
	if err := unix.Chdir(rootfs); err != nil {
		return fmt.Errorf("chdir %s: %w", rootfs, err)
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root %s: %w", rootfs, err)
	}
	// MNT_DETACH: the old root is still in use (by mounts and open files of
	// this very process); detach it now, the kernel frees it when unused.
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("unmount the old root: %w", err)
	}
	// The working directory may still point into the old root; move to the
	// new one.
	if err := unix.Chdir("/"); err != nil {
		return fmt.Errorf("chdir /: %w", err)
	}
	return nil
}
