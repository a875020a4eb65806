package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	goruntime "runtime"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"golang.org/x/sys/unix"
)

// `minibox exec` starts a new process in a running container: in its
// cgroup, and in each of its namespaces, by setns(2) on the files in
// /proc/PID/ns of the container's PID 1.
//
// setns(2) moves one thread. Go runs goroutines on many threads, so the
// work is done by a re-executed copy of this binary (an "entry") on one
// locked thread: it unshares its filesystem context (a thread that shares
// it with others may not change its mount namespace), joins the cgroup and
// the namespaces, then starts the command from that same thread, which
// the child inherits it all from. The PID namespace is joined for children
// only, which is why the command is a child and not an exec.
//
// Joining a user namespace (--userns=remap) needs a single-threaded
// process, which a Go program never is: runc does that part in C, before
// Go starts. For such a container the last step is util-linux's nsenter,
// a C program (exec_userns.go).

const execEntry = "minibox-exec"

func init() { chroot.Register(execEntry, execMain) }

// execArgs are the entry's orders.
type execArgs struct {
	Pid      int
	Cgroup   string
	Args     []string
	Env      []string
	Hostname string
	Dir      string
	Terminal bool
	Confine  *namespaces.Confinement
	UserNS   bool // the container has a user namespace of its own
}

// joinOrder is the order the namespaces are joined in: mnt last, since
// after it /proc is the container's, where PID 1's files have other names.
var joinOrder = []struct {
	name string
	flag int
}{
	{"ipc", unix.CLONE_NEWIPC},
	{"uts", unix.CLONE_NEWUTS},
	{"net", unix.CLONE_NEWNET},
	{"pid", unix.CLONE_NEWPID},
	{"cgroup", unix.CLONE_NEWCGROUP},
	{"mnt", unix.CLONE_NEWNS},
}

// ExecOptions are a `minibox exec`'s.
type ExecOptions struct {
	Args           []string
	Env            []string
	Dir            string
	Terminal       bool
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Exec runs a command in running container ref and returns its exit code.
// With opt.Terminal, the command gets a new pty attached to opt.Stdin,
// which must be a terminal.
func Exec(p Paths, ref string, opt ExecOptions) (int, error) {
	if len(opt.Args) == 0 {
		return ExitRuntime, runtimeErr(errors.New("no command given: `minibox exec CONTAINER COMMAND...`"))
	}
	s, err := Find(p, ref)
	if err != nil {
		return ExitRuntime, runtimeErr(err)
	}
	if s.Status != Running || !supervised(p, s) {
		return ExitRuntime, runtimeErr(fmt.Errorf("container %s is not running (%s): exec needs a running container; start a new one with `minibox run`", s.Name, describeStatus(s)))
	}
	dir := opt.Dir
	if dir == "" {
		dir = s.Config.WorkingDir
	}
	env := append(append([]string{}, s.Config.Env...), opt.Env...)
	orders := execArgs{Pid: s.Pid, Cgroup: s.Cgroup, Args: opt.Args, Env: env, Hostname: s.Hostname(), Dir: dir, Terminal: opt.Terminal, Confine: s.Config.Confine, UserNS: s.Config.UserNS}
	// A sealed copy of this binary: the command is this binary, in the
	// container's PID namespace, until it executes (chapter 2's sealed.go).
	cmd, binary, err := namespaces.SealedSelf(execEntry)
	if err != nil {
		return ExitRuntime, runtimeErr(err)
	}
	defer binary.Close()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opt.Stdin, opt.Stdout, opt.Stderr
	if opt.Terminal {
		slave, done, err := onTerminal(opt.Stdin, opt.Stdout)
		if err != nil {
			return ExitRuntime, runtimeErr(err)
		}
		defer done()
		cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	}
	// The signals minibox exec gets go to the helper, which passes them to
	// the command; if minibox exec dies, the helper gets a SIGTERM to pass
	// on (Pdeathsig): nothing stays behind in the container.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	child, err := chroot.Start(cmd)
	if err != nil {
		return ExitRuntime, runtimeErr(err)
	}
	if err := child.Send(orders); err != nil {
		child.Stop()
		return ExitRuntime, runtimeErr(err)
	}
	fwd := newForwarder()
	fwd.to(cmd.Process.Pid)
	code, sig, err := exitStatus(cmd.Wait())
	fwd.stop()
	// The entry's reply pipe closed when it exited; in it is why the
	// command could not start, if it could not.
	_, replyErr := child.Reply(nil)
	var ce *chroot.ChildError
	switch {
	case errors.As(replyErr, &ce):
		return ce.Code, &Error{Code: ce.Code, Err: errors.New(ce.Msg)}
	case err != nil:
		return ExitRuntime, runtimeErr(err)
	case sig != 0:
		// Its container went away under it (minibox rm -f), say.
		return code, &Error{Code: code, Err: fmt.Errorf("exec in container %s was killed by %v: was the container stopped or removed?", s.Name, sig)}
	}
	return code, nil
}

func execMain() {
	var a execArgs
	if err := chroot.Orders(&a); err != nil {
		chroot.Fail(err, ExitRuntime)
	}
	code, err := enter(a)
	if err != nil {
		chroot.Fail(err, code)
	}
	os.Exit(code)
}

// enter joins the container and runs the command; it returns the exit code.
func enter(a execArgs) (int, error) {
	// Never unlocked: the thread's namespaces are not the process's.
	goruntime.LockOSThread()
	if err := unix.Unshare(unix.CLONE_FS); err != nil {
		return ExitRuntime, fmt.Errorf("unshare the filesystem context: %w", err)
	}
	fds, err := openNamespaces(a)
	if err != nil {
		return ExitRuntime, err
	}
	defer func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	}()
	// The cgroup before anything runs: what the command starts is counted.
	cg, err := cgroups.Open(a.Cgroup)
	if err != nil {
		return ExitRuntime, err
	}
	if err := cg.Add(os.Getpid()); err != nil {
		return ExitRuntime, err
	}
	if a.UserNS {
		return enterUserNS(a, fds)
	}
	if err := joinNamespaces(fds); err != nil {
		return ExitRuntime, err
	}
	// After setns(CLONE_NEWNS) the root and working directory are the
	// container's root; now its working directory.
	if a.Dir != "" {
		if err := unix.Chdir(a.Dir); err != nil {
			return ExitRuntime, fmt.Errorf("working directory %s: %w", a.Dir, err)
		}
	}
	return runEntered(a)
}

// openNamespaces opens the namespaces of the container's PID 1, in
// joinOrder, before any is joined: once in the container's mount
// namespace, the host's /proc is out of sight. They are opened by PID,
// with a pidfd on PID 1 (pidfd.go) that says whether that PID was still
// the container's when they were.
func openNamespaces(a execArgs) ([]int, error) {
	pidfd, err := openInCgroup(a.Pid, a.Cgroup)
	if errors.Is(err, errGone) {
		return nil, fmt.Errorf("the container exited (its PID %d is gone, or another process's)", a.Pid)
	}
	if err != nil {
		return nil, err
	}
	defer unix.Close(pidfd)
	fds := make([]int, 0, len(joinOrder))
	closeAll := func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	}
	for _, ns := range joinOrder {
		fd, err := unix.Open(fmt.Sprintf("/proc/%d/ns/%s", a.Pid, ns.name), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("open the container's %s namespace: %w", ns.name, err)
		}
		fds = append(fds, fd)
	}
	if a.UserNS {
		// After the others, not joined with them (exec_userns.go).
		fd, err := unix.Open(fmt.Sprintf("/proc/%d/ns/user", a.Pid), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("open the container's user namespace: %w", err)
		}
		fds = append(fds, fd)
	}
	if !alive(pidfd) {
		closeAll()
		return nil, fmt.Errorf("the container exited while exec joined it (PID %d)", a.Pid)
	}
	return fds, nil
}

// joinNamespaces moves this thread into the container's namespaces, one
// setns(2) each, in joinOrder: fds[i] is open on the namespace of
// joinOrder[i].
//
//workshop:exercise rt.setns
func joinNamespaces(fds []int) error {
	for i, ns := range joinOrder {
		if err := unix.Setns(fds[i], ns.flag); err != nil {
			return fmt.Errorf("setns %s: %w", ns.name, err)
		}
	}
	return nil
}

// runEntered runs the command in the container enter has joined, from
// enter's locked thread, and returns its exit code.
func runEntered(a execArgs) (int, error) {
	path, env, code, err := command(a)
	if err != nil {
		return code, err
	}
	cmd := &exec.Cmd{Path: path, Args: a.Args, Env: env, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	if err := readyToFork(cmd, a.Terminal); err != nil {
		return ExitRuntime, err
	}
	// The container's confinement, on this locked thread: the child
	// inherits the thread's capabilities and seccomp filter.
	if err := a.Confine.ApplyProcess(); err != nil {
		return ExitRuntime, err
	}
	if err := cmd.Start(); err != nil {
		return ExitCannotExec, fmt.Errorf("start %s: %w", a.Args[0], err)
	}
	return waitForwarding(cmd)
}

// readyToFork gives cmd a session of its own, as the container's init has
// (chapter 2's container.go says why), its terminal the pty on its stdin
// with terminal, and readies this process to fork it into the container.
// (No Pdeathsig: the child checks it against getppid(), which is 0 in a
// PID namespace its parent is not in, and would kill itself.)
func readyToFork(cmd *exec.Cmd, terminal bool) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if terminal {
		cmd.SysProcAttr.Setctty, cmd.SysProcAttr.Ctty = true, 0
	}
	// What minibox exec inherited stays out of the container.
	if err := namespaces.CloseExtraFDs(); err != nil {
		return err
	}
	// Close-on-exec closes them at the exec, but between the fork and the
	// exec the child is in the container's PID namespace with them still
	// open, and with root's uid: the container's root could open
	// /proc/PID/fd/N of it (runc's CVE-2016-9962). A process that is not
	// dumpable has its /proc files owned by the host's root and refused to
	// anyone without CAP_SYS_PTRACE, which the container lacks. The child
	// inherits it, and execve(2) makes the command dumpable again.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl PR_SET_DUMPABLE: %w", err)
	}
	return nil
}

// waitForwarding waits for cmd, passing on the signals this process gets,
// and returns its exit code.
func waitForwarding(cmd *exec.Cmd) (int, error) {
	fwd := newForwarder()
	fwd.to(cmd.Process.Pid)
	code, _, err := exitStatus(cmd.Wait())
	fwd.stop()
	return code, err
}

// command returns the command's path and environment, as the container's
// init has them, or the exit code and error of a command not found.
func command(a execArgs) (path string, env []string, code int, err error) {
	env = namespaces.Environment(a.Hostname, a.Env)
	path, err = namespaces.LookPath(a.Args[0], env)
	if errors.Is(err, namespaces.ErrCommandNotFound) {
		return "", nil, ExitNotFound, err
	}
	if err != nil {
		return "", nil, ExitCannotExec, err
	}
	return path, env, 0, nil
}
