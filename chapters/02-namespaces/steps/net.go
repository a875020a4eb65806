package steps

import (
	"fmt"
	"strings"

	"github.com/minibox-dev/minibox/internal/workshop"
)

func runNet(e *workshop.Env) error {
	if _, err := e.Host("ls", "/sys/class/net"); err != nil {
		return err
	}
	out, err := inContainer(e, false, "ip", "-o", "link")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "1: lo: <LOOPBACK,UP") {
		return fmt.Errorf("the container's links are %q, want only lo, UP", lines)
	}
	return showNamespace(e, "net", false)
}
