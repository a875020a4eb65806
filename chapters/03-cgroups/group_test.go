package cgroups

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestGroupDirs works out, from each fixture machine's mountinfo, where a
// group named web-42 lives, and where Parent is: one directory under v2,
// one per hierarchy under v1, a co-mounted cpu,cpuacct counted once.
func TestGroupDirs(t *testing.T) {
	tests := []struct {
		name        string
		fixture     string
		files       map[string]string
		wantVersion string
		wantDirs    []string
		wantParents []string
	}{
		{
			name: "ubuntu 24.04, pure v2", fixture: "ubuntu2404-v2", files: ubuntuControllers,
			wantVersion: V2,
			wantDirs:    []string{"/sys/fs/cgroup/minibox/web-42"},
			wantParents: []string{"/sys/fs/cgroup/minibox"},
		},
		{
			name: "development machine, hybrid: v1's hierarchies", fixture: "devmachine-hybrid", files: hybridControllers,
			wantVersion: V1,
			wantDirs: []string{
				"/sys/fs/cgroup/cpu/minibox/web-42",
				"/sys/fs/cgroup/cpuacct/minibox/web-42",
				"/sys/fs/cgroup/devices/minibox/web-42",
				"/sys/fs/cgroup/freezer/minibox/web-42",
				"/sys/fs/cgroup/memory/minibox/web-42",
				"/sys/fs/cgroup/pids/minibox/web-42",
			},
			wantParents: []string{
				"/sys/fs/cgroup/cpu/minibox",
				"/sys/fs/cgroup/cpuacct/minibox",
				"/sys/fs/cgroup/devices/minibox",
				"/sys/fs/cgroup/freezer/minibox",
				"/sys/fs/cgroup/memory/minibox",
				"/sys/fs/cgroup/pids/minibox",
			},
		},
		{
			name: "centos 7, pure v1, cpu and cpuacct co-mounted", fixture: "centos7-v1",
			wantVersion: V1,
			wantDirs: []string{
				"/sys/fs/cgroup/cpu,cpuacct/minibox/web-42",
				"/sys/fs/cgroup/devices/minibox/web-42",
				"/sys/fs/cgroup/freezer/minibox/web-42",
				"/sys/fs/cgroup/memory/minibox/web-42",
				"/sys/fs/cgroup/pids/minibox/web-42",
			},
			wantParents: []string{
				"/sys/fs/cgroup/cpu,cpuacct/minibox",
				"/sys/fs/cgroup/devices/minibox",
				"/sys/fs/cgroup/freezer/minibox",
				"/sys/fs/cgroup/memory/minibox",
				"/sys/fs/cgroup/pids/minibox",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := DetectLayout(fixture(t, tt.fixture+"/mountinfo"), fixture(t, tt.fixture+"/cgroups"), controllersAt(tt.files))
			if err != nil {
				t.Fatal(err)
			}
			h, err := hostFor(l)
			if err != nil {
				t.Fatal(err)
			}
			if h.Version != tt.wantVersion {
				t.Errorf("driver %s, want %s", h.Version, tt.wantVersion)
			}
			g := h.group("web-42")
			if g.Name() != "web-42" {
				t.Errorf("Name() = %q, want web-42", g.Name())
			}
			if diff := cmp.Diff(tt.wantDirs, g.Dirs()); diff != "" {
				t.Errorf("Dirs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantParents, h.parents()); diff != "" {
				t.Errorf("parents (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadProcs reads cgroup.procs, one PID a line, from a fixture
// directory.
func TestReadProcs(t *testing.T) {
	tests := []struct {
		name, text string
		want       []int
		wantErr    string
	}{
		{name: "three processes", text: "1\n42\n4242\n", want: []int{1, 42, 4242}},
		{name: "an empty group", text: "", want: nil},
		{name: "not a PID", text: "1\nx\n", wantErr: `cgroup.procs: "x" is not a PID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"cgroup.procs": tt.text})
			got, err := readProcs(dir)
			if tt.wantErr != "" {
				if want := dir + "/" + tt.wantErr; err == nil || err.Error() != want {
					t.Errorf("readProcs: %v, want %s", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("readProcs (-want +got):\n%s", diff)
			}
		})
	}
	// A group that is gone: killAll counts it as empty.
	if _, err := readProcs(filepath.Join(t.TempDir(), "gone")); !isGone(err) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("readProcs of a missing group: %v, want a not-exist error", err)
	}
}

// TestStatsWithoutLimits reads the counters of groups with no limit set:
// "max" (v2), -1 and the huge page count (v1) all read as 0, no limit,
// and the files older kernels lack (memory.peak, memory.memsw.failcnt,
// oom_kill, cpuacct) read as 0 too.
func TestStatsWithoutLimits(t *testing.T) {
	v2 := t.TempDir()
	writeFiles(t, v2, map[string]string{
		"memory.current": "4096\n",
		"memory.max":     "max\n",
		"memory.stat":    "anon 1024\nfile 2048\n",
		"memory.events":  "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
		"cpu.stat":       "usage_usec 1500\n", // the cpu controller is not enabled: usage only
		"cpu.max":        "max 100000\n",
		"pids.current":   "1\n",
		"pids.max":       "max\n",
		"pids.events":    "max 0\n",
	})
	v1 := t.TempDir()
	for file, text := range map[string]string{
		"memory/memory.usage_in_bytes":     "8192\n",
		"memory/memory.max_usage_in_bytes": "16384\n",
		"memory/memory.limit_in_bytes":     "9223372036854771712\n",
		"memory/memory.stat":               "cache 4096\nrss 4096\n",
		"memory/memory.failcnt":            "0\n",
		"memory/memory.oom_control":        "oom_kill_disable 0\nunder_oom 0\n",
		"cpu/cpu.stat":                     "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n",
		"cpu/cpu.cfs_quota_us":             "-1\n",
		"cpu/cpu.cfs_period_us":            "100000\n",
		"pids/pids.current":                "2\n",
		"pids/pids.max":                    "max\n",
		"pids/pids.events":                 "max 0\n",
	} {
		writeFiles(t, filepath.Join(v1, filepath.Dir(file)), map[string]string{filepath.Base(file): text})
	}
	tests := []struct {
		name string
		cg   Cgroup
		want Stats
	}{
		{"v2", &v2Group{name: "x", dir: v2}, Stats{Memory: 4096, Anon: 1024, File: 2048, CPUUsage: 1500 * time.Microsecond, Pids: 1}},
		{"v1 without cpuacct", &v1Group{name: "x", dirs: map[string]string{
			"memory": filepath.Join(v1, "memory"), "cpu": filepath.Join(v1, "cpu"), "pids": filepath.Join(v1, "pids"),
		}}, Stats{Memory: 8192, MemoryPeak: 16384, Anon: 4096, File: 4096, Pids: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cg.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Stats (-want +got):\n%s", diff)
			}
		})
	}
}

// writeFiles writes each file's text into dir, making dir if need be.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
