package doctor

import (
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"
)

// The oldest kernel the chapters rely on: 5.4 (Ubuntu 20.04's) has the
// cgroup v2 controllers (cpu, memory, pids) and the overlayfs the workshop
// uses.
const (
	minKernelMajor = 5
	minKernelMinor = 4
)

// ParseKernelVersion returns the major and minor numbers of a kernel
// release as uname -r prints it: "6.8.0-31-generic" gives 6, 8. Whatever
// follows the minor number (patch level, distribution suffix) is ignored.
func ParseKernelVersion(release string) (major, minor int, err error) {
	major, rest, ok := leadingInt(release)
	if !ok || len(rest) == 0 || rest[0] != '.' {
		return 0, 0, fmt.Errorf("kernel release %q: want MAJOR.MINOR[...]", release)
	}
	minor, _, ok = leadingInt(rest[1:])
	if !ok {
		return 0, 0, fmt.Errorf("kernel release %q: want MAJOR.MINOR[...]", release)
	}
	return major, minor, nil
}

// leadingInt splits s into the decimal number it starts with and the rest.
func leadingInt(s string) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, s, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil { // only on overflow: no kernel has such a version
		return 0, s, false
	}
	return n, s[i:], true
}

func checkKernel() Check {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return Check{Name: nameKernel, Status: Warn,
			Detail: fmt.Sprintf("uname: %v", err),
			Fix:    "check the kernel release with `uname -r`: the workshop needs Linux 5.4 or newer"}
	}
	return kernelCheck(unix.ByteSliceToString(u.Release[:]))
}

func kernelCheck(release string) Check {
	c := Check{Name: nameKernel}
	major, minor, err := ParseKernelVersion(release)
	need := fmt.Sprintf("%d.%d or newer needed", minKernelMajor, minKernelMinor)
	switch {
	case err != nil:
		c.Status = Warn
		c.Detail = fmt.Sprintf("%v: cannot tell whether it is %d.%d or newer", err, minKernelMajor, minKernelMinor)
		c.Fix = "check the kernel release with `uname -r`: the workshop needs Linux 5.4 or newer"
	case major < minKernelMajor || major == minKernelMajor && minor < minKernelMinor:
		c.Status = Warn
		c.Detail = fmt.Sprintf("Linux %s is too old: %s for the cgroup v2 and overlayfs features the chapters use", release, need)
		c.Fix = "upgrade the kernel (Ubuntu: sudo apt-get install linux-generic; Debian: sudo apt-get install linux-image-$(dpkg --print-architecture)) and reboot, or use the workshop VM: vagrant up"
	default:
		c.Status = OK
		c.Detail = fmt.Sprintf("Linux %s (%s)", release, need)
	}
	return c
}
