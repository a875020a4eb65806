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
// namespace. The files of the host stay in reach until then, which
// nsenter and a minibox built with cgo need: they are linked against the
// host's C library.
//
// Entering a user namespace gives a process every capability again
// (setns(2) resets the sets), so nothing of chapter 6 can be done before
// nsenter: all of it is done after, in the entry.

const execUserNSEntry = "minibox-exec-userns"

// The files the exec entry passes on, after chroot.Start's two pipes.
const (
	userFD    = chroot.FirstExtraFD + iota // the container's user namespace
	mntFD                                  // its mount namespace
	selfFD                                 // the sealed copy of this binary
	nsenterFD                              // the host's nsenter
)

func init() { chroot.Register(execUserNSEntry, execUserNSMain) }

// enterUserNS is enter's end for a container with a user namespace: fds
// are open on the namespaces of joinOrder, the mount namespace last.
func enterUserNS(a execArgs, fds []int) (int, error) {
	nsenter, err := exec.LookPath("nsenter")
	if err != nil {
		return ExitRuntime, fmt.Errorf("exec into a container with a user namespace needs util-linux's nsenter, which is not in PATH (%s): install util-linux", os.Getenv("PATH"))
	}
	files := map[string]string{"nsenter": nsenter, "self": "/proc/self/exe", "user": fmt.Sprintf("/proc/%d/ns/user", a.Pid)}
	open := map[string]*os.File{}
	defer func() {
		for _, f := range open {
			f.Close()
		}
	}()
	for name, path := range files {
		// This process runs from the sealed copy (sealed.go): "self" is it.
		f, err := os.Open(path)
		if err != nil {
			return ExitRuntime, fmt.Errorf("exec into a user namespace: %w", err)
		}
		open[name] = f
	}
	mnt := len(joinOrder) - 1 // joined by the entry, after the user namespace
	for i, ns := range joinOrder[:mnt] {
		if err := unix.Setns(fds[i], ns.flag); err != nil {
			return ExitRuntime, fmt.Errorf("setns %s: %w", ns.name, err)
		}
	}
	dup, err := unix.FcntlInt(uintptr(fds[mnt]), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return ExitRuntime, fmt.Errorf("exec into a user namespace: %w", err)
	}
	open["mnt"] = os.NewFile(uintptr(dup), "mnt namespace")
	fd := func(n int) string { return fmt.Sprintf("/proc/self/fd/%d", n) }
	cmd := &exec.Cmd{
		Path:       fd(nsenterFD),
		Args:       []string{"nsenter", "--user=" + fd(userFD), "--", fd(selfFD), execUserNSEntry},
		Env:        []string{},
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		ExtraFiles: []*os.File{open["user"], open["mnt"], open["self"], open["nsenter"]},
	}
	if err := readyToFork(cmd, a.Terminal); err != nil {
		return ExitRuntime, err
	}
	child, err := chroot.Start(cmd)
	if err != nil {
		return ExitCannotExec, fmt.Errorf("start nsenter: %w", err)
	}
	if err := child.Send(a); err != nil {
		child.Stop()
		return ExitRuntime, err
	}
	code, waitErr := waitForwarding(cmd)
	_, replyErr := child.Reply(nil)
	var ce *chroot.ChildError
	if errors.As(replyErr, &ce) {
		return ce.Code, errors.New(ce.Msg)
	}
	return code, waitErr
}

// execUserNSMain is the entry nsenter executes: in every namespace of the
// container now, its user namespace too, as its root.
func execUserNSMain() {
	var a execArgs
	if err := chroot.Orders(&a); err != nil {
		chroot.Fail(err, ExitRuntime)
	}
	// As in runEntered: until the command runs, this process holds the
	// descriptors above, and must not be open to the container's others.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		chroot.Fail(fmt.Errorf("prctl PR_SET_DUMPABLE: %w", err), ExitRuntime)
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
