package namespaces

import (
	"encoding/json"
	"fmt"
	"os"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// The container's init is this same binary, re-executed by Start through
// /proc/self/exe with argv[0] set to initEntry (chapter 1's reexec.go). It
// starts inside the new namespaces, made by the kernel at clone time, reads
// its spec from fd 3, sets the container up and execs the command.

const initEntry = "minibox-namespaces-init"

func init() { chroot.Register(initEntry, initMain) }

// spec is what the parent sends the init, as JSON on fd 3: a pipe, not
// argv, which every process on the host can read in `ps` and which is
// limited in size.
type spec struct {
	Rootfs   string
	Args     []string
	Hostname string
	UserNS   bool
	Env      []string
	Dir      string
}

// specFD is the child's end of the spec pipe (ExtraFiles[0]).
const specFD = 3

func initMain() { runInit(execCommand) }

// runInit sets the container up, then runs last: execCommand, which does not
// return unless it fails, or the escape of escape.go. Any error goes to the
// parent over the error pipe.
func runInit(last func(spec) (exitCode int, err error)) {
	s, err := readSpec()
	if err != nil {
		reportError(err, ExitSetupFailed)
	}
	if err := setup(s); err != nil {
		reportError(err, ExitSetupFailed)
	}
	code, err := last(s)
	if err != nil {
		reportError(err, code)
	}
	os.Exit(code)
}

// readSpec marks the error pipe close-on-exec (so that a successful exec
// closes it with nothing written), then reads the spec.
func readSpec() (spec, error) {
	if _, err := unix.FcntlInt(errorFD, unix.F_SETFD, unix.FD_CLOEXEC); err != nil {
		return spec{}, fmt.Errorf("error pipe: %w", err)
	}
	f := os.NewFile(specFD, "spec pipe")
	defer f.Close()
	var s spec
	if err := json.NewDecoder(f).Decode(&s); err != nil {
		return spec{}, fmt.Errorf("read spec from the parent: %w", err)
	}
	return s, nil
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
	return loopbackUp()
}
