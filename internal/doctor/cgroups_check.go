package doctor

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
)

// neededControllers are the controllers the cgroups chapter drives.
var neededControllers = cgroups.Controllers

// controllerConfig names the kernel option behind each needed controller.
var controllerConfig = map[string]string{
	"cpu":    "CONFIG_CGROUP_SCHED",
	"memory": "CONFIG_MEMCG",
	"pids":   "CONFIG_CGROUP_PIDS",
}

func checkCgroups() Check {
	mountinfo, err := readText("/proc/self/mountinfo")
	if err != nil {
		return Check{Name: nameCgroups, Status: Fail,
			Detail: fmt.Sprintf("cannot read the mount table: %v", err),
			Fix:    "mount /proc: sudo mount -t proc proc /proc"}
	}
	procCgroups, err := readText("/proc/cgroups")
	if err != nil {
		// DetectLayout copes without it (a kernel without CONFIG_CGROUPS
		// has no /proc/cgroups, and then no cgroup mounts either).
		procCgroups = ""
	}
	return cgroupsCheck(mountinfo, procCgroups, readText)
}

// cgroupsCheck judges the cgroup layout; readFile reads the cgroup.controllers
// and cgroup.subtree_control files of the cgroup2 mount.
func cgroupsCheck(mountinfo, procCgroups string, readFile func(path string) (string, error)) Check {
	c := Check{Name: nameCgroups}
	table, err := cgroups.ParseProcCgroups(procCgroups)
	if err != nil {
		c.Status = Fail
		c.Detail = err.Error()
		c.Fix = "run it with sudo; if it persists, check `cat /proc/cgroups`"
		return c
	}
	l, err := cgroups.DetectLayout(mountinfo, procCgroups, func(mountpoint string) (string, error) {
		return readFile(path.Join(mountpoint, "cgroup.controllers"))
	})
	if errors.Is(err, cgroups.ErrNoCgroups) {
		c.Status = Fail
		c.Detail = "no cgroup or cgroup2 filesystem in /proc/self/mountinfo"
		c.Fix = "sudo mount -t cgroup2 cgroup2 " + cgroups.DefaultMount
		return c
	}
	if err != nil {
		c.Status = Fail
		c.Detail = err.Error()
		c.Fix = "run it with sudo; if it persists, check `cat /proc/self/mountinfo /proc/cgroups`"
		return c
	}
	c.Detail = describeCgroups(l)

	var missing []string
	for _, ctl := range neededControllers {
		if l.Owner(ctl) == "" {
			missing = append(missing, ctl)
		}
	}
	if len(missing) > 0 {
		var fixes []string
		for _, ctl := range missing {
			fixes = append(fixes, missingControllerFix(ctl, l, table))
		}
		c.Status = Fail
		c.Detail += "; missing: " + strings.Join(missing, " ")
		c.Fix = strings.Join(fixes, "; ")
		return c
	}

	// Under v2 a controller reaches a child cgroup only when its parent
	// lists it in cgroup.subtree_control; systemd enables them all, a
	// machine without systemd may enable none.
	var v2Owned []string
	for _, ctl := range neededControllers {
		if l.Owner(ctl) == cgroups.V2 {
			v2Owned = append(v2Owned, ctl)
		}
	}
	if len(v2Owned) == 0 {
		c.Status = OK
		return c
	}
	subtreeFile := path.Join(l.V2Mount, "cgroup.subtree_control")
	text, err := readFile(subtreeFile)
	if err != nil {
		c.Status = Warn
		c.Detail += fmt.Sprintf("; cannot read %s: %v", subtreeFile, err)
		c.Fix = "run it with sudo"
		return c
	}
	enabled := strings.Fields(text)
	var plus []string
	for _, ctl := range v2Owned {
		if !slices.Contains(enabled, ctl) {
			plus = append(plus, "+"+ctl)
		}
	}
	if len(plus) == 0 {
		c.Status = OK
		return c
	}
	c.Status = Warn
	c.Detail += "; not enabled for child cgroups in " + subtreeFile + ": " + strings.Join(plus, " ")
	c.Fix = "echo " + strings.Join(plus, " ") + " | sudo tee " + subtreeFile
	return c
}

// describeCgroups says which version owns the needed controllers, e.g.
// "hybrid: v1 owns cpu memory pids; cgroup2 at /sys/fs/cgroup/unified holds hugetlb".
func describeCgroups(l cgroups.Layout) string {
	holds := "no controllers"
	if len(l.V2Controllers) > 0 {
		holds = strings.Join(l.V2Controllers, " ")
	}
	switch l.Mode {
	case cgroups.V2:
		return fmt.Sprintf("cgroup v2 (unified) at %s: %s", l.V2Mount, holds)
	case cgroups.V1:
		return "v1 (no cgroup2 mount): " + ownership(l, cgroups.V1)
	default:
		return fmt.Sprintf("hybrid: %s; cgroup2 at %s holds %s", ownership(l, cgroups.V1, cgroups.V2), l.V2Mount, holds)
	}
}

// ownership lists the needed controllers each version owns: "v1 owns cpu memory".
func ownership(l cgroups.Layout, versions ...string) string {
	var parts []string
	for _, v := range versions {
		var owned []string
		for _, ctl := range neededControllers {
			if l.Owner(ctl) == v {
				owned = append(owned, ctl)
			}
		}
		if len(owned) > 0 {
			parts = append(parts, v+" owns "+strings.Join(owned, " "))
		}
	}
	if len(parts) == 0 {
		return "neither version owns " + strings.Join(neededControllers, " ")
	}
	return strings.Join(parts, ", ")
}

// missingControllerFix explains, from /proc/cgroups, why a controller is in
// no hierarchy: not built, turned off at boot, or not mounted.
func missingControllerFix(ctl string, l cgroups.Layout, known []cgroups.Subsys) string {
	i := slices.IndexFunc(known, func(s cgroups.Subsys) bool { return s.Name == ctl })
	switch {
	case i < 0:
		return fmt.Sprintf("%s: boot a kernel built with %s=y (Debian and Ubuntu kernels have it), e.g. the workshop VM: vagrant up", ctl, controllerConfig[ctl])
	case !known[i].Enabled:
		return fmt.Sprintf("%s: the kernel command line turns it off (cat /proc/cmdline): remove cgroup_disable=%s (on a Raspberry Pi add cgroup_enable=%s) in GRUB_CMDLINE_LINUX of /etc/default/grub, run sudo update-grub and reboot", ctl, ctl, ctl)
	case l.Mode == cgroups.V1 || known[i].Hierarchy != 0:
		// Free, or bound to a v1 hierarchy that is not mounted here.
		dir := path.Join(cgroups.DefaultMount, ctl)
		return fmt.Sprintf("%s: sudo mkdir -p %s && sudo mount -t cgroup -o %s cgroup %s", ctl, dir, ctl, dir)
	default:
		// Free for v2, yet not offered by the cgroup2 mount: this is a
		// delegated subtree (a container) whose parent withholds it.
		return fmt.Sprintf("%s: the cgroup2 mount at %s is a delegated subtree without it: enable it in the parent cgroup (echo +%s | sudo tee <parent>/cgroup.subtree_control, outside this container), or use the workshop VM", ctl, l.V2Mount, ctl)
	}
}
