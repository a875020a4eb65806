package doctor

import (
	"fmt"
	"slices"
	"strings"
)

// ParseFilesystems returns the filesystem types listed in /proc/filesystems,
// whose lines are "nodev\tsysfs" or "\text4": an optional "nodev" flag, then
// the type.
func ParseFilesystems(text string) []string {
	var types []string
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		types = append(types, f[len(f)-1])
	}
	return types
}

func checkOverlayfs() Check {
	text, err := readText("/proc/filesystems")
	if err != nil {
		return Check{Name: nameOverlayfs, Status: Warn,
			Detail: fmt.Sprintf("cannot tell whether the kernel has overlayfs: %v", err),
			Fix:    "mount /proc: sudo mount -t proc proc /proc"}
	}
	return overlayfsCheck(ParseFilesystems(text))
}

// overlayfsCheck only warns when overlay is missing: it is usually a module,
// listed once loaded, and a mount by root loads it on demand.
func overlayfsCheck(types []string) Check {
	if slices.Contains(types, "overlay") {
		return Check{Name: nameOverlayfs, Status: OK, Detail: "overlay is in /proc/filesystems"}
	}
	return Check{Name: nameOverlayfs, Status: Warn,
		Detail: "overlay is not in /proc/filesystems: the module may just not be loaded yet",
		Fix:    "sudo modprobe overlay"}
}
