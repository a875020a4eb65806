package cgroups

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Controllers are the controllers minibox drives: each limits and counts
// one resource.
var Controllers = []string{"cpu", "memory", "pids"}

// Parent is the cgroup, at the top of each hierarchy, under which minibox
// makes its own: /sys/fs/cgroup/minibox/hog-4242 under v2.
const Parent = "minibox"

// Cgroup is one control group: a set of processes whose use of memory, CPU
// time and process IDs the kernel counts and limits together. The children
// of a process in a group are born in it, so a whole process tree is held
// by the group its first process was put in.
//
// Two drivers implement it: v1.go (one directory per controller's
// hierarchy) and v2.go (one directory in the unified hierarchy).
type Cgroup interface {
	// Name is the group's name under Parent: the name given to New and the
	// PID of the process that made it, "hog-4242".
	Name() string
	// Dirs are its directories: one under v2, one per hierarchy under v1.
	Dirs() []string
	// Set writes the limits l sets (Settings lists the files).
	Set(l Limits) error
	// Add moves a process, with all its threads, into the group.
	Add(pid int) error
	// Stats reads what the group's processes use and have used.
	Stats() (Stats, error)
	// Kill kills every process in the group, and returns once none is left.
	Kill() error
	// Remove kills what is left in the group and deletes it.
	Remove() error
}

// Stats are a group's counters, each read from one file (v2's, then v1's).
// A limit of 0 means none.
type Stats struct {
	Memory          int64 // bytes in use now (memory.current; memory.usage_in_bytes)
	MemoryPeak      int64 // the most ever in use (memory.peak; memory.max_usage_in_bytes); 0 when the kernel does not keep it
	MemoryLimit     int64 // the limit in force (memory.max; memory.limit_in_bytes)
	Anon            int64 // of Memory: the processes' own pages, heap and stacks (memory.stat anon; rss)
	File            int64 // of Memory: page cache, file data kept in memory (memory.stat file; cache)
	MemoryLimitHits int64 // times the group's usage hit its limit (memory.events max; memory.failcnt + memory.memsw.failcnt)
	OOMKills        int64 // processes the OOM killer killed in the group (memory.events oom_kill; memory.oom_control oom_kill)

	CPUUsage            time.Duration // CPU time used, all CPUs together (cpu.stat usage_usec; cpuacct.usage)
	CPUThrottled        time.Duration // time the group was runnable but held back by its quota (cpu.stat throttled_usec; cpu.stat throttled_time)
	CPUPeriods          int64         // quota periods in which the group ran (cpu.stat nr_periods)
	CPUThrottledPeriods int64         // of those, periods in which it ran out of quota (cpu.stat nr_throttled)
	CPULimit            float64       // the quota in force, in CPUs (cpu.max; cpu.cfs_quota_us / cpu.cfs_period_us)

	Pids          int64 // tasks (processes and threads) now (pids.current)
	PidsLimit     int64 // the limit in force (pids.max)
	PidsLimitHits int64 // forks and clones refused at the limit (pids.events max)
}

// group is what each driver implements beyond Cgroup.
type group interface {
	Cgroup
	create() error
}

// New makes a cgroup named name under Parent, on the version of cgroups
// that holds the memory, cpu and pids controllers on this machine: v2 on
// current distributions, v1 on older and hybrid ones.
func New(name string) (Cgroup, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	h, err := detectHost()
	if err != nil {
		return nil, err
	}
	g := h.group(fmt.Sprintf("%s-%d", name, os.Getpid()))
	if err := g.create(); err != nil {
		return nil, err
	}
	return g, nil
}

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,62}$`)

func checkName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("cgroup name %q: use 1 to 63 lowercase letters, digits, '.', '_' and '-', starting with a letter or digit", name)
	}
	return nil
}

// host is where this machine keeps the cgroups minibox makes.
type host struct {
	Version string            // V1 or V2: the driver
	V2Mount string            // for v2: the cgroup2 mount point
	V1      map[string]string // for v1: controller -> its hierarchy's mount point
}

// detectHost detects the layout and picks the driver for it.
func detectHost() (host, error) {
	l, err := Detect()
	if err != nil {
		return host{}, fmt.Errorf("find the cgroups: %w", err)
	}
	return hostFor(l)
}

// hostFor picks the version that owns every controller minibox needs. On a
// hybrid machine that is v1: its cgroup2 mount holds only what no v1
// hierarchy took (hugetlb, say), and a controller lives in one version only.
func hostFor(l Layout) (host, error) {
	owners := map[string][]string{}
	for _, c := range Controllers {
		owners[l.Owner(c)] = append(owners[l.Owner(c)], c)
	}
	switch {
	case len(owners[""]) > 0:
		return host{}, fmt.Errorf("no cgroup hierarchy holds %s (%s layout): run `workshop doctor` for the fix", strings.Join(owners[""], " "), l.Mode)
	case len(owners[V1]) > 0 && len(owners[V2]) > 0:
		return host{}, fmt.Errorf("cgroup v1 holds %s and v2 holds %s: minibox drives one version at a time; boot with systemd.unified_cgroup_hierarchy=1 for pure v2",
			strings.Join(owners[V1], " "), strings.Join(owners[V2], " "))
	case len(owners[V2]) > 0:
		return host{Version: V2, V2Mount: l.V2Mount}, nil
	}
	h := host{Version: V1, V1: map[string]string{}}
	// Beside the controllers of the limits: cpuacct for the CPU counters,
	// freezer to freeze a group (freeze.go), devices for chapter 6's device
	// rules (v2 has no devices controller: a BPF program attached to the
	// group does that job).
	for _, c := range append(slices.Clone(Controllers), "cpuacct", "freezer", "devices") {
		if m, ok := l.V1[c]; ok {
			h.V1[c] = m
		}
	}
	return h, nil
}

// Driver returns the version of cgroups that minibox drives on a machine
// with this layout, V1 or V2, or why it can drive neither.
func (l Layout) Driver() (string, error) {
	h, err := hostFor(l)
	return h.Version, err
}

// group returns the group named name on this host, without creating it.
func (h host) group(name string) group {
	if h.Version == V2 {
		return newV2Group(h.V2Mount, name)
	}
	return newV1Group(h.V1, name)
}

// parents returns the Parent directories, one per hierarchy in use.
func (h host) parents() []string {
	if h.Version == V2 {
		return []string{parentDir(h.V2Mount)}
	}
	var dirs []string
	for _, m := range h.V1 {
		if d := parentDir(m); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	return dirs
}

func parentDir(mount string) string { return mount + "/" + Parent }

// mkdirGroup makes a group's directory, and Parent above it if need be.
// Another minibox may remove an empty Parent between the two mkdirs: then
// try again.
func mkdirGroup(dir string, prepareParent func(parent string) error) error {
	parent := dir[:strings.LastIndex(dir, "/")]
	for attempt := 1; ; attempt++ {
		if err := os.Mkdir(parent, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("create cgroup %s: %w", parent, err)
		}
		err := prepareParent(parent)
		if err == nil {
			err = os.Mkdir(dir, 0o755)
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("create cgroup %s: it exists already: is the name in use? (Sweep removes what a killed run left)", dir)
			} else if err != nil {
				err = fmt.Errorf("create cgroup %s: %w", dir, err)
			}
		}
		if errors.Is(err, os.ErrNotExist) && attempt < 3 {
			continue
		}
		return err
	}
}

// rmdirGroup removes a group's directory, and Parent above it if that is
// now empty. A killed process leaves its group a moment after it is gone
// from cgroup.procs: the kernel answers EBUSY until then.
func rmdirGroup(dir string) error {
	var err error
	for wait := time.Millisecond; ; wait *= 2 {
		err = os.Remove(dir)
		if err == nil || errors.Is(err, os.ErrNotExist) {
			break
		}
		if wait > time.Second {
			return fmt.Errorf("remove cgroup %s: %w", dir, err)
		}
		time.Sleep(wait)
	}
	// Fails while other groups are in it (EBUSY), which is fine.
	os.Remove(dir[:strings.LastIndex(dir, "/")])
	return nil
}
