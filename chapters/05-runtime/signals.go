package runtime

import (
	"os"
	"os/signal"

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
