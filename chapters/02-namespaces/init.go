package namespaces

import (
	"os"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// The container's init is this same binary, re-executed by Start through
// /proc/self/exe with argv[0] set to initEntry (chapter 1's reexec.go). It
// starts inside the new namespaces, made by the kernel at clone time, reads
// its spec (its orders, chroot.Orders), sets the container up and execs the
// command.

const initEntry = "minibox-namespaces-init"

func init() { chroot.Register(initEntry, initMain) }

// spec is what the parent sends the init, as its orders.
type spec struct {
	Rootfs   string
	Args     []string
	Hostname string
	UserNS   bool
	Env      []string
	Dir      string
	Confine  *Confinement
}

func initMain() { runInit(execCommand) }

// runInit sets the container up, then runs last: execCommand, which does not
// return unless it fails, or the escape of escape.go. Any error goes to the
// parent over the reply pipe.
func runInit(last func(spec) (exitCode int, err error)) {
	if err := checkSealed(); err != nil {
		chroot.Fail(err, ExitSetupFailed)
	}
	var s spec
	if err := chroot.Orders(&s); err != nil {
		chroot.Fail(err, ExitSetupFailed)
	}
	if err := setup(s); err != nil {
		chroot.Fail(err, ExitSetupFailed)
	}
	code, err := last(s)
	if err != nil {
		chroot.Fail(err, code)
	}
	os.Exit(code)
}

// setup builds the container around the init, one step at a time, in an
// order that matters: propagation off before any mount; every mount inside
// the new root before pivot_root, while the host's /dev and /sys are still
// in reach; the hostname and lo need no files.
func setup(s spec) error {
	if err := newCgroupNamespace(); err != nil {
		return err
	}
	if err := MakeMountsPrivate(); err != nil {
		return err
	}
	if err := bindRoot(s.Rootfs); err != nil {
		return err
	}
	if err := mountProc(s.Rootfs); err != nil {
		return err
	}
	if err := mountDev(s.Rootfs, s.UserNS); err != nil {
		return err
	}
	if err := mountSys(s.Rootfs); err != nil {
		return err
	}
	if err := pivotRoot(s.Rootfs); err != nil {
		return err
	}
	if err := setHostname(s.Hostname); err != nil {
		return err
	}
	if err := loopbackUp(); err != nil {
		return err
	}
	return s.Confine.ApplyRoot()
}
