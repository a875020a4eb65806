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

// shimOrders are what the shim gets, once it is in the cgroup: cmd's
// chroot, working directory, program and argv. Its environment is cmd's.
type shimOrders struct {
	Root, Dir, Path string
	Argv            []string
}

// shimCommand returns the shim that will run cmd, and its orders, which
// Start sends once the shim is in its cgroup.
func shimCommand(cmd *exec.Cmd) (*exec.Cmd, shimOrders) {
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
	shim := chroot.Self(shimName)
	shim.Env = cmd.Env
	shim.Stdin, shim.Stdout, shim.Stderr = cmd.Stdin, cmd.Stdout, cmd.Stderr
	shim.SysProcAttr = &attr
	return shim, shimOrders{Root: root, Dir: cmd.Dir, Path: cmd.Path, Argv: argv}
}

// runShim is the shim's entry point. Its orders come once it is in its
// cgroup; it returns only on failure, which it reports to the parent.
func runShim() {
	var o shimOrders
	if err := chroot.Orders(&o); err != nil {
		os.Exit(1) // the parent gave up: the cgroup could not take us
	}
	chroot.Fail(shimExec(o), 127)
}

// shimExec becomes the command: chroot, chdir, execve.
func shimExec(o shimOrders) error {
	dir := o.Dir
	if o.Root != "" {
		if err := syscall.Chroot(o.Root); err != nil {
			return fmt.Errorf("chroot %s: %w", o.Root, err)
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
	err := syscall.Exec(o.Path, o.Argv, os.Environ())
	if errors.Is(err, syscall.ENOENT) && o.Root != "" {
		return fmt.Errorf("exec %s: %w (in the chroot at %s)", o.Path, err, o.Root)
	}
	return fmt.Errorf("exec %s: %w", o.Path, err)
}
