package steps

import (
	"fmt"
	"strings"

	chrootsteps "github.com/minibox-dev/minibox/chapters/01-chroot/steps"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runNSEscape(e *workshop.Env) error {
	root, err := chrootsteps.Rootfs(e)
	if err != nil {
		return err
	}
	e.Say("chapter 1's escape runs as the container's init, after pivot_root, and reads %s:", chrootsteps.HostOnlyFile)
	res, err := namespaces.RunEscape(root, chrootsteps.HostOnlyFile)
	if err != nil {
		return err
	}
	chrootsteps.ShowEscape(e, &res.EscapeResult, "then it tries to break out:")
	e.Say("%s", res.Explain())
	if res.Escaped || res.Root != res.ContainerRoot {
		return fmt.Errorf("%s", res.Explain())
	}
	if !strings.Contains(res.SeenOutside, "no such file") {
		return fmt.Errorf("the container read %s after the escape", chrootsteps.HostOnlyFile)
	}
	return nil
}
