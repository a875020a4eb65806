package images

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"golang.org/x/sys/unix"
)

// Every overlay this chapter mounts is mounted in a mount namespace of its
// own, never in the host's: when the namespace's last process exits, the
// kernel unmounts everything in it, so nothing is left behind, even if the
// program is killed. A Go program cannot move one thread into a new mount
// namespace (unshare(CLONE_NEWNS) fails in a process whose threads share
// their filesystem context), so the work runs in a re-executed copy of this
// binary, started with CLONE_NEWNS: a Task.

// taskPrefix starts the argv[0] of a re-executed task.
const taskPrefix = "minibox-images-task:"

// ExitError is a task that ended with a non-zero exit code and no error:
// usually a container whose command exited so.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// RegisterTask makes fn runnable by RunTask under name. Call it from an init
// function, so the re-executed binary knows it too. fn gets the argument
// RunTask was given, as JSON, and runs with every mount private; it returns
// the process's exit code, or an error.
func RegisterTask(name string, fn func(arg json.RawMessage) (exitCode int, err error)) {
	chroot.Register(taskPrefix+name, func() { taskMain(fn) })
}

func taskMain(fn func(json.RawMessage) (int, error)) {
	var arg json.RawMessage
	if err := chroot.Orders(&arg); err != nil {
		chroot.Fail(err, 1)
	}
	// Before any mount: nothing mounted here may propagate to the host.
	if err := namespaces.MakeMountsPrivate(); err != nil {
		chroot.Fail(err, 1)
	}
	code, err := fn(arg)
	if err != nil {
		chroot.Fail(err, 1)
	}
	os.Exit(code)
}

// RunTask runs the task registered as name in a new, private mount
// namespace, with arg (its orders, as JSON) and the given standard
// streams, and waits for it. A task's error comes back as an error with
// its message; a non-zero exit code without one as an *ExitError.
func RunTask(name string, arg any, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := chroot.Self(taskPrefix + name)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	// Pdeathsig: should this program die, the task dies with it, and so
	// its mount namespace, mounts and all.
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: unix.CLONE_NEWNS, Pdeathsig: syscall.SIGKILL}
	child, err := chroot.Start(cmd)
	if err != nil {
		if os.Geteuid() != 0 {
			return fmt.Errorf("task %s: %w: a new mount namespace needs root, run it with sudo", name, err)
		}
		return fmt.Errorf("task %s: %w", name, err)
	}
	if err := child.Send(arg); err != nil {
		child.Stop()
		return fmt.Errorf("task %s: %w", name, err)
	}
	_, err = child.Reply(nil)
	waitErr := cmd.Wait()
	if err != nil {
		return err
	}
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		return &ExitError{Code: exit.ExitCode()}
	}
	return waitErr
}
