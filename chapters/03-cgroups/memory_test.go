package cgroups

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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

// TestSwapLimitIsOptional: a kernel that does not account swap lacks the
// swap files. Without a swap limit asked for (Swap 0 or NoLimit) the
// setting is skipped there; a swap limit asked for must not be.
func TestSwapLimitIsOptional(t *testing.T) {
	v2 := newV2Group("/sys/fs/cgroup", "x-1")
	v1 := newV1Group(map[string]string{"memory": "/sys/fs/cgroup/memory"}, "x-1")
	tests := []struct {
		name string
		cg   Cgroup
		swap int64
		want map[string]bool // file -> Optional
	}{
		{"v2 no swap", v2, 0, map[string]bool{"memory.max": false, "memory.swap.max": true}},
		{"v2 unlimited swap", v2, NoLimit, map[string]bool{"memory.max": false, "memory.swap.max": true}},
		{"v2 16 MiB of swap", v2, 16 << 20, map[string]bool{"memory.max": false, "memory.swap.max": false}},
		{"v1 no swap", v1, 0, map[string]bool{"memory.limit_in_bytes": false, "memory.memsw.limit_in_bytes": true}},
		{"v1 unlimited swap", v1, NoLimit, map[string]bool{"memory.limit_in_bytes": false, "memory.memsw.limit_in_bytes": true}},
		{"v1 16 MiB of swap", v1, 16 << 20, map[string]bool{"memory.limit_in_bytes": false, "memory.memsw.limit_in_bytes": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]bool{}
			for _, s := range Settings(tt.cg, Limits{Memory: 32 << 20, Swap: tt.swap}) {
				got[filepath.Base(s.File)] = s.Optional
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Optional, by file (-want +got):\n%s", diff)
			}
		})
	}
}
