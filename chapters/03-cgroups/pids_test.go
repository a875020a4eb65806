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
		// The tasks, not pids.current, which may read one over while a
		// refused fork's charge is taken back.
		if n, err := Tasks(p.Cgroup); err != nil || n > limit {
			t.Fatalf("%d tasks in a group limited to %d (%v)", n, limit, err)
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
	// Kill returns once the group is empty: no shell of the bomb is left,
	// whichever ended the first one (Kill, or its own failed fork).
	for _, d := range p.Cgroup.Dirs() {
		if pids, err := readProcs(d); err != nil || len(pids) > 0 {
			t.Errorf("after Kill, %s/cgroup.procs lists %v (%v), want none", d, pids, err)
		}
	}
	st, err := waitWithin(t, p, 10*time.Second)
	if !endedByKillOrItself(err) {
		t.Errorf("Wait: %v, want %v or the shell's own exit", err, ErrKilled)
	}
	if st.PidsLimitHits == 0 {
		t.Errorf("pids.events counts no refused fork: %+v", st)
	}
	t.Logf("contained in %v: %d forks refused", time.Since(start).Round(time.Millisecond), st.PidsLimitHits)
	// Removed: so no process was left in it. (Its pids.current may still
	// count a few: killed orphans, zombies until init reaps them.)
	assertRemoved(t, p.Cgroup)
}

// endedByKillOrItself reports whether err, from Wait, says the bomb's first
// shell was killed by Process.Kill or exited by itself: that shell exits 2
// when its own fork is refused, which can come before the Kill.
func endedByKillOrItself(err error) bool {
	var exit *exec.ExitError
	return errors.Is(err, ErrKilled) || errors.As(err, &exit) && exit.Exited()
}
