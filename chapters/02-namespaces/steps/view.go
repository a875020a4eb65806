package steps

import (
	"fmt"
	"strings"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runNSView(e *workshop.Env) error {
	c, err := startIdle(e, false)
	if err != nil {
		return err
	}
	rows, err := namespaces.CompareNamespaces(c.c.Pid())
	e.Say("namespaces of this process and of container process %d:", c.c.Pid())
	if serr := c.Stop(); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimRight(namespaces.FormatNamespaces(rows), "\n"), "\n") {
		e.Say("  %s", line)
	}
	for _, r := range rows {
		shared := r.Type == "user" || r.Type == "time"
		if r.Isolated() == shared {
			return fmt.Errorf("the %s namespace is isolated=%v, want %v", r.Type, r.Isolated(), !shared)
		}
	}
	return nil
}
