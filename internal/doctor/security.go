package doctor

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"golang.org/x/sys/unix"
)

// Chapter 6 needs two things of the kernel beyond the namespaces: seccomp
// filters, and a way to limit the devices of a cgroup (v1's devices
// controller, or under v2 eBPF programs attached to cgroups,
// CONFIG_CGROUP_BPF).

func checkSecurity() Check {
	actions, err := readText("/proc/sys/kernel/seccomp/actions_avail")
	if err != nil {
		actions = ""
	}
	mountinfo, err := readText("/proc/self/mountinfo")
	if err != nil {
		mountinfo = ""
	}
	return securityCheck(actions, mountinfo, kernelConfig())
}

// kernelConfig is the running kernel's build configuration, from
// /proc/config.gz or /boot/config-RELEASE; "" if neither is there.
func kernelConfig() string {
	if f, err := os.Open("/proc/config.gz"); err == nil {
		defer f.Close()
		if z, err := gzip.NewReader(f); err == nil {
			if b, err := io.ReadAll(z); err == nil {
				return string(b)
			}
		}
	}
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		if text, err := readText("/boot/config-" + unix.ByteSliceToString(u.Release[:])); err == nil {
			return text
		}
	}
	return ""
}

// securityCheck judges the seccomp actions the kernel offers
// (actions_avail), the mount table (is there a v1 devices hierarchy, or a
// cgroup2 mount?) and the kernel's configuration, if known.
func securityCheck(actions, mountinfo, kconfig string) Check {
	c := Check{Name: nameSecurity}
	if !slices.Contains(strings.Fields(actions), "errno") {
		c.Status, c.Detail = Fail, "the kernel has no seccomp filters (/proc/sys/kernel/seccomp/actions_avail lacks errno): chapter 6 cannot confine a container"
		c.Fix = "use a kernel built with CONFIG_SECCOMP_FILTER=y (every distribution's is), or the workshop VM: vagrant up"
		return c
	}
	mounts, _ := namespaces.ParseMountinfo(mountinfo)
	devices := "none"
	for _, m := range mounts {
		if m.FSType == "cgroup" && slices.Contains(strings.Split(m.SuperOptions, ","), "devices") {
			devices = "the v1 devices controller"
			break
		}
		if m.FSType == "cgroup2" && m.MountPoint == "/sys/fs/cgroup" {
			devices = "eBPF programs on cgroup v2"
		}
	}
	switch {
	case devices == "none":
		c.Status, c.Detail = Fail, "seccomp filters: yes; device rules: no v1 devices hierarchy and no cgroup2 at /sys/fs/cgroup"
		c.Fix = "mount the devices controller: sudo mkdir -p /sys/fs/cgroup/devices && sudo mount -t cgroup -o devices cgroup /sys/fs/cgroup/devices"
	case strings.HasPrefix(devices, "eBPF") && kconfig != "" && !strings.Contains(kconfig, "\nCONFIG_CGROUP_BPF=y"):
		c.Status, c.Detail = Fail, "seccomp filters: yes; device rules: cgroup v2 without CONFIG_CGROUP_BPF, so no device programs"
		c.Fix = "use a kernel built with CONFIG_CGROUP_BPF=y (Debian's and Ubuntu's are), or the workshop VM: vagrant up"
	default:
		c.Status, c.Detail = OK, fmt.Sprintf("seccomp filters: yes; device rules: %s", devices)
	}
	return c
}
