package cgroups

import (
	"testing"
	"time"

	"github.com/minibox-dev/minibox/internal/testutil"
)

// TestFreezeStopsTheGroup: a busy loop uses no CPU at all while its group
// is frozen, and runs again once thawed.
func TestFreezeStopsTheGroup(t *testing.T) {
	testutil.RequireRoot(t)
	p := mustStart(t, jailed(t, "while :; do :; done"), "freeze", Limits{})
	usage := func() time.Duration {
		s, err := p.Cgroup.Stats()
		if err != nil {
			t.Fatal(err)
		}
		return s.CPUUsage
	}
	waitFor(t, 5*time.Second, "the loop to use CPU", func() bool { return usage() > 0 })
	if err := Freeze(p.Cgroup); err != nil {
		t.Fatal(err)
	}
	frozen := usage()
	time.Sleep(200 * time.Millisecond)
	if now := usage(); now != frozen {
		t.Errorf("the frozen group used %v of CPU", now-frozen)
	}
	if err := Thaw(p.Cgroup); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the thawed loop to run", func() bool { return usage() > frozen })
	// Frozen again, it is still killed: Kill thaws it first on v1.
	if err := Freeze(p.Cgroup); err != nil {
		t.Fatal(err)
	}
}
