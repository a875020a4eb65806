package steps

import (
	"fmt"
	"strings"

	"github.com/minibox-dev/minibox/internal/workshop"
)

func runCgroupNS(e *workshop.Env) error {
	if _, err := e.Host("cat", "/proc/self/cgroup"); err != nil {
		return err
	}
	out, err := inContainer(e, false, "cat", "/proc/self/cgroup")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasSuffix(line, ":/") {
			return fmt.Errorf("in the container %q is not at its cgroup root", line)
		}
	}
	e.Say(`in the container every line ends in ":/": its own cgroup is its root`)
	return showNamespace(e, "cgroup", false)
}
