package network

import (
	"fmt"
	"net/netip"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// A network namespace lives as long as something holds it: a process in
// it, a mount of its /proc/PID/ns/net file, an open descriptor of that
// file, or a socket made in it. A *os.File of it is the handle this
// chapter passes around; once the last holder lets go, the kernel ends the
// namespace, soon after (its teardown runs in the background), and every
// interface in it goes too.
//
// The namespace of a thread, not of a process: setns(2) and unshare(2)
// with CLONE_NEWNET move only the calling thread. A Go program runs its
// goroutines on many threads, so each move happens on one thread locked to
// its goroutine, which moves back before it unlocks.

// NewNamespace makes a new, empty network namespace (only lo, down) and
// returns its handle. The caller stays in its own.
func NewNamespace() (*os.File, error) {
	var ns *os.File
	err := onLockedThread(func() error {
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
		}
		var err error
		ns, err = open(threadNamespace)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("new network namespace: %w", err)
	}
	return ns, nil
}

// NewHost makes a new network namespace to play the host in tests and
// steps: lo up, as on any host, so that 127.0.0.1 answers, and IP
// forwarding off, as on a host without containers (a new namespace copies
// the machine's setting, which Docker, say, has turned on).
func NewHost() (*os.File, error) {
	ns, err := NewNamespace()
	if err != nil {
		return nil, err
	}
	h, err := Handle(ns)
	if err == nil {
		err = SetUp(h, "lo", netip.Prefix{})
		h.Close()
	}
	if err == nil {
		// /proc/sys/net is the namespace of the thread that opens it.
		err = Do(ns, func() error { return os.WriteFile("/proc/sys/net/ipv4/ip_forward", []byte("0\n"), 0o644) })
	}
	if err != nil {
		ns.Close()
		return nil, err
	}
	return ns, nil
}

// Do runs fn in the network namespace ns: a socket fn opens belongs to ns,
// and stays there once fn returns. Only fn's own thread is there: a
// goroutine fn starts (as net/http's client does to dial) runs on other
// threads, in this program's own namespace.
func Do(ns *os.File, fn func() error) error {
	return onLockedThread(func() error {
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("setns(%s, CLONE_NEWNET): %w", ns.Name(), err)
		}
		return fn()
	})
}

// open opens a namespace's file, and names the handle as the kernel names
// the namespace, net:[INODE], for the messages that mention it.
func open(path string) (*os.File, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), fmt.Sprintf("net:[%d]", st.Ino)), nil
}

// The calling thread's own namespace (not /proc/self: that is the main
// thread's).
const threadNamespace = "/proc/thread-self/ns/net"

// onLockedThread runs fn on a thread of its own and puts that thread back
// in the namespace it started in. If that fails, the thread stays locked,
// and Go ends it with its goroutine rather than run others in the wrong
// namespace.
func onLockedThread(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		home, err := os.Open(threadNamespace)
		if err != nil {
			errc <- err
			return
		}
		defer home.Close()
		err = fn()
		if serr := unix.Setns(int(home.Fd()), unix.CLONE_NEWNET); serr != nil {
			errc <- fmt.Errorf("back to this thread's network namespace: %w", serr)
			return // still locked: the thread dies with this goroutine
		}
		runtime.UnlockOSThread()
		errc <- err
	}()
	return <-errc
}
