package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// A terminal for a container (-t) is a pseudo-terminal pair: the container
// gets the "slave" end as its stdin, stdout and stderr, and its controlling
// terminal; minibox keeps the "master" end and copies between it and the
// user's own terminal, which it puts in raw mode so that every key,
// Ctrl-C included, goes to the container's terminal untouched.

// OpenPty opens a new pseudo-terminal pair, neither end this process's
// controlling terminal.
func OpenPty() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("open /dev/ptmx: %w", err)
	}
	// unlockpt(3), then ptsname(3): the slave's number.
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlock the pty: %w", err)
	}
	n, err := unix.IoctlGetUint32(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("name the pty: %w", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}

// Terminal connects the user's terminal to a pty's master end.
type Terminal struct {
	master *os.File
	user   *os.File
	saved  *unix.Termios
	winch  chan os.Signal
}

// attach puts user (a terminal) in raw mode, gives master its size and
// keeps it in step (SIGWINCH), and copies in both directions until the
// master end is done. Call Restore when the container has exited.
func attach(master, user *os.File) (*Terminal, error) {
	t := &Terminal{master: master, user: user}
	fd := int(user.Fd())
	saved, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, fmt.Errorf("-t needs a terminal: standard input is not one")
	}
	t.saved = saved
	raw := *saved
	// What cfmakeraw(3) does.
	raw.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	raw.Oflag &^= unix.OPOST
	raw.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	raw.Cflag &^= unix.CSIZE | unix.PARENB
	raw.Cflag |= unix.CS8
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err != nil {
		return nil, err
	}
	t.resize()
	t.winch = make(chan os.Signal, 1)
	signal.Notify(t.winch, unix.SIGWINCH)
	go func() {
		for range t.winch {
			t.resize()
		}
	}()
	go io.Copy(master, user)
	return t, nil
}

// Copy copies the container's output to w until the pty closes.
func (t *Terminal) Copy(w io.Writer) {
	io.Copy(w, t.master) // ends with EIO when the last slave fd closes
}

func (t *Terminal) resize() {
	if ws, err := unix.IoctlGetWinsize(int(t.user.Fd()), unix.TIOCGWINSZ); err == nil {
		unix.IoctlSetWinsize(int(t.master.Fd()), unix.TIOCSWINSZ, ws)
	}
}

// Restore gives the user's terminal its settings back.
func (t *Terminal) Restore() {
	signal.Stop(t.winch)
	close(t.winch)
	unix.IoctlSetTermios(int(t.user.Fd()), unix.TCSETS, t.saved)
}

// onTerminal gives a command (`minibox run -t`, `minibox exec -t`) a new
// pty attached to the user's terminal, user, copying what the command
// prints to out. It returns the pty's slave end, for the command's three
// streams, and done, which puts everything back once the command is over.
func onTerminal(user io.Reader, out io.Writer) (slave *os.File, done func(), err error) {
	f, ok := user.(*os.File)
	if !ok {
		return nil, nil, errors.New("-t needs standard input to be a terminal")
	}
	master, slave, err := OpenPty()
	if err != nil {
		return nil, nil, err
	}
	term, err := attach(master, f)
	if err != nil {
		slave.Close()
		master.Close()
		return nil, nil, err
	}
	go term.Copy(out)
	return slave, func() {
		term.Restore()
		slave.Close()
		master.Close()
	}, nil
}
