package doctor

import (
	"os"
	"strconv"
)

// Status is the verdict of one check.
type Status int

const (
	OK   Status = iota // nothing to do
	Warn               // the workshop runs, but something needs attention
	Fail               // a chapter cannot run until this is fixed
)

func (s Status) String() string {
	switch s {
	case OK:
		return "ok"
	case Warn:
		return "warn"
	case Fail:
		return "FAIL"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Check is the result of one check.
type Check struct {
	Name   string // short: "root", "kernel", "cgroups", ...
	Status Status
	Detail string // what was found, one line
	Fix    string // for Warn and Fail: the exact command or action that fixes it; empty when OK
}

// The check names, in the order Run reports them.
const (
	nameRoot       = "root"
	nameKernel     = "kernel"
	nameNamespaces = "namespaces"
	nameCgroups    = "cgroups"
	nameOverlayfs  = "overlayfs"
	nameBusybox    = "busybox"
	nameUserns     = "user namespaces"
	nameSecurity   = "security"
	nameNetwork    = "network"
	nameGo         = "go"
)

// Run performs every check on this machine. It never changes anything.
func Run() []Check {
	return []Check{
		checkRoot(),
		checkKernel(),
		checkNamespaces(),
		checkCgroups(),
		checkOverlayfs(),
		checkBusybox(),
		checkUserns(),
		checkSecurity(),
		checkNetwork(),
		checkGo(),
	}
}

// Failed reports whether any check has Status Fail.
func Failed(checks []Check) bool {
	for _, c := range checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// readText reads a whole (small) file, as the /proc and /sys files are.
func readText(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
