package namespaces

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// mountSys falls back to bindSys only where the kernel refuses a sysfs
// mount, which it does not on a plain host. The test drives the fallback
// directly, in a process of its own in new namespaces.

const bindSysEntry = "minibox-test-bind-sys"

func init() { chroot.Register(bindSysEntry, bindSysMain) }

// BindSysCommand returns a command that, in a container's namespaces, binds
// the host's /sys on rootfs/sys as mountSys's fallback does, then prints the
// options of that mount and what creating a file in it gave.
func BindSysCommand(rootfs string, userNS bool) *exec.Cmd {
	cmd := chroot.Self(bindSysEntry, rootfs)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneFlags(userNS)}
	if userNS {
		setIDMappings(cmd.SysProcAttr)
	}
	return cmd
}

func bindSysMain() {
	if err := bindSysAndReport(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func bindSysAndReport(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: %s ROOTFS", bindSysEntry)
	}
	target := filepath.Join(args[0], "sys")
	if err := MakeMountsPrivate(); err != nil {
		return err
	}
	if err := bindSys(target); err != nil {
		return err
	}
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	mounts, err := ParseMountinfo(string(mountinfo))
	if err != nil {
		return err
	}
	for _, m := range mounts {
		if m.MountPoint == target {
			fmt.Println(m.Options)
		}
	}
	_, err = os.Create(filepath.Join(target, "minibox-test"))
	fmt.Println(err)
	return nil
}

// UnsealedInit returns the container's init as chroot.Self starts it:
// from this binary's own file, not a sealed copy, in new namespaces.
func UnsealedInit() *exec.Cmd {
	cmd := chroot.Self(initEntry)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneFlags(false), Setsid: true}
	return cmd
}
