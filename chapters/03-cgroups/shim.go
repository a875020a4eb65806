package cgroups

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// A command must be in its cgroup before it runs a single instruction of
// its own: started first and moved after, a fork bomb would have forked
// away in between. So Start does not start the command. It starts this
// same binary again as a shim (chapter 1's reexec), puts the shim's PID
// into the cgroup, and only then lets the shim go on: the shim execs the
// command, which keeps the PID, and with it the cgroup.
//
// (cgroup v2 has a shortcut: clone3(2) with CLONE_INTO_CGROUP starts a
// child inside a cgroup, SysProcAttr.UseCgroupFD in Go. v1 has no such
// thing; the shim works with both.)

const shimName = "minibox-cgroup-shim"

func init() { chroot.Register(shimName, runShim) }

// The shim's extra files: it waits for a byte on gateFD, and reports an
// error on errorFD, which closes on a successful exec.
const (
	gateFD  = 3
	errorFD = 4
)

// shimCommand returns the shim that will run cmd, and the parent's ends of
// its two pipes. The shim's arguments are cmd's chroot, working directory,
// program and argv; its environment is cmd's.
func shimCommand(cmd *exec.Cmd) (shim *exec.Cmd, gate, errs *os.File, err error) {
	attr := syscall.SysProcAttr{}
	if cmd.SysProcAttr != nil {
		attr = *cmd.SysProcAttr
	}
	// The shim itself must start outside the chroot: the binary it runs,
	// /proc/self/exe, is not in there. It chroots before the exec.
	root := attr.Chroot
	attr.Chroot = ""
	if attr.Pdeathsig == 0 {
		// If minibox dies, its command goes too (Sweep cleans the rest).
		attr.Pdeathsig = syscall.SIGKILL
	}
	argv := cmd.Args
	if len(argv) == 0 {
		argv = []string{cmd.Path}
	}
	shim = chroot.Self(shimName, append([]string{root, cmd.Dir, cmd.Path}, argv...)...)
	shim.Env = cmd.Env
	shim.Stdin, shim.Stdout, shim.Stderr = cmd.Stdin, cmd.Stdout, cmd.Stderr
	shim.SysProcAttr = &attr

	gateR, gateW, err := os.Pipe()
	if err != nil {
		return nil, nil, nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		gateR.Close()
		gateW.Close()
		return nil, nil, nil, err
	}
	shim.ExtraFiles = []*os.File{gateR, errW} // gateFD, errorFD
	return shim, gateW, errR, nil
}

// runShim is the shim's entry point. It returns only on failure, which it
// reports to the parent.
func runShim() {
	err := shimExec(os.Args[1:])
	f := os.NewFile(errorFD, "errors")
	fmt.Fprint(f, err)
	os.Exit(127)
}

// shimExec waits for the parent, then becomes the command: chroot, chdir,
// execve.
func shimExec(args []string) error {
	if len(args) < 4 {
		return fmt.Errorf("cgroup shim: want ROOT DIR PATH ARGV..., got %q", args)
	}
	root, dir, path, argv := args[0], args[1], args[2], args[3:]
	syscall.CloseOnExec(errorFD)
	gate := os.NewFile(gateFD, "gate")
	if n, _ := gate.Read(make([]byte, 1)); n != 1 {
		os.Exit(1) // the parent gave up: the cgroup could not take us
	}
	gate.Close()
	if root != "" {
		if err := syscall.Chroot(root); err != nil {
			return fmt.Errorf("chroot %s: %w", root, err)
		}
		if dir == "" {
			dir = "/"
		}
	}
	if dir != "" {
		if err := syscall.Chdir(dir); err != nil {
			return fmt.Errorf("chdir %s: %w", dir, err)
		}
	}
	err := syscall.Exec(path, argv, os.Environ())
	if errors.Is(err, syscall.ENOENT) && root != "" {
		return fmt.Errorf("exec %s: %w (in the chroot at %s)", path, err, root)
	}
	return fmt.Errorf("exec %s: %w", path, err)
}
