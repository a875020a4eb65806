package runtime

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwarded are the signals a user sends to stop or poke a command: minibox
// run, the supervisor and minibox exec pass them on instead of obeying
// them, so they reach the container's command and the bookkeeping still
// runs.
var forwarded = []os.Signal{unix.SIGINT, unix.SIGTERM, unix.SIGHUP, unix.SIGQUIT, unix.SIGUSR1, unix.SIGUSR2}

// forwarder catches the forwarded signals from the moment it is made, and
// passes them to a process once it has one: a signal that arrives while
// that process starts is not lost.
type forwarder struct {
	sigs chan os.Signal
	done chan struct{}
}

func newForwarder() *forwarder {
	f := &forwarder{sigs: make(chan os.Signal, 8), done: make(chan struct{})}
	signal.Notify(f.sigs, forwarded...)
	return f
}

// to passes the caught signals, those caught so far first, to pid.
func (f *forwarder) to(pid int) {
	go func() {
		for {
			select {
			case sig := <-f.sigs:
				unix.Kill(pid, sig.(unix.Signal))
			case <-f.done:
				return
			}
		}
	}()
}

// stop stops catching and passing on.
func (f *forwarder) stop() {
	signal.Stop(f.sigs)
	close(f.done)
}

// exitStatus reads how a waited-for process ended, as a shell reports it:
// its exit code, or 128+N and the signal N that killed it. err is Wait's
// error when the process could not be waited for at all.
func exitStatus(waitErr error) (code int, killedBy unix.Signal, err error) {
	var exit *exec.ExitError
	if !errors.As(waitErr, &exit) {
		return 0, 0, waitErr
	}
	// os/exec gives a syscall.WaitStatus, a type of its own, not unix's.
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok {
		code, sig := shellCode(unix.WaitStatus(ws))
		return code, sig, nil
	}
	return exit.ExitCode(), 0, nil
}

// shellCode is the exit code a shell gives for ws: the process's own, or
// 128+N and the signal N that killed it.
//
//workshop:exercise rt.exitcode
func shellCode(ws unix.WaitStatus) (code int, killedBy unix.Signal) {
	if ws.Signaled() {
		return 128 + int(ws.Signal()), ws.Signal()
	}
	return ws.ExitStatus(), 0
}
