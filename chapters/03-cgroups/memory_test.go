package cgroups

import (
	"errors"
	"testing"
	"time"

	"github.com/minibox-dev/minibox/internal/testutil"
)

// hog doubles a string until something stops it.
const hog = `x=0123456789abcdef; while :; do x=$x$x; done`

func TestMemoryHogIsOOMKilled(t *testing.T) {
	testutil.RequireRoot(t)
	p := mustStart(t, jailed(t, hog), "hog", Limits{Memory: 32 << 20})
	st, err := waitWithin(t, p, 30*time.Second)
	if !errors.Is(err, ErrOOMKilled) {
		t.Fatalf("Wait: %v, want %v", err, ErrOOMKilled)
	}
	const want = "sh: killed by the kernel's OOM killer: the memory limit 32 MiB was reached"
	if err.Error() != want {
		t.Errorf("Wait: %q, want %q", err, want)
	}
	// Not MemoryLimitHits: v1's failcnt stays 0 on Linux 6.18 when
	// memory.memsw.limit_in_bytes is set, as it is here (Swap: 0).
	if st.OOMKills < 1 {
		t.Errorf("the counters missed the OOM kill: %+v", st)
	}
	if st.MemoryPeak != 0 && st.MemoryPeak > 32<<20 {
		t.Errorf("peak %s above the limit of 32 MiB", FormatSize(st.MemoryPeak))
	}
	assertRemoved(t, p.Cgroup)
}

// TestMemoryLimitIsNoBarrierBelowIt: a process that stays under its limit
// is not disturbed by it.
func TestMemoryLimitIsNoBarrierBelowIt(t *testing.T) {
	testutil.RequireRoot(t)
	// 4 MiB, in a 32 MiB group.
	p := mustStart(t, jailed(t, `x=0123456789abcdef; for i in $(seq 18); do x=$x$x; done; echo ${#x}`), "fits", Limits{Memory: 32 << 20})
	st, err := waitWithin(t, p, 30*time.Second)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if st.OOMKills != 0 {
		t.Errorf("OOM kills %d, want none", st.OOMKills)
	}
	if st.MemoryPeak != 0 && st.MemoryPeak < 4<<20 {
		t.Errorf("peak %s: less than the 4 MiB string", FormatSize(st.MemoryPeak))
	}
}
