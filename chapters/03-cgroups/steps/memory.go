package steps

import (
	"errors"
	"fmt"
	"strings"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"github.com/minibox-dev/minibox/internal/workshop"
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
