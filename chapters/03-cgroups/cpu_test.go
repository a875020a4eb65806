package cgroups

import (
	"errors"
	"testing"
	"time"

	"github.com/minibox-dev/minibox/internal/testutil"
)

// busy spins on one CPU.
const busy = `while :; do :; done`

// TestCPUQuotaThrottles runs a busy loop under half a CPU and measures its
// share over one-second windows. The bounds are loose, as this is about the
// quota being enforced, not about timing (the benchmarks measure speed).
// The upper bound holds in every window, whatever else the machine does. A
// busy machine (go test ./... runs packages in parallel) may give the loop
// less than its quota, so the lower bound and the throttling must show in
// one of three windows.
func TestCPUQuotaThrottles(t *testing.T) {
	testutil.RequireRoot(t)
	p := mustStart(t, jailed(t, busy), "busy", Limits{CPUs: 0.5})
	ok := false
	for window := 1; window <= 3 && !ok; window++ {
		before, err := p.Stats()
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		time.Sleep(time.Second)
		after, err := p.Stats()
		wall := time.Since(t0)
		if err != nil {
			t.Fatal(err)
		}
		used := after.CPUUsage - before.CPUUsage
		share := used.Seconds() / wall.Seconds()
		throttled := after.CPUThrottledPeriods - before.CPUThrottledPeriods
		t.Logf("window %d: used %v of CPU in %v: %.2f CPUs; throttled in %d of %d periods",
			window, used.Round(time.Millisecond), wall.Round(time.Millisecond), share, throttled, after.CPUPeriods-before.CPUPeriods)
		if share > 0.8 {
			t.Errorf("the busy loop got %.2f CPUs under a quota of 0.5", share)
		}
		if after.CPULimit != 0.5 {
			t.Errorf("CPU limit reads %g, want 0.5", after.CPULimit)
		}
		ok = share >= 0.2 && throttled > 0 && after.CPUThrottled > before.CPUThrottled
	}
	if !ok {
		t.Errorf("in none of three seconds did the busy loop get near its quota and get throttled")
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	if _, err := waitWithin(t, p, 10*time.Second); !errors.Is(err, ErrKilled) {
		t.Errorf("Wait: %v, want %v", err, ErrKilled)
	}
}
