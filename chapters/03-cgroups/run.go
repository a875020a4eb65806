package cgroups

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// ErrKilled is in the error of a command ended by Process.Kill.
var ErrKilled = errors.New("killed by Process.Kill")

// Process is a command running in a cgroup of its own.
type Process struct {
	Cgroup Cgroup
	Pid    int

	name   string // the command's name, for errors
	limits Limits
	shim   *exec.Cmd
	killed atomic.Bool
	waited atomic.Bool
}

// Run runs cmd in a new cgroup named name with limits l, as Start and Wait
// do.
func Run(cmd *exec.Cmd, name string, l Limits) (Stats, error) {
	p, err := Start(cmd, name, l)
	if err != nil {
		return Stats{}, err
	}
	return p.Wait()
}

// Start starts cmd in a new cgroup named name, with limits l, and returns
// at once. The command is in the cgroup, limits in force, before it runs.
// cmd is a description: Start uses its Path, Args, Env, Dir, Stdin,
// Stdout, Stderr and SysProcAttr (Chroot included, as chroot.JailCommand
// sets it), and does not start cmd itself. Call Wait to end it: that
// removes the cgroup. If Start fails, it leaves no cgroup behind.
func Start(cmd *exec.Cmd, name string, l Limits) (*Process, error) {
	if cmd.Err != nil {
		return nil, cmd.Err
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	cg, err := New(name)
	if err != nil {
		return nil, err
	}
	p, err := start(cmd, cg, l)
	if err != nil {
		return nil, errors.Join(err, cg.Remove())
	}
	return p, nil
}

func start(cmd *exec.Cmd, cg Cgroup, l Limits) (*Process, error) {
	if err := cg.Set(l); err != nil {
		return nil, err
	}
	shim, orders := shimCommand(cmd)
	child, err := chroot.Start(shim)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	if err := cg.Add(shim.Process.Pid); err != nil {
		child.Stop() // the shim reads no orders and exits
		return nil, err
	}
	if err := child.Send(orders); err != nil {
		child.Stop()
		return nil, fmt.Errorf("start %s: the shim is gone: %w", cmd.Path, err)
	}
	// The shim's exec closes its reply pipe: nothing in it means the
	// command runs. Otherwise the shim says what went wrong.
	if _, err := child.Reply(nil); err != nil {
		shim.Wait()
		return nil, fmt.Errorf("start %s in cgroup %s: %w", cmd.Path, cg.Name(), err)
	}
	return &Process{Cgroup: cg, Pid: shim.Process.Pid, name: filepath.Base(cmd.Path), limits: l, shim: shim}, nil
}

// Stats reads the counters of the process's cgroup.
func (p *Process) Stats() (Stats, error) { return p.Cgroup.Stats() }

// Kill kills the process and everything it started: every process in its
// cgroup.
func (p *Process) Kill() error {
	if p.waited.Load() {
		return nil // gone, and its cgroup with it
	}
	p.killed.Store(true)
	return p.Cgroup.Kill()
}

// Wait waits for the process to exit, kills whatever it left running in its
// cgroup (a cgroup with processes in it cannot be removed), reads the
// cgroup's final counters and removes it. The error says why the process
// ended when that was not a normal exit: ErrOOMKilled, ErrKilled, or an
// *exec.ExitError.
func (p *Process) Wait() (Stats, error) {
	if p.waited.Swap(true) {
		return Stats{}, errors.New("cgroups: Wait was already called")
	}
	// Wait for the process without reaping it, then kill the rest: if the
	// process was reaped first, its PID could be reused by a stranger.
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, p.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	killErr := p.Cgroup.Kill()
	waitErr := p.shim.Wait()
	stats, statsErr := p.Cgroup.Stats()
	removeErr := p.Cgroup.Remove()
	return stats, errors.Join(p.explain(waitErr, stats), killErr, statsErr, removeErr)
}

// explain turns the process's exit into an error that says what happened:
// not "signal: killed" but who killed it, and why.
func (p *Process) explain(err error, st Stats) error {
	var exit *exec.ExitError
	if err == nil || !errors.As(err, &exit) {
		return err
	}
	ws, _ := exit.Sys().(syscall.WaitStatus)
	killed := ws.Signaled() && ws.Signal() == syscall.SIGKILL
	why := "the machine ran out of memory"
	if p.limits.Memory > 0 {
		why = fmt.Sprintf("the memory limit %s was reached", FormatSize(p.limits.Memory))
	}
	switch {
	case killed && st.OOMKills > 0:
		return fmt.Errorf("%s: %w: %s", p.name, ErrOOMKilled, why)
	case killed && p.killed.Load():
		return fmt.Errorf("%s: %w", p.name, ErrKilled)
	case st.OOMKills > 0:
		return fmt.Errorf("%s: %w, after the OOM killer killed %d of its processes (%w: %s)", p.name, err, st.OOMKills, ErrOOMKilled, why)
	}
	return fmt.Errorf("%s: %w", p.name, err)
}
