// Package steps holds the workshop's steps of the setup (chapter 0): the machine's check, and a first jailed process.
// Their text is in tutorial/00-setup.md; package chapters lists them.
package steps

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	chrootsteps "github.com/minibox-dev/minibox/chapters/01-chroot/steps"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/doctor"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{
			ID:    "setup.doctor",
			Check: "this machine has what the workshop needs (no ✗ above)",
			Hint:  "run each fix: line above, then run this step again",
			Run:   runDoctorStep,
		},
		{
			ID:    "setup.process",
			Root:  true,
			Check: "the jailed program was an ordinary host process with another root",
			Hint:  "starting a jailed process needs root (chroot)",
			Run:   runProcess,
		},
	}
}

func runDoctorStep(e *workshop.Env) error {
	checks := doctor.Run()
	doctor.Print(indent{e.Out}, checks, e.Style.Color)
	if doctor.Failed(checks) {
		return fmt.Errorf("some checks failed")
	}
	return nil
}

// indent prefixes every line written with two spaces, to nest output under
// a step's title.
type indent struct{ w io.Writer }

func (in indent) Write(p []byte) (int, error) {
	s := strings.ReplaceAll(string(p), "\n", "\n  ")
	s = strings.ReplaceAll(strings.TrimSuffix(s, "  "), "\n  \n", "\n\n")
	if _, err := io.WriteString(in.w, "  "+s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// startRuns is how many times runProcess starts /bin/true, to take a median.
const startRuns = 25

func runProcess(e *workshop.Env) error {
	root, err := chrootsteps.Rootfs(e)
	if err != nil {
		return err
	}
	// cat with nothing on its stdin waits: long enough to look at it.
	cmd, err := chroot.JailCommand(root, "cat")
	if err != nil {
		return err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	pid := cmd.Process.Pid
	e.Say("started `cat` in the jail: it is process %d of the host", pid)
	rootLink, rerr := os.Readlink(fmt.Sprintf("/proc/%d/root", pid))
	e.Shell("host$", fmt.Sprintf("readlink /proc/%d/root", pid), rootLink)
	comm, cerr := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	e.Shell("host$", fmt.Sprintf("cat /proc/%d/comm", pid), string(comm))
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("jailed cat: %w", err)
	}
	if rerr != nil || cerr != nil {
		return fmt.Errorf("read /proc/%d: %v %v", pid, rerr, cerr)
	}
	if want, _ := filepath.EvalSymlinks(root); rootLink != want {
		return fmt.Errorf("its root is %s, want the jail %s", rootLink, want)
	}

	jailedT, err := medianStart(func() (*exec.Cmd, error) { return chroot.JailCommand(root, "/bin/true") })
	if err != nil {
		return err
	}
	bb, err := chroot.FindBusybox()
	if err != nil {
		return err
	}
	hostT, err := medianStart(func() (*exec.Cmd, error) { return exec.Command(bb, "true"), nil })
	if err != nil {
		return err
	}
	e.Say("start to exit of `true`, median of %d runs: %s in the jail, %s on the host", startRuns, workshop.Millis(jailedT), workshop.Millis(hostT))
	e.Say("a virtual machine first boots firmware, a kernel and an init: seconds, not milliseconds")
	return nil
}

func medianStart(newCmd func() (*exec.Cmd, error)) (time.Duration, error) {
	times := make([]time.Duration, 0, startRuns)
	for range startRuns {
		cmd, err := newCmd()
		if err != nil {
			return 0, err
		}
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("%s: %w", strings.Join(cmd.Args, " "), err)
		}
		times = append(times, time.Since(t0))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)/2], nil
}
