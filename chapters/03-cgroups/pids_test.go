package cgroups

import (
	"errors"
	"os/exec"
	"testing"
	"time"

	"github.com/minibox-dev/minibox/internal/testutil"
)

// bomb is a fork bomb: every call starts two more, forever.
const bomb = `bomb() { bomb | bomb; }; bomb`

func TestForkBombIsContained(t *testing.T) {
	testutil.RequireRoot(t)
	const limit = 32
	start := time.Now()
	p := mustStart(t, jailed(t, bomb), "bomb", Limits{Pids: limit})
	var st Stats
	waitFor(t, 10*time.Second, "the bomb to hit the pids limit", func() bool {
		var err error
		if st, err = p.Stats(); err != nil {
			t.Fatal(err)
		}
		if st.Pids > limit {
			t.Fatalf("%d tasks in a group limited to %d", st.Pids, limit)
		}
		return st.PidsLimitHits > 0
	})
	// The host can still start processes: the limit is the group's alone.
	if out, err := exec.Command("true").CombinedOutput(); err != nil {
		t.Errorf("the host could not start true while the bomb ran: %v %s", err, out)
	}
	if err := p.Kill(); err != nil {
		t.Fatalf("Kill: %v", err)
	}
	st, err := waitWithin(t, p, 10*time.Second)
	if !errors.Is(err, ErrKilled) {
		t.Errorf("Wait: %v, want %v", err, ErrKilled)
	}
	if st.PidsLimitHits == 0 {
		t.Errorf("pids.events counts no refused fork: %+v", st)
	}
	t.Logf("contained in %v: %d forks refused", time.Since(start).Round(time.Millisecond), st.PidsLimitHits)
	// Removed: so no process was left in it. (Its pids.current may still
	// count a few: killed orphans, zombies until init reaps them.)
	assertRemoved(t, p.Cgroup)
}
