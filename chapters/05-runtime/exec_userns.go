package runtime

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	goruntime "runtime"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"golang.org/x/sys/unix"
)

// `minibox exec` into a container with a user namespace of its own
// (--userns=remap). setns(2) into a user namespace refuses a process with
// more than one thread (EINVAL), and a Go program always has several. The
// exec entry joins the container's cgroup and its IPC, UTS, network, PID
// and cgroup namespaces itself (the host's root may enter namespaces that
// a child user namespace owns), then forks, and the child becomes
// util-linux's nsenter, a C program with one thread:
//
//	nsenter --user=/proc/self/fd/U -- /proc/self/fd/S minibox-exec-userns
//
// nsenter joins the user namespace (it is then uid 0 in it, with every
// capability, but only over what the namespace owns) and executes this
// binary again, by its sealed copy S, as the entry below. The entry joins
// the mount namespace last, on a locked thread as enter does, goes to the
// working directory, confines itself as the init did, and executes the
// command in place: it already is a process of the container, in its PID
// namespace. The files of the host stay in reach until then, which a
// minibox built with cgo needs (go test builds one, unless CGO_ENABLED=0):
// it is linked against the host's C library.
//
// Entering a user namespace gives a process every capability again
// (setns(2) resets the sets), so nothing of chapter 6 can be done before
// nsenter: all of it is done after, in the entry. Until then the entry is
// root of the container's user namespace with every capability, the
// host's / as its root, and descriptors of the host's: a process of the
// container that holds CAP_SYS_PTRACE in that namespace (--cap-add) could
// open its /proc/PID/root, or trace it. So the sealed copy is made
// unreadable (mode 0111) before nsenter executes it: the kernel then keeps
// a process that runs it undumpable, as one that runs a setuid program,
// and grants its /proc files only to CAP_SYS_PTRACE on the host's own
// user namespace, which no container has.

const execUserNSEntry = "minibox-exec-userns"

// The files the exec entry passes on, after chroot.Start's two pipes.
const (
	userFD    = chroot.FirstExtraFD + iota // the container's user namespace
	mntFD                                  // its mount namespace
	selfFD                                 // the sealed copy of this binary
	nsenterFD                              // the host's nsenter
	startedFD                              // written to once the entry runs
)

func init() { chroot.Register(execUserNSEntry, execUserNSMain) }

// enterUserNS is enter's end for a container with a user namespace: fds
// are open on the namespaces of joinOrder, the mount namespace last, then
// the user namespace (openNamespaces).
func enterUserNS(a execArgs, fds []int) (int, error) {
	nsenter, err := exec.LookPath("nsenter")
	if err != nil {
		return ExitRuntime, fmt.Errorf("exec into a container with a user namespace needs util-linux's nsenter, which is not in PATH (%s): install util-linux", os.Getenv("PATH"))
	}
	var files []*os.File // closed on return: the child has its copies
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func(what string, f func() (*os.File, error)) *os.File {
		file, ferr := f()
		if ferr != nil && err == nil {
			err = fmt.Errorf("exec into a user namespace: %s: %w", what, ferr)
		}
		if file != nil {
			files = append(files, file)
		}
		return file
	}
	dup := func(fd int) func() (*os.File, error) {
		return func() (*os.File, error) {
			d, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
			if err != nil {
				return nil, err
			}
			return os.NewFile(uintptr(d), "namespace"), nil
		}
	}
	mnt := len(joinOrder) - 1
	userns := open("its user namespace", dup(fds[len(joinOrder)]))
	mntns := open("its mount namespace", dup(fds[mnt]))
	// This process runs from the sealed copy (sealed.go): /proc/self/exe is it.
	self := open("this binary", func() (*os.File, error) { return os.Open("/proc/self/exe") })
	program := open("nsenter", func() (*os.File, error) { return os.Open(nsenter) })
	if err != nil {
		return ExitRuntime, err
	}
	if err := unix.Fchmod(int(self.Fd()), 0o111); err != nil {
		return ExitRuntime, fmt.Errorf("make the sealed copy unreadable: %w", err)
	}
	startedR, startedW, err := os.Pipe()
	if err != nil {
		return ExitRuntime, err
	}
	files = append(files, startedR, startedW)
	for i, ns := range joinOrder[:mnt] { // the mount namespace is the entry's
		if err := unix.Setns(fds[i], ns.flag); err != nil {
			return ExitRuntime, fmt.Errorf("setns %s: %w", ns.name, err)
		}
	}
	fd := func(n int) string { return fmt.Sprintf("/proc/self/fd/%d", n) }
	cmd := &exec.Cmd{
		Path:       fd(nsenterFD),
		Args:       []string{"nsenter", "--user=" + fd(userFD), "--", fd(selfFD), execUserNSEntry},
		Env:        []string{},
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		ExtraFiles: []*os.File{userns, mntns, self, program, startedW}, // userFD to startedFD
	}
	if err := readyToFork(cmd, a.Terminal); err != nil {
		return ExitRuntime, err
	}
	child, err := chroot.Start(cmd)
	startedW.Close() // the child has its copy
	if err != nil {
		return ExitCannotExec, fmt.Errorf("start nsenter: %w", err)
	}
	if err := child.Send(a); err != nil {
		// The orders' reader is gone: nsenter may have exited before it
		// could start minibox, and that is the error to report.
		child.Stop()
		if nsenterFailed(startedR) {
			return ExitRuntime, nsenterExited(cmd.ProcessState.ExitCode())
		}
		return ExitRuntime, err
	}
	code, waitErr := waitForwarding(cmd)
	_, replyErr := child.Reply(nil)
	var ce *chroot.ChildError
	if errors.As(replyErr, &ce) {
		return ce.Code, errors.New(ce.Msg)
	}
	// An exit code from nsenter itself, which could not join or execute,
	// is not the command's: the entry never said it ran.
	if nsenterFailed(startedR) {
		return ExitRuntime, nsenterExited(code)
	}
	return code, waitErr
}

// nsenterFailed says whether nsenter has exited without the entry's word
// that it started: nothing in the started pipe, whose every writer is gone.
func nsenterFailed(started *os.File) bool {
	n, _ := started.Read(make([]byte, 1))
	return n == 0
}

func nsenterExited(code int) error {
	return fmt.Errorf("nsenter exited (%d) before minibox could start in the container's user namespace: its message is above", code)
}

// execUserNSMain is the entry nsenter executes: in every namespace of the
// container now, its user namespace too, as its root.
func execUserNSMain() {
	// Tell minibox exec that nsenter did its part.
	started := os.NewFile(startedFD, "started pipe")
	_, err := started.Write([]byte{1})
	started.Close()
	var a execArgs
	if err := errors.Join(err, chroot.Orders(&a)); err != nil {
		chroot.Fail(err, ExitRuntime)
	}
	// Never unlocked: the mount namespace and the confinement are this
	// thread's, and execve(2) makes them the command's.
	goruntime.LockOSThread()
	if err := unix.Unshare(unix.CLONE_FS); err != nil {
		chroot.Fail(fmt.Errorf("unshare the filesystem context: %w", err), ExitRuntime)
	}
	if err := unix.Setns(mntFD, unix.CLONE_NEWNS); err != nil {
		chroot.Fail(fmt.Errorf("setns mnt: %w", err), ExitRuntime)
	}
	if a.Dir != "" {
		if err := unix.Chdir(a.Dir); err != nil {
			chroot.Fail(fmt.Errorf("working directory %s: %w", a.Dir, err), ExitRuntime)
		}
	}
	path, env, code, err := command(a)
	if err != nil {
		chroot.Fail(err, code)
	}
	if err := namespaces.CloseExtraFDs(); err != nil {
		chroot.Fail(err, ExitRuntime)
	}
	if err := a.Confine.ApplyProcess(); err != nil {
		chroot.Fail(err, ExitRuntime)
	}
	err = unix.Exec(path, a.Args, env)
	chroot.Fail(fmt.Errorf("start %s: %w", a.Args[0], err), ExitCannotExec)
}
