package steps

import (
	"fmt"
	"strings"

	"github.com/minibox-dev/minibox/internal/workshop"
)

func runPID(e *workshop.Env) error {
	out, err := inContainer(e, false, "sh", "-c", "echo $$; ps")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || lines[0] != "1" {
		return fmt.Errorf("the shell's PID is %q, want 1", lines[0])
	}
	if procs := len(lines) - 2; procs != 1 { // minus echo's line and ps's header
		return fmt.Errorf("ps in the container lists %d processes, want only itself", procs)
	}
	return showNamespace(e, "pid", false)
}
