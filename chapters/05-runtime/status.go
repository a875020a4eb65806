package runtime

import (
	"fmt"
	"time"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
)

// describeStatus says where s is, as docker ps does: "Up 3 minutes",
// "Exited (0) 2 seconds ago".
func describeStatus(s *State) string { return statusAt(s, time.Now()) }

// statusAt is describeStatus at the time now: tests give a fixed one.
func statusAt(s *State, now time.Time) string {
	switch s.Status {
	case Running:
		return "Up " + HumanDuration(now.Sub(s.Started))
	case Exited:
		return fmt.Sprintf("Exited (%d) %s ago", s.ExitCode, HumanDuration(now.Sub(s.Finished)))
	case Damaged:
		return "Damaged record"
	default:
		return "Created"
	}
}

// DescribeStatus is describeStatus for the CLI.
func DescribeStatus(s *State) string { return describeStatus(s) }

// HumanDuration writes d as docker ps does: "3 minutes".
func HumanDuration(d time.Duration) string {
	switch {
	case d < 2*time.Second:
		return "1 second"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds", int(d.Seconds()))
	case d < 2*time.Minute:
		return "1 minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d < 2*time.Hour:
		return "1 hour"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	default:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
}

// Stats reads running container s's cgroup counters (chapter 3).
func Stats(s *State) (cgroups.Stats, error) {
	if s.Status != Running {
		return cgroups.Stats{}, fmt.Errorf("container %s is not running (%s): `minibox stats` with no arguments shows the running ones", s.Name, describeStatus(s))
	}
	cg, err := cgroups.Open(s.Cgroup)
	if err != nil {
		return cgroups.Stats{}, err
	}
	return cg.Stats()
}
