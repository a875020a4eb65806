package chroot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// Go cannot fork(2) a copy of a running program: the runtime's threads would
// not survive it. To run Go code in a new setting (a chroot, later a new set
// of namespaces) the program starts itself again through /proc/self/exe with
// a special argv[0], and Init sends that process to the registered function
// before anything else runs.
//
// Every re-executed child of the workshop talks to its parent the same way,
// over two pipes:
//
//	fd 3  orders  parent → child  JSON, then closed: the child waits for them
//	fd 4  reply   child → parent  JSON: a result, or an error; close-on-exec
//
// The parent calls Start, then Send when the child may go on (after putting
// it into a cgroup, say), then Reply. The child calls Orders, then either
// execs (the reply pipe closes with nothing in it: "it runs"), or answers
// with Reply or Fail. Orders travel over a pipe, not argv, which every
// process on the host can read in `ps` and which is limited in size. Any
// more files the parent passes in cmd.ExtraFiles follow, from fd 5.

var entries = map[string]func(){}

// Register makes fn the entry point of a re-executed process whose argv[0]
// is name. Call it from an init function.
func Register(name string, fn func()) {
	if _, dup := entries[name]; dup {
		panic("reexec: entry point registered twice: " + name)
	}
	entries[name] = fn
}

// Init runs the entry point named by os.Args[0], if there is one, and reports
// whether it did. Call it first thing in main and in TestMain:
//
//	if chroot.Init() { return }
//
// An entry point normally ends the process itself (exec or os.Exit).
//
// A program that executes this binary by a descriptor, /proc/self/fd/N,
// may have no say over argv[0] (util-linux's nsenter, which chapter 5's
// exec uses to enter a user namespace): then the entry's name is argv[1].
func Init() bool {
	if strings.HasPrefix(os.Args[0], "/proc/self/fd/") && len(os.Args) > 1 && entries[os.Args[1]] != nil {
		os.Args = os.Args[1:]
	}
	fn, ok := entries[os.Args[0]]
	if ok {
		fn()
	}
	return ok
}

// Self returns a command that re-executes the running binary with argv[0]
// set to name, so Init dispatches it to the registered entry point.
func Self(name string, args ...string) *exec.Cmd {
	if _, ok := entries[name]; !ok {
		panic(fmt.Sprintf("reexec: no entry point registered as %q", name))
	}
	cmd := exec.Command("/proc/self/exe", args...)
	cmd.Args[0] = name
	return cmd
}

// The child's ends of the two pipes.
const (
	OrdersFD = 3
	ReplyFD  = 4
	// FirstExtraFD is where the files of cmd.ExtraFiles start in the child.
	FirstExtraFD = 5
)

// ChildError is an error that a re-executed child sent its parent: the
// learner reads "pivot_root /x: invalid argument", not "exit status 1".
type ChildError struct {
	Msg   string        // what the child was doing and what went wrong
	Errno syscall.Errno // the failed syscall's errno, or 0
	Code  int           // the exit code the child ends with
}

func (e *ChildError) Error() string { return e.Msg }

// Unwrap gives the errno, so errors.Is(err, fs.ErrNotExist) works across
// the process boundary.
func (e *ChildError) Unwrap() error {
	if e.Errno == 0 {
		return nil
	}
	return e.Errno
}

// message is what travels on the reply pipe: one of the two.
type message struct {
	Result json.RawMessage `json:",omitempty"`
	Error  *ChildError     `json:",omitempty"`
}

// Child is a re-executed child started by Start: the parent's ends of its
// pipes.
type Child struct {
	Cmd    *exec.Cmd
	orders *os.File
	reply  *os.File
}

// Start starts cmd (made by Self) with the orders and reply pipes as its
// fd 3 and 4. The child runs until it reads its orders, which Send gives.
func Start(cmd *exec.Cmd) (*Child, error) {
	ordersR, ordersW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	replyR, replyW, err := os.Pipe()
	if err != nil {
		ordersR.Close()
		ordersW.Close()
		return nil, err
	}
	cmd.ExtraFiles = append([]*os.File{ordersR, replyW}, cmd.ExtraFiles...)
	err = cmd.Start()
	// The child has its own copies now. Ours must go, or reading the reply
	// would never see end-of-file.
	ordersR.Close()
	replyW.Close()
	if err != nil {
		ordersW.Close()
		replyR.Close()
		return nil, err
	}
	return &Child{Cmd: cmd, orders: ordersW, reply: replyR}, nil
}

// Send gives the child its orders, as JSON, and closes the pipe.
func (c *Child) Send(orders any) error {
	err := json.NewEncoder(c.orders).Encode(orders)
	if cerr := c.orders.Close(); err == nil {
		err = cerr
	}
	return err
}

// Reply waits for the child's answer. It returns true with result filled
// in if the child replied; false and nil if the pipe closed with nothing in
// it (the child exec'd, or exited without a word: Cmd.Wait says which);
// or the child's *ChildError.
func (c *Child) Reply(result any) (bool, error) {
	defer c.reply.Close()
	data, err := io.ReadAll(c.reply)
	if err != nil {
		return false, err
	}
	if len(data) == 0 {
		return false, nil
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		return false, fmt.Errorf("the child's reply %q: %w", data, err)
	}
	if m.Error != nil {
		return false, m.Error
	}
	if result != nil && m.Result != nil {
		if err := json.Unmarshal(m.Result, result); err != nil {
			return false, fmt.Errorf("the child's reply: %w", err)
		}
	}
	return true, nil
}

// Stop kills a child that is no longer wanted and reaps it.
func (c *Child) Stop() {
	c.orders.Close()
	c.reply.Close()
	c.Cmd.Process.Kill()
	c.Cmd.Wait()
}

// Orders runs in the child: it marks the reply pipe close-on-exec (so that
// a successful exec closes it with nothing written), then waits for the
// parent's orders and reads them into v.
func Orders(v any) error {
	syscall.CloseOnExec(ReplyFD)
	f := os.NewFile(OrdersFD, "orders pipe")
	defer f.Close()
	if err := json.NewDecoder(f).Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("the parent sent no orders")
		}
		return fmt.Errorf("read the parent's orders: %w", err)
	}
	return nil
}

// Reply runs in the child: it sends result to the parent and closes the
// pipe. The child goes on.
func Reply(result any) error {
	b, err := json.Marshal(result)
	if err != nil {
		return err
	}
	return send(message{Result: b})
}

// ReplyError runs in the child: it sends err and the exit code the child
// will end with to the parent, and closes the pipe.
func ReplyError(err error, code int) error {
	ce := &ChildError{Msg: err.Error(), Code: code}
	errors.As(err, &ce.Errno)
	return send(message{Error: ce})
}

// Fail runs in the child: it sends err to the parent and exits with code.
// With no parent to tell, stderr is the last resort.
func Fail(err error, code int) {
	if ReplyError(err, code) != nil {
		fmt.Fprintln(os.Stderr, os.Args[0]+":", err)
	}
	os.Exit(code)
}

// replied is set once the reply pipe is closed: fd 4 may then be another
// file, which a second reply must not write into.
var replied bool

func send(m message) error {
	if replied {
		return errors.New("already replied to the parent")
	}
	replied = true
	f := os.NewFile(ReplyFD, "reply pipe")
	if f == nil {
		return errors.New("no reply pipe")
	}
	err := json.NewEncoder(f).Encode(m)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
