package doctor

import (
	"fmt"
	"os"
)

func checkRoot() Check {
	exe, err := os.Executable()
	if err != nil {
		// Only the text of the fix depends on it: fall back to the
		// command's usual name rather than fail the check.
		exe = "workshop"
	}
	return rootCheck(os.Geteuid(), exe)
}

// rootCheck is a warning, not a failure: doctor itself runs fine without
// root, and the runner prints the sudo command for each step that needs it.
func rootCheck(euid int, exe string) Check {
	c := Check{Name: nameRoot}
	if euid == 0 {
		c.Status = OK
		c.Detail = "running as root (euid 0)"
		return c
	}
	c.Status = Warn
	c.Detail = fmt.Sprintf("running as euid %d: mounts, namespaces and cgroups need root, so some checks below may see less than root would", euid)
	c.Fix = "run it with sudo: sudo " + exe + " doctor"
	return c
}
