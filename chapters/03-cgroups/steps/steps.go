// Package steps holds the workshop's steps of chapter 3, cgroups.
// Their text is in tutorial/03-cgroups.md; package chapters lists them.
package steps

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	chrootsteps "github.com/minibox-dev/minibox/chapters/01-chroot/steps"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"github.com/minibox-dev/minibox/internal/workshop"
)

const cgroupsHint = "cgroups need root and the memory, cpu and pids controllers: `workshop doctor` checks them"

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{
			ID:    "cgroups.memory",
			Root:  true,
			Check: "the hog was OOM-killed at its 32 MiB limit, and its cgroup is gone",
			Hint:  cgroupsHint,
			Run:   runMemoryHog,
		},
		{
			ID:    "cgroups.pids",
			Root:  true,
			Check: "the bomb stopped at its pids limit, the host kept starting processes, and nothing of it is left",
			Hint:  cgroupsHint,
			Run:   runForkBomb,
		},
		{
			ID:    "cgroups.cpu",
			Root:  true,
			Check: "the busy loop got about half a CPU, and the kernel counted the throttling",
			Hint:  cgroupsHint,
			Run:   runCPUQuota,
		},
		{
			ID:    "cgroups.stats",
			Root:  true,
			Check: "the stats followed the running process: its memory grew, its tasks showed up, it used CPU",
			Hint:  cgroupsHint,
			Run:   runLiveStats,
		},
	}
}

// The jailed shell scripts of the steps.
const (
	hogScript  = `x=0123456789abcdef; while :; do x=$x$x; done` // doubles a string until stopped
	bombScript = `bomb() { bomb | bomb; }; bomb`                // every call starts two more
	busyScript = `while :; do :; done`
	// 16 bytes doubled 20 times, 16 MiB, a little at a time; then three
	// processes at once.
	growScript = `x=0123456789abcdef; for i in $(seq 20); do x=$x$x; sleep 0.05; done; sleep 1 | sleep 1 | sleep 1`
)

// startLimited starts script in the jail, in a new cgroup with limits l,
// and shows what cgroups.Start did as the shell commands that do the same.
// The script's output is in out once it has ended.
func startLimited(e *workshop.Env, name, script string, l cgroups.Limits) (p *cgroups.Process, out *bytes.Buffer, err error) {
	root, err := chrootsteps.Rootfs(e)
	if err != nil {
		return nil, nil, err
	}
	cmd, err := chroot.JailCommand(root, "/bin/sh", "-c", script)
	if err != nil {
		return nil, nil, err
	}
	out = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	// What a killed run left behind goes first. A group that cannot go
	// yet (its processes are not reaped) is no reason to stop this step:
	// a later Sweep removes it.
	cgroups.Sweep()
	if p, err = cgroups.Start(cmd, name, l); err != nil {
		return nil, nil, err
	}
	dirs := p.Cgroup.Dirs()
	e.Shell("host#", "mkdir "+strings.Join(dirs, " "), "")
	for _, s := range cgroups.Settings(p.Cgroup, l) {
		if _, err := os.Stat(s.File); err == nil || !s.Optional {
			e.Shell("host#", s.String(), "")
		}
	}
	procs := make([]string, len(dirs))
	for i, d := range dirs {
		procs[i] = d + "/cgroup.procs"
	}
	if len(procs) == 1 {
		e.Shell("host#", fmt.Sprintf("echo %d > %s", p.Pid, procs[0]), "")
	} else {
		e.Shell("host#", fmt.Sprintf("echo %d | tee %s", p.Pid, strings.Join(procs, " ")), "")
	}
	e.Shell("jail#", script, "")
	return p, out, nil
}

// showRemoved shows the cgroup's removal, and fails if any of its
// directories is still there.
func showRemoved(e *workshop.Env, cg cgroups.Cgroup) error {
	e.Shell("host#", "rmdir "+strings.Join(cg.Dirs(), " "), "")
	for _, d := range cg.Dirs() {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			return fmt.Errorf("the cgroup %s is still there", d)
		}
	}
	return nil
}
