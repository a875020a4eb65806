package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// containerLock is the lock file of container id. Its supervisor holds the
// lock from the moment `minibox run` creates the container to the moment
// the container's record is final. It is live state, under /run: after a
// reboot no lock is held, and no container can be running.
func containerLock(p Paths, id string) string { return filepath.Join(p.Run, id+".lock") }

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

// Run creates and starts a container. Detached, it returns once the
// container runs, with exit code 0. In the foreground it waits, passing on
// the signals it gets, and returns the command's exit code. When the
// command never ran, err says why and the exit code is 125, 126 or 127.
func Run(p Paths, opt Options) (s *State, exitCode int, err error) {
	if err := Reconcile(p); err != nil {
		return nil, ExitRuntime, runtimeErr(err)
	}
	// The container's lock is held from here on; the supervisor inherits it.
	s, img, lock, err := Create(p, opt)
	if err != nil {
		return nil, ExitCode(err), err
	}
	defer lock.Unlock()
	abandon := func(err error) (*State, int, error) {
		err = runtimeErr(errors.Join(err, removeContainer(p, s.ID)))
		return s, ExitCode(err), err
	}
	store, err := OpenImages(p)
	if err != nil {
		return abandon(err)
	}
	lowers, err := store.Unpack(img)
	if err != nil {
		return abandon(err)
	}
	arg, err := json.Marshal(supervisorArgs{Paths: p, ID: s.ID, Lowers: lowers})
	if err != nil {
		return abandon(err)
	}
	reportR, reportW, err := os.Pipe()
	if err != nil {
		return abandon(err)
	}
	defer reportR.Close()
	sup := chroot.Self(supervisorEntry, string(arg))
	sup.ExtraFiles = []*os.File{reportW, lock.f}
	attr := &syscall.SysProcAttr{Cloneflags: unix.CLONE_NEWNS}
	if opt.Detach {
		// A session of its own: the supervisor outlives this command and
		// the terminal it ran in.
		attr.Setsid = true
	} else {
		// In the foreground the container is tied to this command: if it
		// is killed, so is the supervisor (the next command cleans up).
		attr.Pdeathsig = unix.SIGKILL
		sup.Stdin, sup.Stdout, sup.Stderr = orStd(opt)
	}
	var term *Terminal
	if opt.Terminal {
		master, slave, err := OpenPty()
		if err != nil {
			return abandon(err)
		}
		defer master.Close()
		defer slave.Close()
		user, ok := sup.Stdin.(*os.File)
		if !ok {
			return abandon(errors.New("-t needs standard input to be a terminal"))
		}
		if term, err = Attach(master, user); err != nil {
			return abandon(err)
		}
		defer term.Restore()
		out := sup.Stdout
		go term.Copy(out)
		sup.Stdin, sup.Stdout, sup.Stderr = slave, slave, slave
	}
	sup.SysProcAttr = attr
	// Signals that arrive while the supervisor starts are passed on too.
	var fwd *forwarder
	if !opt.Detach {
		fwd = newForwarder()
		defer fwd.stop()
	}
	err = sup.Start()
	reportW.Close()
	if err != nil {
		return abandon(fmt.Errorf("start the supervisor: %w", err))
	}
	var rep report
	if err := json.NewDecoder(reportR).Decode(&rep); err != nil && !errors.Is(err, io.EOF) {
		rep = report{Error: "the supervisor's report: " + err.Error(), Code: ExitRuntime}
	} else if errors.Is(err, io.EOF) {
		rep = report{Error: "the supervisor ended without a word", Code: ExitRuntime}
	}
	if rep.Error != "" {
		sup.Wait()
		return s, rep.Code, &Error{Code: rep.Code, Err: errors.New(rep.Error)}
	}
	// The supervisor saved the record before it reported: PIDs, cgroup.
	if saved, err := LoadState(p, s.ID); err == nil {
		s = saved
	} else {
		s.Status, s.Pid = Running, rep.Pid
	}
	if opt.Detach {
		// It outlives this command, in a session of its own; while this
		// process lives (a program using this package), it reaps it.
		go sup.Wait()
		return s, 0, nil
	}
	fwd.to(sup.Process.Pid)
	code, sig, err := exitStatus(sup.Wait())
	switch {
	case err != nil:
		return s, ExitRuntime, runtimeErr(err)
	case sig != 0:
		// The supervisor itself was killed: its record could not say.
		return s, code, &Error{Code: code, Err: fmt.Errorf("the supervisor of container %s was killed by %v; the container goes with it (`minibox ps -a` shows it)", s.Name, sig)}
	}
	return s, code, nil
}
