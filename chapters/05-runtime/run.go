package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// Run creates and starts a container. Detached, it returns once the
// container runs, with exit code 0. In the foreground it waits, passing on
// the signals it gets, and returns the command's exit code. When the
// command never ran, err says why and the exit code is 125, 126 or 127.
//
// In order: record the container (Create, which holds its lock), unpack
// its image and start its supervisor (supervisor.go) with the lock, wait
// for its reply "started" or why not, and then, in the
// foreground, wait for the supervisor, which exits with the command's
// code.
func Run(p Paths, opt Options) (*State, int, error) {
	c, err := Create(p, opt)
	if err != nil {
		return nil, ExitCode(err), err
	}
	defer c.Lock.Unlock()
	l, err := startSupervisor(p, c, opt)
	if err != nil {
		err = runtimeErr(errors.Join(err, removeContainer(p, c.ID)))
		return c.State, ExitCode(err), err
	}
	defer l.close()
	s, err := l.awaitReport(p, c.State)
	if err != nil {
		return s, ExitCode(err), err
	}
	if opt.Detach {
		// It outlives this command, in a session of its own; while this
		// process lives (a program using this package), it reaps it.
		go l.cmd.Wait()
		return s, 0, nil
	}
	return l.wait(s)
}

// launch is a supervisor that Run starts, and what Run holds for it: the
// pipes to it, and what to undo when it is over.
type launch struct {
	cmd   *exec.Cmd
	child *chroot.Child
	fwd   *forwarder // the foreground's signals, passed on
	undo  []func()
}

func (l *launch) close() {
	for i := len(l.undo) - 1; i >= 0; i-- {
		l.undo[i]()
	}
}

// startSupervisor unpacks c's image and starts its supervisor. Detached,
// the supervisor gets a session of its own; in the foreground it dies
// with this process (Pdeathsig) and gets its streams, or a pty (-t).
func startSupervisor(p Paths, c *NewContainer, opt Options) (*launch, error) {
	store, err := OpenImages(p)
	if err != nil {
		return nil, err
	}
	lowers, err := store.Unpack(c.Image, opt.Config.idShift()...)
	if err != nil {
		return nil, err
	}
	l := &launch{cmd: chroot.Self(supervisorEntry)}
	l.cmd.ExtraFiles = []*os.File{c.Lock.f} // lockFD
	if err := l.streams(opt); err != nil {
		l.close()
		return nil, err
	}
	if !opt.Detach {
		// Signals that arrive while the supervisor starts are passed on too.
		l.fwd = newForwarder()
		l.undo = append(l.undo, l.fwd.stop)
	}
	child, err := chroot.Start(l.cmd)
	if err != nil {
		l.close()
		return nil, fmt.Errorf("start the supervisor: %w", err)
	}
	l.child = child
	if err := child.Send(supervisorArgs{Paths: p, ID: c.ID, Lowers: lowers}); err != nil {
		child.Stop()
		l.close()
		return nil, fmt.Errorf("start the supervisor: %w", err)
	}
	return l, nil
}

// streams sets the supervisor's process attributes and standard streams.
func (l *launch) streams(opt Options) error {
	attr := &syscall.SysProcAttr{Cloneflags: unix.CLONE_NEWNS}
	l.cmd.SysProcAttr = attr
	if opt.Detach {
		// A session of its own: the supervisor outlives this command and
		// the terminal it ran in.
		attr.Setsid = true
		return nil
	}
	// In the foreground the container is tied to this command: if it is
	// killed, so is the supervisor (the next command cleans up).
	attr.Pdeathsig = unix.SIGKILL
	l.cmd.Stdin, l.cmd.Stdout, l.cmd.Stderr = orStd(opt)
	if !opt.Terminal {
		return nil
	}
	slave, done, err := onTerminal(l.cmd.Stdin, l.cmd.Stdout)
	if err != nil {
		return err
	}
	l.undo = append(l.undo, done)
	l.cmd.Stdin, l.cmd.Stdout, l.cmd.Stderr = slave, slave, slave
	return nil
}

// awaitReport reads the supervisor's reply: the container runs, or why
// it could not. Then the record holds what the supervisor saved before it
// replied: PIDs, cgroup.
func (l *launch) awaitReport(p Paths, s *State) (*State, error) {
	var st started
	replied, err := l.child.Reply(&st)
	var ce *chroot.ChildError
	switch {
	case errors.As(err, &ce):
		l.cmd.Wait()
		return s, &Error{Code: ce.Code, Err: errors.New(ce.Msg)}
	case err != nil:
		l.cmd.Wait()
		return s, runtimeErr(fmt.Errorf("the supervisor's reply: %w", err))
	case !replied:
		l.cmd.Wait()
		return s, runtimeErr(errors.New("the supervisor ended without a word"))
	}
	if saved, err := LoadState(p, s.ID); err == nil {
		return saved, nil
	}
	s.Status, s.Pid = Running, st.Pid
	return s, nil
}

// wait waits for a foreground supervisor, passing on the signals this
// process gets, and returns the command's exit code: the supervisor's.
func (l *launch) wait(s *State) (*State, int, error) {
	l.fwd.to(l.cmd.Process.Pid)
	code, sig, err := exitStatus(l.cmd.Wait())
	switch {
	case err != nil:
		return s, ExitRuntime, runtimeErr(err)
	case sig != 0:
		// The supervisor itself was killed: its record could not say.
		return s, code, &Error{Code: code, Err: fmt.Errorf("the supervisor of container %s was killed by %v; the container goes with it (`minibox ps -a` shows it)", s.Name, sig)}
	}
	return s, code, nil
}

// orStd returns opt's streams, the process's own where opt has none.
func orStd(opt Options) (io.Reader, io.Writer, io.Writer) {
	var in io.Reader = os.Stdin
	var out, errOut io.Writer = os.Stdout, os.Stderr
	if opt.Stdin != nil {
		in = opt.Stdin
	}
	if opt.Stdout != nil {
		out = opt.Stdout
	}
	if opt.Stderr != nil {
		errOut = opt.Stderr
	}
	return in, out, errOut
}
