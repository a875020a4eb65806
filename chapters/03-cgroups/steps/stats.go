package steps

import (
	"fmt"
	"os"
	"strconv"
	"time"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"github.com/minibox-dev/minibox/internal/workshop"
)

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
