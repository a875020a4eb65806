package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A cgroup is a directory, and everything about it is a file in it: write a
// limit into one, read a counter out of another. The files come in a few
// shapes, parsed here: a single number ("33554432", or "max" for none), a
// flat list of "key value" lines (memory.stat, cpu.stat, memory.events), and
// cpu.max's "quota period".

// Setting is one write into a cgroup file: a limit.
type Setting struct {
	File  string // the file's path: /sys/fs/cgroup/minibox/hog-42/memory.max
	Value string // what is written: "33554432"
	// Optional settings are skipped when the kernel lacks the file (swap
	// limits, on a kernel that does not account swap).
	Optional bool
}

// decimal writes n as cgroup files take numbers.
func decimal(n int64) string { return strconv.FormatInt(n, 10) }

func (s Setting) String() string { return fmt.Sprintf("echo %s > %s", s.Value, s.File) }

// write makes the setting, in one write(2). The kernel checks the value as
// it is written, so a wrong one fails here with EINVAL, not later. No
// O_CREAT: a cgroup file that is not there cannot be made, and asking to
// would turn "no such file" into "permission denied".
func (s Setting) write() error {
	f, err := os.OpenFile(s.File, os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(s.Value)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if s.Optional && errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("set %s to %s: %w", s.File, s.Value, err)
	}
	return nil
}

// lines yields the lines of a /proc or cgroup file that are not blank,
// without their newline, each with its number (from 1) for errors.
func lines(text string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		n := 0
		for line := range strings.Lines(text) {
			n++
			line = strings.TrimRight(line, "\n")
			if strings.TrimSpace(line) != "" && !yield(n, line) {
				return
			}
		}
	}
}

// fileReader reads a group's files and keeps the first error, so that a
// run of reads needs one check, at the end.
type fileReader struct {
	dir string
	err error
}

// number reads a single-number file (see parseNumber).
func (r *fileReader) number(file string) int64 {
	if r.err != nil {
		return 0
	}
	n, err := readNumber(r.dir, file)
	r.err = err
	return n
}

// optional reads a number from a file that older kernels lack: 0 then.
func (r *fileReader) optional(file string) int64 {
	if r.err != nil {
		return 0
	}
	n, err := readNumber(r.dir, file)
	if !errors.Is(err, fs.ErrNotExist) {
		r.err = err
	}
	return n
}

// flat reads a flat keyed file (see parseFlat). A missing file is an empty
// one: some exist only on newer kernels or when a controller is enabled.
func (r *fileReader) flat(file string) map[string]int64 {
	if r.err != nil {
		return map[string]int64{}
	}
	text, err := readText(r.dir, file)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.err = err
		}
		return map[string]int64{}
	}
	m, err := parseFlat(text)
	if err != nil {
		r.err = fmt.Errorf("%s: %w", filepath.Join(r.dir, file), err)
		return map[string]int64{}
	}
	return m
}

// text reads a whole file.
func (r *fileReader) text(file string) string {
	if r.err != nil {
		return ""
	}
	text, err := readText(r.dir, file)
	r.err = err
	return text
}

// readText reads a whole cgroup file.
func readText(dir, file string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, file))
	return string(b), err
}

// readNumber reads a file that holds one number: a counter, or a limit
// where "no limit" reads as 0.
func readNumber(dir, file string) (int64, error) {
	text, err := readText(dir, file)
	if err != nil {
		return 0, err
	}
	n, err := parseNumber(text)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", filepath.Join(dir, file), err)
	}
	return n, nil
}

// unlimitedV1 is about where cgroup v1 puts "no limit": the largest page
// count the kernel keeps, in bytes (9223372036854771712 with 4 KiB pages).
const unlimitedV1 = math.MaxInt64 / 2

// parseNumber parses a single-number file. "max" (v2), and "-1" or a huge
// value (v1), mean no limit: 0.
func parseNumber(text string) (int64, error) {
	s := strings.TrimSpace(text)
	if s == "max" || s == "-1" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a number or max, got %q", s)
	}
	if n >= unlimitedV1 {
		return 0, nil
	}
	return n, nil
}

// parseFlat parses a flat keyed file, "key value" per line, as memory.stat,
// cpu.stat, memory.events, pids.events and v1's memory.oom_control are.
func parseFlat(text string) (map[string]int64, error) {
	out := map[string]int64{}
	for n, line := range lines(text) {
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("line %d: %q: want a key and a value", n, strings.TrimSpace(line))
		}
		v, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("line %d: %s: %q is not a count", n, f[0], f[1])
		}
		out[f[0]] = v
	}
	return out, nil
}

// parseCPUMax parses v2's cpu.max, "$QUOTA $PERIOD" in microseconds:
// "50000 100000" is 50 ms of CPU time in every 100 ms, half a CPU. The
// quota is "max" for no limit, returned as quota -1.
func parseCPUMax(text string) (quota, period int64, err error) {
	f := strings.Fields(text)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("cpu.max: %q: want quota and period", strings.TrimSpace(text))
	}
	period, err = strconv.ParseInt(f[1], 10, 64)
	if err != nil || period <= 0 {
		return 0, 0, fmt.Errorf("cpu.max: period %q: want a positive number of microseconds", f[1])
	}
	if f[0] == "max" {
		return -1, period, nil
	}
	quota, err = strconv.ParseInt(f[0], 10, 64)
	if err != nil || quota <= 0 {
		return 0, 0, fmt.Errorf("cpu.max: quota %q: want max or a positive number of microseconds", f[0])
	}
	return quota, period, nil
}

// joinGroup moves the process pid, with all its threads, into the group
// named name: it writes the PID into the cgroup.procs of each of the
// group's directories (one under v2, one per hierarchy under v1). The
// process's children are born in the group from then on.
//
//workshop:exercise cg.join
func joinGroup(name string, dirs []string, pid int) error {
	for _, d := range dirs {
		s := Setting{File: d + "/cgroup.procs", Value: strconv.Itoa(pid)}
		if err := s.write(); err != nil {
			return fmt.Errorf("add PID %d to cgroup %s: %w", pid, name, err)
		}
	}
	return nil
}

// readProcs lists the PIDs in a cgroup's cgroup.procs.
func readProcs(dir string) ([]int, error) {
	text, err := readText(dir, "cgroup.procs")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range strings.Fields(text) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%s/cgroup.procs: %q is not a PID", dir, f)
		}
		pids = append(pids, pid)
	}
	return pids, nil
}

// ProcCgroup is one line of /proc/<pid>/cgroup: where a process sits in
// one hierarchy.
type ProcCgroup struct {
	Hierarchy   int      // the v1 hierarchy's ID; 0 for cgroup v2
	Controllers []string // the v1 hierarchy's controllers ("cpu", "cpuacct", "name=systemd"); none for v2
	Path        string   // the cgroup, relative to the hierarchy's root: "/minibox/hog-42"
}

// ParseProcCgroup parses /proc/<pid>/cgroup, "ID:controllers:path" per line:
//
//	4:memory:/minibox/hog-42
//	0::/minibox/hog-42
func ParseProcCgroup(text string) ([]ProcCgroup, error) {
	var out []ProcCgroup
	for n, line := range lines(text) {
		// The path may itself hold colons: split at the first two only.
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("/proc/<pid>/cgroup line %d: %q: want ID:controllers:path", n, line)
		}
		id, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, fmt.Errorf("/proc/<pid>/cgroup line %d: hierarchy ID %q: %w", n, f[0], err)
		}
		pc := ProcCgroup{Hierarchy: id, Path: f[2]}
		if f[1] != "" {
			pc.Controllers = strings.Split(f[1], ",")
		}
		out = append(out, pc)
	}
	return out, nil
}
