package steps

import (
	"fmt"
	"os/exec"
	"strings"
	"time"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"github.com/minibox-dev/minibox/internal/workshop"
)

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
		// The tasks themselves: pids.current can read one over the limit
		// while a refused fork's charge is taken back (cgroups.Tasks).
		var n int
		if n, err = cgroups.Tasks(p.Cgroup); err != nil {
			break
		}
		most = max(most, int64(n))
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
	e.Say("for a second: at most %d tasks in the group (cgroup.threads), %d forks refused (pids.events)", most, st.PidsLimitHits)
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
