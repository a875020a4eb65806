// Package steps holds the workshop's steps of chapter 5, the minibox runtime.
// Their text is in tutorial/05-runtime.md; package chapters lists them.
package steps

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{ID: "runtime.hello", Root: true, Run: runHello,
			Check: "minibox ran a command in a container of busybox:latest, made on first use",
			Hint:  "build minibox first: make build"},
		{ID: "runtime.detach", Root: true, Run: runDetach,
			Check: "a detached container runs under its supervisor, and its output is in its log",
			Hint:  "minibox logs NAME shows what the container wrote"},
		{ID: "runtime.exec", Root: true, Run: runExec,
			Check: "exec ran a process in every namespace of the running container",
			Hint:  "exec joins the namespaces of the container's PID 1 with setns(2)"},
		{ID: "runtime.many", Root: true, Run: runMany,
			Check: "three containers of one image each changed only their own upper layer",
			Hint:  "each container's changes are in its own overlay upperdir"},
		{ID: "runtime.commit", Root: true, Run: runRuntimeCommit,
			Check: "the committed image holds the container's change",
			Hint:  "commit turns the container's upperdir into a new top layer"},
		{ID: "runtime.limits", Root: true, Run: runLimits,
			Check: "the container over its memory limit was OOM-killed, and minibox said so",
			Hint:  "the limit is chapter 3's memory.max (v2) or memory.limit_in_bytes (v1)"},
		{ID: "runtime.stop", Root: true, Run: runRuntimeStop,
			Check: "stop, rm and prune left no container, cgroup or mount behind",
			Hint:  "minibox prune cleans up after a killed minibox too"},
	}
}

// MiniboxBin is the minibox built beside this workshop binary (make build),
// for later chapters' steps too.
func MiniboxBin() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(filepath.Dir(exe), "minibox")
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("no minibox beside %s: build it with `make build`", exe)
	}
	return bin, nil
}

// Minibox runs the minibox binary with args, shows it at a "host#" prompt
// with its output (stdout and stderr), and returns the output and exit code.
func Minibox(e *workshop.Env, args ...string) (string, int, error) {
	bin, err := MiniboxBin()
	if err != nil {
		return "", 0, err
	}
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	e.Shell("host#", "minibox "+workshop.ShellQuote(args), out.String())
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode(), nil
	}
	return out.String(), 0, err
}

// MustMinibox is minibox that must exit 0.
func MustMinibox(e *workshop.Env, args ...string) (string, error) {
	out, code, err := Minibox(e, args...)
	if err == nil && code != 0 {
		err = fmt.Errorf("minibox %s exited %d", strings.Join(args, " "), code)
	}
	return out, err
}

// Quietly runs minibox without showing it: for cleaning up before a step.
func Quietly(args ...string) {
	if bin, err := MiniboxBin(); err == nil {
		exec.Command(bin, args...).Run()
	}
}

// waitForLog waits, up to timeout, for container name's log to hold want.
func waitForLog(name, want string, timeout time.Duration) {
	bin, err := MiniboxBin()
	if err != nil {
		return
	}
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if out, _ := exec.Command(bin, "logs", name).Output(); strings.Contains(string(out), want) {
			return
		}
	}
}

func runHello(e *workshop.Env) error {
	out, err := MustMinibox(e, "run", "--rm", "busybox", "echo", "hello from a container")
	if err != nil {
		return err
	}
	if out != "hello from a container\n" {
		return fmt.Errorf("the container printed %q", out)
	}
	_, err = MustMinibox(e, "images")
	return err
}

func runDetach(e *workshop.Env) error {
	Quietly("rm", "-f", "web")
	id, err := MustMinibox(e, "run", "-d", "--name", "web", "busybox", "sh", "-c", "echo serving; while true; do sleep 1; done")
	if err != nil {
		return err
	}
	if _, err := MustMinibox(e, "ps"); err != nil {
		return err
	}
	// The supervisor copies the container's output into the log as it
	// comes: give the first line a moment to arrive before showing it.
	waitForLog("web", "serving", 10*time.Second)
	logs, err := MustMinibox(e, "logs", "web")
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(id)) != 64 || !strings.Contains(logs, "serving") {
		return fmt.Errorf("run -d printed %q and the log holds %q", id, logs)
	}
	return nil
}

func runExec(e *workshop.Env) error {
	out, err := MustMinibox(e, "exec", "web", "ps")
	if err != nil {
		return err
	}
	host, err := MustMinibox(e, "exec", "web", "hostname")
	if err != nil {
		return err
	}
	if !strings.Contains(out, "    1 root") || !strings.Contains(out, "ps") {
		return fmt.Errorf("exec ps does not show the container's processes: %q", out)
	}
	if len(strings.TrimSpace(host)) != 12 {
		return fmt.Errorf("exec hostname = %q, want the container's short ID", host)
	}
	return nil
}

func runMany(e *workshop.Env) error {
	names := []string{"one", "two", "three"}
	for _, n := range names {
		Quietly("rm", "-f", n)
		if _, err := MustMinibox(e, "run", "--name", n, "busybox", "sh", "-c", "echo "+n+" > /root/"+n+"; rm /etc/hostname"); err != nil {
			return err
		}
	}
	for _, n := range names {
		out, err := MustMinibox(e, "diff", n)
		if err != nil {
			return err
		}
		if !strings.Contains(out, "A /root/"+n) || !strings.Contains(out, "D /etc/hostname") {
			return fmt.Errorf("diff %s = %q, want its own file added and /etc/hostname deleted", n, out)
		}
	}
	return nil
}

func runRuntimeCommit(e *workshop.Env) error {
	Quietly("rmi", "hello:v1")
	if _, err := MustMinibox(e, "commit", "one", "hello:v1"); err != nil {
		return err
	}
	if _, err := MustMinibox(e, "history", "hello:v1"); err != nil {
		return err
	}
	out, err := MustMinibox(e, "run", "--rm", "hello:v1", "cat", "/root/one")
	if err != nil {
		return err
	}
	if out != "one\n" {
		return fmt.Errorf("the new image's /root/one holds %q", out)
	}
	return nil
}

func runLimits(e *workshop.Env) error {
	out, code, err := Minibox(e, "run", "--rm", "-m", "32m", "busybox", "sh", "-c", "head -c 100m /dev/zero | tail")
	if err != nil {
		return err
	}
	e.Say("exit code %d", code)
	if code != 137 || !strings.Contains(out, "OOM killer") {
		return fmt.Errorf("exit %d; want 137 and minibox saying the OOM killer ended it", code)
	}
	return nil
}

func runRuntimeStop(e *workshop.Env) error {
	if _, err := MustMinibox(e, "stop", "-t", "1", "web"); err != nil {
		return err
	}
	if _, err := MustMinibox(e, "ps", "-a"); err != nil {
		return err
	}
	if _, err := MustMinibox(e, "rm", "web"); err != nil {
		return err
	}
	if _, err := MustMinibox(e, "prune"); err != nil {
		return err
	}
	Quietly("rmi", "hello:v1")
	ps, err := MustMinibox(e, "ps", "-a")
	if err != nil {
		return err
	}
	if strings.Count(ps, "\n") != 1 {
		return fmt.Errorf("containers are left: %q", ps)
	}
	// What the runtime's own tests check: no directory, lock, mount,
	// process or cgroup of minibox's is left on the host.
	found, err := runtime.Leftovers(runtime.DefaultPaths())
	if err != nil {
		return err
	}
	// A cgroup whose supervisor is gone may be another MINIBOX_ROOT's
	// (tests run side by side): the next command there sweeps it.
	var left []string
	for _, l := range found {
		if !l.Orphaned {
			left = append(left, l.String())
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("left behind: %s", strings.Join(left, "; "))
	}
	e.Say("no container, cgroup or overlay mount is left")
	return nil
}
