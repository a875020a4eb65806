package steps

import (
	"errors"
	"fmt"
	"time"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"github.com/minibox-dev/minibox/internal/workshop"
)

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
