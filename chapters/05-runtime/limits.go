package runtime

import (
	"fmt"
	goruntime "runtime"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
)

// MinMemory is the smallest memory limit a container gets, as docker's: a
// container's init alone needs a few megabytes, and with less the kernel's
// OOM killer ends it before its command runs.
const MinMemory = 6 << 20

// checkLimits refuses limits no container could run with.
func checkLimits(cfg Config) error { return checkLimitsOn(cfg, goruntime.NumCPU()) }

// checkLimitsOn is checkLimits on a machine with n CPUs: tests give n.
func checkLimitsOn(cfg Config, n int) error {
	l := cgroups.Limits{Memory: cfg.Memory, Pids: cfg.Pids, CPUs: cfg.CPUs}
	if err := l.Validate(); err != nil {
		return err
	}
	if cfg.Memory > 0 && cfg.Memory < MinMemory {
		return fmt.Errorf("memory limit %s is too small: a container needs at least %s (-m 6m)", cgroups.FormatSize(cfg.Memory), cgroups.FormatSize(MinMemory))
	}
	if cfg.CPUs > float64(n) {
		return fmt.Errorf("--cpus %g: this machine has %d CPUs; give at most %d", cfg.CPUs, n, n)
	}
	return nil
}
