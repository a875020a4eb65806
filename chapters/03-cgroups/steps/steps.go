// Package steps holds the workshop's steps of chapter 3, cgroups.
// Their text is in tutorial/03-cgroups.md; package chapters lists them.
package steps

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

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

func runMemoryHog(e *workshop.Env) error {
	l, err := cgroups.Detect()
	if err != nil {
		return err
	}
	driver, err := l.Driver()
	if err != nil {
		return err
	}
	e.Say("cgroups here: %s; minibox drives cgroup %s", describeLayout(l), driver)
	limits := cgroups.Limits{Memory: 32 << 20}
	p, _, err := startLimited(e, "hog", hogScript, limits)
	if err != nil {
		return err
	}
	st, waitErr := p.Wait()
	e.Say("%v", waitErr)
	peak := ""
	if st.MemoryPeak > 0 { // kernels before 5.19 do not keep it under v2
		peak = "; its memory peaked at " + cgroups.FormatSize(st.MemoryPeak)
	}
	e.Say("the kernel counted %d OOM kill%s in the group%s", st.OOMKills, plural(st.OOMKills), peak)
	if err := showRemoved(e, p.Cgroup); err != nil {
		return err
	}
	if !errors.Is(waitErr, cgroups.ErrOOMKilled) {
		return fmt.Errorf("the hog was not OOM-killed: %v", waitErr)
	}
	return nil
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func describeLayout(l cgroups.Layout) string {
	switch l.Mode {
	case cgroups.V2:
		return "cgroup v2 at " + l.V2Mount
	case cgroups.Hybrid:
		return fmt.Sprintf("hybrid, v1 hierarchies and a cgroup2 mount at %s holding %s", l.V2Mount, strings.Join(l.V2Controllers, " "))
	}
	return "cgroup v1"
}

func runForkBomb(e *workshop.Env) error {
	limits := cgroups.Limits{Pids: 64}
	p, out, err := startLimited(e, "bomb", bombScript, limits)
	if err != nil {
		return err
	}
	// Watch it for a second.
	var st cgroups.Stats
	most := int64(0)
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if st, err = p.Stats(); err != nil {
			break
		}
		most = max(most, st.Pids)
	}
	t0 := time.Now()
	hostErr := exec.Command("true").Run()
	hostTime := time.Since(t0)
	killErr := p.Kill()
	p.Wait() // the bomb's first shell may have ended already; the rest was killed
	if err != nil {
		return err
	}
	const refusal = "can't fork: Resource temporarily unavailable"
	e.Say("its shells printed %q %d times", refusal, strings.Count(out.String(), refusal))
	e.Say("for a second: at most %d tasks in the group (pids.current), %d forks refused (pids.events)", most, st.PidsLimitHits)
	e.Say("meanwhile the host started `true` in %s", workshop.Millis(hostTime))
	e.Say("Kill: SIGKILL to every process in the group, until none was left")
	if err := showRemoved(e, p.Cgroup); err != nil {
		return err
	}
	switch {
	case killErr != nil:
		return killErr
	case hostErr != nil:
		return fmt.Errorf("the host could not start true: %w", hostErr)
	case most > limits.Pids:
		return fmt.Errorf("%d tasks in a group limited to %d", most, limits.Pids)
	case st.PidsLimitHits == 0:
		return fmt.Errorf("no fork was refused: the bomb never reached the limit")
	}
	return nil
}

func runCPUQuota(e *workshop.Env) error {
	limits := cgroups.Limits{CPUs: 0.5}
	p, _, err := startLimited(e, "cpu", busyScript, limits)
	if err != nil {
		return err
	}
	// Measure a second at a time. A busy machine may give the loop less
	// than its quota (a quota caps, it does not reserve): then try again,
	// three times at most.
	var w cpuWindow
	for range 3 {
		if w, err = measureCPU(p, time.Second); err != nil || w.fair() {
			break
		}
	}
	killErr := p.Kill()
	p.Wait()
	if err := errors.Join(err, killErr); err != nil {
		return err
	}
	e.Say("in %.2fs it used %.2fs of CPU time: %.2f CPUs, under a quota of %.2f", w.wall.Seconds(), w.used.Seconds(), w.share(), w.limit)
	e.Say("cpu.stat: throttled in %d of %d periods, %.2fs in all", w.throttledPeriods, w.periods, w.throttled.Seconds())
	if err := showRemoved(e, p.Cgroup); err != nil {
		return err
	}
	switch {
	case w.share() > 0.8:
		return fmt.Errorf("the busy loop got %.2f CPUs under a quota of 0.5", w.share())
	case !w.fair():
		return fmt.Errorf("the busy loop never came near its quota, or was never throttled: is the machine busy?")
	}
	return nil
}

// cpuWindow is what a group used over a stretch of wall-clock time.
type cpuWindow struct {
	wall, used, throttled     time.Duration
	periods, throttledPeriods int64
	limit                     float64
}

func (w cpuWindow) share() float64 { return w.used.Seconds() / w.wall.Seconds() }

// fair reports whether the group got near its quota and was throttled:
// loose bounds, for a machine that may be busy.
func (w cpuWindow) fair() bool { return w.share() >= 0.2 && w.throttled > 0 }

func measureCPU(p *cgroups.Process, d time.Duration) (cpuWindow, error) {
	before, err := p.Stats()
	if err != nil {
		return cpuWindow{}, err
	}
	t0 := time.Now()
	time.Sleep(d)
	after, err := p.Stats()
	return cpuWindow{
		wall: time.Since(t0), used: after.CPUUsage - before.CPUUsage, throttled: after.CPUThrottled - before.CPUThrottled,
		periods: after.CPUPeriods - before.CPUPeriods, throttledPeriods: after.CPUThrottledPeriods - before.CPUThrottledPeriods,
		limit: after.CPULimit,
	}, err
}

func runLiveStats(e *workshop.Env) error {
	limits := cgroups.Limits{Memory: 128 << 20, Pids: 32, CPUs: 1}
	p, _, err := startLimited(e, "stats", growScript, limits)
	if err != nil {
		return err
	}
	procCgroup, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid) + "/cgroup")
	e.Shell("host$", fmt.Sprintf("cat /proc/%d/cgroup", p.Pid), string(procCgroup))
	if err != nil {
		p.Kill()
		p.Wait()
		return err
	}
	e.Say("%-6s %-9s %-9s %-7s %s", "TIME", "MEMORY", "PEAK", "CPU", "TASKS")
	var seen cgroups.Stats
	t0 := time.Now()
	for time.Since(t0) < 10*time.Second && (seen.Pids < 4 || seen.Memory < 16<<20) {
		time.Sleep(200 * time.Millisecond)
		st, err := p.Stats()
		if err != nil {
			break
		}
		e.Say("%-6s %-9s %-9s %-7s %d", fmt.Sprintf("%.1fs", time.Since(t0).Seconds()), cgroups.FormatSize(st.Memory),
			cgroups.FormatSize(st.MemoryPeak), fmt.Sprintf("%.2fs", st.CPUUsage.Seconds()), st.Pids)
		seen.Pids, seen.Memory, seen.CPUUsage = max(seen.Pids, st.Pids), max(seen.Memory, st.Memory), max(seen.CPUUsage, st.CPUUsage)
	}
	_, waitErr := p.Wait()
	if err := showRemoved(e, p.Cgroup); err != nil {
		return err
	}
	switch {
	case waitErr != nil:
		return waitErr
	case seen.Memory < 16<<20:
		return fmt.Errorf("the memory never showed the 16 MiB string (at most %s)", cgroups.FormatSize(seen.Memory))
	case seen.Pids < 4:
		return fmt.Errorf("never saw the shell and its three sleeps: at most %d tasks", seen.Pids)
	case seen.CPUUsage <= 0:
		return fmt.Errorf("no CPU time counted")
	}
	return nil
}

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
