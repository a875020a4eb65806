package namespaces

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// devices are the device files every program expects in /dev, with the
// kernel's fixed numbers for them (Documentation/admin-guide/devices.txt).
var devices = []struct {
	name         string
	major, minor uint32
}{
	{"null", 1, 3},
	{"zero", 1, 5},
	{"full", 1, 7},
	{"random", 1, 8},
	{"urandom", 1, 9},
	{"tty", 5, 0},
}

// mountDev gives the container a minimal /dev of its own, on a tmpfs: the
// host's /dev holds every disk and device of the machine, and the container
// must not reach them.
//
// A device file is a name for a (type, major, minor) triple; mknod(2) makes
// one. In a user namespace the kernel refuses mknod (the container's root
// could otherwise name any disk) and ignores device files on filesystems the
// namespace mounted, so there each device is a bind mount of the host's
// own file instead.
func mountDev(rootfs string, userNS bool) error {
	dev := filepath.Join(rootfs, "dev")
	if err := mount("tmpfs", dev, "tmpfs", unix.MS_NOSUID|unix.MS_STRICTATIME, "mode=755,size=64k"); err != nil {
		return err
	}
	for _, d := range devices {
		path := filepath.Join(dev, d.name)
		var err error
		if userNS {
			err = bindDevice(filepath.Join("/dev", d.name), path)
		} else {
			err = makeDevice(path, d.major, d.minor)
		}
		if err != nil {
			return err
		}
	}
	return mountPtsAndShm(dev)
}

// makeDevice creates a character device file readable and writable by all.
func makeDevice(path string, major, minor uint32) error {
	if err := unix.Mknod(path, unix.S_IFCHR|0o666, int(unix.Mkdev(major, minor))); err != nil {
		return fmt.Errorf("mknod %s: %w", path, err)
	}
	// mknod's mode is filtered by the umask.
	if err := unix.Chmod(path, 0o666); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	return nil
}

// bindDevice makes path show the host's device file: an empty file to mount
// on, then a bind mount.
func bindDevice(host, path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return mount(host, path, "", unix.MS_BIND, "")
}

// mountPtsAndShm adds /dev/pts, for terminals, and /dev/shm, for POSIX shared
// memory. "newinstance" gives the container its own set of pseudo-terminals,
// numbered from 0, instead of the host's; /dev/ptmx, where programs ask for a
// new one, must then point at this instance's ptmx.
func mountPtsAndShm(dev string) error {
	pts := filepath.Join(dev, "pts")
	if err := os.Mkdir(pts, 0o755); err != nil {
		return err
	}
	if err := mount("devpts", pts, "devpts", unix.MS_NOSUID|unix.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620"); err != nil {
		return err
	}
	if err := os.Symlink("pts/ptmx", filepath.Join(dev, "ptmx")); err != nil {
		return err
	}
	shm := filepath.Join(dev, "shm")
	if err := os.Mkdir(shm, 0o777|os.ModeSticky); err != nil {
		return err
	}
	return mount("shm", shm, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=1777,size=64m")
}
