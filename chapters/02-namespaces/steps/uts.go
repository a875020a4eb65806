package steps

import (
	"fmt"
	"os"
	"strings"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runUTS(e *workshop.Env) error {
	before, err := os.Hostname()
	if err != nil {
		return err
	}
	e.Shell("host$", "hostname", before)
	inside, err := inContainer(e, false, "hostname")
	if err != nil {
		return err
	}
	after, err := os.Hostname()
	if err != nil {
		return err
	}
	e.Shell("host$", "hostname", after)
	if strings.TrimSpace(inside) != namespaces.DefaultHostname {
		return fmt.Errorf("the container's hostname is %q, want %q", strings.TrimSpace(inside), namespaces.DefaultHostname)
	}
	if after != before {
		return fmt.Errorf("the host's hostname changed from %q to %q", before, after)
	}
	return showNamespace(e, "uts", false)
}
