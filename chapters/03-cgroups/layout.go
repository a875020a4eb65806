package cgroups

import (
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
)

// Where are the cgroups? Never assume /sys/fs/cgroup/memory: that path is
// cgroup v1, gone on every current distribution. The kernel says what is
// mounted where in /proc/self/mountinfo, and which controllers it knows in
// /proc/cgroups; a cgroup2 mount lists its controllers in cgroup.controllers.

// The cgroup layouts, as Layout.Mode reports them.
const (
	V2     = "v2"     // only cgroup2, normally at /sys/fs/cgroup (Ubuntu 22.04+, Debian 12 with systemd, Fedora)
	Hybrid = "hybrid" // v1 hierarchies own controllers and a cgroup2 mount exists too, often at /sys/fs/cgroup/unified
	V1     = "v1"     // no cgroup2 mount (CentOS 7, Debian 10, systemd with legacy hierarchy)
)

// DefaultMount is where distributions mount cgroups: preferred when there
// are several cgroup2 mounts, and suggested when there is none.
const DefaultMount = "/sys/fs/cgroup"

// ErrNoCgroups means no cgroup filesystem, of either version, is mounted.
var ErrNoCgroups = errors.New("no cgroup filesystem is mounted")

// Layout is how cgroups are mounted on a machine.
type Layout struct {
	Mode          string            // V2, Hybrid or V1
	V2Mount       string            // the cgroup2 mount point, "" in v1 mode
	V1            map[string]string // v1 controller -> its hierarchy's mount point ("cpu" -> "/sys/fs/cgroup/cpu,cpuacct")
	V2Controllers []string          // the controllers in V2Mount's cgroup.controllers, in the kernel's order
}

// Owner returns V1 or V2 for the version whose hierarchy holds the
// controller, or "" when neither does. A controller bound to a v1 hierarchy
// is absent from cgroup v2, so at most one version owns it.
func (l Layout) Owner(controller string) string {
	if _, ok := l.V1[controller]; ok {
		return V1
	}
	if slices.Contains(l.V2Controllers, controller) {
		return V2
	}
	return ""
}

// Detect reads this machine's cgroup layout from /proc/self/mountinfo,
// /proc/cgroups and the cgroup.controllers of each cgroup2 mount.
func Detect() (Layout, error) {
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return Layout{}, err
	}
	// A kernel without cgroups has no /proc/cgroups, and no cgroup mounts
	// either: DetectLayout copes without it.
	procCgroups, err := os.ReadFile("/proc/cgroups")
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Layout{}, err
	}
	return DetectLayout(string(mountinfo), string(procCgroups), func(mountpoint string) (string, error) {
		b, err := os.ReadFile(path.Join(mountpoint, "cgroup.controllers"))
		return string(b), err
	})
}

// DetectLayout works out the cgroup layout from the text of
// /proc/self/mountinfo and /proc/cgroups, reading each cgroup2 mount's
// cgroup.controllers through readControllers (given the mount point).
//
// /proc/cgroups names the controllers the kernel knows, which tells them
// apart from the other options of a v1 mount (name=systemd, xattr,
// release_agent=...); procCgroups may be "" if the file is missing.
// DetectLayout returns ErrNoCgroups when nothing is mounted.
func DetectLayout(mountinfo, procCgroups string, readControllers func(mountpoint string) (string, error)) (Layout, error) {
	mounts, err := namespaces.ParseMountinfo(mountinfo)
	if err != nil {
		return Layout{}, err
	}
	v2Mounts, v1, err := cgroupMounts(mounts, procCgroups)
	if err != nil {
		return Layout{}, err
	}
	l := Layout{V1: v1}
	if len(v2Mounts) > 0 {
		l.V2Mount = preferredV2Mount(v2Mounts)
		text, err := readControllers(l.V2Mount)
		if err != nil {
			return Layout{}, fmt.Errorf("cgroup2 at %s: %w", l.V2Mount, err)
		}
		if cs := strings.Fields(text); len(cs) > 0 {
			l.V2Controllers = cs
		}
	}

	switch {
	case l.V2Mount == "" && len(l.V1) == 0:
		return Layout{}, ErrNoCgroups
	case l.V2Mount == "":
		l.Mode = V1
	case len(l.V1) == 0:
		l.Mode = V2
	default:
		l.Mode = Hybrid
	}
	return l, nil
}

// cgroupMounts finds the cgroup filesystems in the mount table: the mount
// points of cgroup2, and the mount point of each v1 controller's hierarchy.
// A mount hidden under a later one does not count. The text of
// /proc/cgroups names the controllers, which tells them apart from a v1
// mount's other options.
//
//workshop:exercise cg.mounts
func cgroupMounts(mounts []Mount, procCgroups string) (v2Mounts []string, v1 map[string]string, err error) {
	table, err := ParseProcCgroups(procCgroups)
	if err != nil {
		return nil, nil, err
	}
	known := make(map[string]bool, len(table))
	for _, s := range table {
		known[s.Name] = true
	}
	v1 = map[string]string{}
	for _, m := range visibleMounts(mounts) {
		switch m.FSType {
		case "cgroup2":
			v2Mounts = append(v2Mounts, m.MountPoint)
		case "cgroup":
			for _, c := range v1Controllers(m.SuperOptions, known) {
				// The same hierarchy can be mounted twice; the first mount is
				// as good as any.
				if _, dup := v1[c]; !dup {
					v1[c] = m.MountPoint
				}
			}
		}
	}
	return v2Mounts, v1, nil
}

// v1Controllers picks the controllers out of a v1 mount's super options
// ("rw,cpu,cpuacct" or "rw,xattr,name=systemd"). Without /proc/cgroups it
// keeps every option that is not a known flag.
func v1Controllers(superOptions string, known map[string]bool) []string {
	var cs []string
	for _, o := range strings.Split(superOptions, ",") {
		switch {
		case len(known) > 0 && !known[o]:
		case len(known) == 0 && (strings.Contains(o, "=") || v1Flags[o]):
		default:
			cs = append(cs, o)
		}
	}
	return cs
}

// v1Flags are the options of a cgroup v1 mount that are not controllers.
var v1Flags = map[string]bool{
	"rw": true, "ro": true, "all": true, "none": true, "noprefix": true, "xattr": true,
	"clone_children": true, "cpuset_v2_mode": true, "favordynmods": true, "nofavordynmods": true,
	"seclabel": true, // added by SELinux (CentOS, Fedora)
}

// preferredV2Mount picks the cgroup2 mount to use when there are several:
// /sys/fs/cgroup, then systemd's hybrid /sys/fs/cgroup/unified, then the
// first.
func preferredV2Mount(mounts []string) string {
	for _, want := range []string{DefaultMount, path.Join(DefaultMount, "unified")} {
		if slices.Contains(mounts, want) {
			return want
		}
	}
	return mounts[0]
}

// Subsys is one line of /proc/cgroups: a controller the kernel knows.
type Subsys struct {
	Name      string
	Hierarchy int // the v1 hierarchy it is bound to; 0 for cgroup v2 or none
	Enabled   bool
}

// ParseProcCgroups parses /proc/cgroups:
//
//	#subsys_name	hierarchy	num_cgroups	enabled
//	cpuset	3	1	1
func ParseProcCgroups(text string) ([]Subsys, error) {
	var out []Subsys
	for n, line := range lines(text) {
		f := strings.Fields(line)
		if strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) < 4 {
			return nil, fmt.Errorf("/proc/cgroups line %d: %q: want subsys_name hierarchy num_cgroups enabled", n, strings.TrimSpace(line))
		}
		h, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("/proc/cgroups line %d: hierarchy %q: %w", n, f[1], err)
		}
		out = append(out, Subsys{Name: f[0], Hierarchy: h, Enabled: f[3] == "1"})
	}
	return out, nil
}
