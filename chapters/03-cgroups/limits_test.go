package cgroups

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"33554432", 33554432},
		{"32M", 32 << 20},
		{"32m", 32 << 20},
		{"32MiB", 32 << 20},
		{"32MB", 32 << 20},
		{"32 MiB", 32 << 20},
		{"512k", 512 << 10},
		{"1.5G", 3 << 29},
		{"2t", 2 << 40},
		{"100B", 100},
		{"0", 0},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseSizeErrors(t *testing.T) {
	for in, want := range map[string]string{
		"12XB":      `size "12XB": unknown unit "XB": use B, K, M, G or T (powers of 1024), e.g. 32M or 32MiB`,
		"-5M":       `size "-5M": must not be negative`,
		"":          `size "": want a number and a unit, e.g. 32M`,
		"M":         `size "M": want a number and a unit, e.g. 32M`,
		"1.2.3M":    `size "1.2.3M": "1.2.3" is not a number`,
		"9999999TB": `size "9999999TB": too large`,
		"9e30":      `size "9e30": unknown unit "e30": use B, K, M, G or T (powers of 1024), e.g. 32M or 32MiB`,
	} {
		if _, err := ParseSize(in); err == nil || err.Error() != want {
			t.Errorf("ParseSize(%q): %v\nwant %s", in, err, want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 100: "100 B", 1024: "1 KiB", 32 << 20: "32 MiB", 3 << 29: "1.5 GiB", 1500000: "1.4 MiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseCPUs(t *testing.T) {
	if got, err := ParseCPUs("0.5"); err != nil || got != 0.5 {
		t.Errorf("ParseCPUs(0.5) = %g, %v", got, err)
	}
	for in, want := range map[string]string{
		"-1":   `CPUs "-1": must not be negative`,
		"half": `CPUs "half": want a number of CPUs, e.g. 0.5 for half of one`,
		"NaN":  `CPUs "NaN": want a number of CPUs, e.g. 0.5 for half of one`,
	} {
		if _, err := ParseCPUs(in); err == nil || err.Error() != want {
			t.Errorf("ParseCPUs(%q): %v, want %q", in, err, want)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := []Limits{
		{},
		{Memory: 32 << 20},
		{Memory: 32 << 20, Swap: NoLimit},
		{Memory: 32 << 20, Swap: 64 << 20},
		{Pids: 1, CPUs: 0.01, CPUWeight: 1},
		{CPUs: 64, CPUWeight: MaxCPUWeight},
	}
	for _, l := range ok {
		if err := l.Validate(); err != nil {
			t.Errorf("Validate(%+v): %v", l, err)
		}
	}
	bad := map[string]Limits{
		"memory limit -1: must not be negative (0 means no limit)":                                    {Memory: -1},
		"swap limit -2: must not be negative (0 means no swap, -1 no limit)":                          {Memory: 1 << 20, Swap: -2},
		"swap limit 1 GiB without a memory limit: swap is limited on top of memory; set Memory too":   {Swap: 1 << 30},
		"pids limit -5: must not be negative (0 means no limit)":                                      {Pids: -5},
		"CPU limit -0.5: must not be negative (0 means no limit)":                                     {CPUs: -0.5},
		"CPU limit 0.001: too small; the kernel's smallest quota is 1 ms per 100ms period, 0.01 CPUs": {CPUs: 0.001},
		"CPU weight 10001: must be from 1 to 10000 (0 means the default, 100)":                        {CPUWeight: 10001},
	}
	for want, l := range bad {
		if err := l.Validate(); err == nil || err.Error() != want {
			t.Errorf("Validate(%+v): %v\nwant %s", l, err, want)
		}
	}
}

// TestSettings shows the interface of each version, file by file.
func TestSettings(t *testing.T) {
	v2 := newV2Group("/sys/fs/cgroup", "x-1")
	v1 := newV1Group(map[string]string{
		"memory": "/sys/fs/cgroup/memory", "cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct", "pids": "/sys/fs/cgroup/pids",
	}, "x-1")
	all := Limits{Memory: 32 << 20, Pids: 64, CPUs: 0.5, CPUWeight: 200}
	tests := []struct {
		name string
		cg   Cgroup
		l    Limits
		want []string
	}{
		{"v2", v2, all, []string{
			"echo 33554432 > /sys/fs/cgroup/minibox/x-1/memory.max",
			"echo 0 > /sys/fs/cgroup/minibox/x-1/memory.swap.max",
			"echo 64 > /sys/fs/cgroup/minibox/x-1/pids.max",
			"echo 50000 100000 > /sys/fs/cgroup/minibox/x-1/cpu.max",
			"echo 200 > /sys/fs/cgroup/minibox/x-1/cpu.weight",
		}},
		{"v1", v1, all, []string{
			"echo 33554432 > /sys/fs/cgroup/memory/minibox/x-1/memory.limit_in_bytes",
			"echo 33554432 > /sys/fs/cgroup/memory/minibox/x-1/memory.memsw.limit_in_bytes",
			"echo 64 > /sys/fs/cgroup/pids/minibox/x-1/pids.max",
			"echo 100000 > /sys/fs/cgroup/cpu,cpuacct/minibox/x-1/cpu.cfs_period_us",
			"echo 50000 > /sys/fs/cgroup/cpu,cpuacct/minibox/x-1/cpu.cfs_quota_us",
			"echo 2048 > /sys/fs/cgroup/cpu,cpuacct/minibox/x-1/cpu.shares",
		}},
		{"v2 swap", v2, Limits{Memory: 32 << 20, Swap: 16 << 20}, []string{
			"echo 33554432 > /sys/fs/cgroup/minibox/x-1/memory.max",
			"echo 16777216 > /sys/fs/cgroup/minibox/x-1/memory.swap.max",
		}},
		{"v1 swap: memory plus swap", v1, Limits{Memory: 32 << 20, Swap: 16 << 20}, []string{
			"echo 33554432 > /sys/fs/cgroup/memory/minibox/x-1/memory.limit_in_bytes",
			"echo 50331648 > /sys/fs/cgroup/memory/minibox/x-1/memory.memsw.limit_in_bytes",
		}},
		{"v2 unlimited swap", v2, Limits{Memory: 32 << 20, Swap: NoLimit}, []string{
			"echo 33554432 > /sys/fs/cgroup/minibox/x-1/memory.max",
			"echo max > /sys/fs/cgroup/minibox/x-1/memory.swap.max",
		}},
		{"v1 unlimited swap", v1, Limits{Memory: 32 << 20, Swap: NoLimit}, []string{
			"echo 33554432 > /sys/fs/cgroup/memory/minibox/x-1/memory.limit_in_bytes",
			"echo -1 > /sys/fs/cgroup/memory/minibox/x-1/memory.memsw.limit_in_bytes",
		}},
		{"v2 one and a half CPUs, the least weight", v2, Limits{CPUs: 1.5, CPUWeight: 1}, []string{
			"echo 150000 100000 > /sys/fs/cgroup/minibox/x-1/cpu.max",
			"echo 1 > /sys/fs/cgroup/minibox/x-1/cpu.weight",
		}},
		{"v1 one and a half CPUs, the least weight: shares round down", v1, Limits{CPUs: 1.5, CPUWeight: 1}, []string{
			"echo 100000 > /sys/fs/cgroup/cpu,cpuacct/minibox/x-1/cpu.cfs_period_us",
			"echo 150000 > /sys/fs/cgroup/cpu,cpuacct/minibox/x-1/cpu.cfs_quota_us",
			"echo 10 > /sys/fs/cgroup/cpu,cpuacct/minibox/x-1/cpu.shares",
		}},
		{"v1 pids alone", v1, Limits{Pids: 10}, []string{"echo 10 > /sys/fs/cgroup/pids/minibox/x-1/pids.max"}},
		{"nothing set, nothing written", v2, Limits{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Settings(tt.cg, tt.l) {
				got = append(got, s.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Settings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStats reads each version's counters from fixture directories: the
// files of a group that ran a memory hog (32 MiB), a fork bomb (32 tasks)
// and a busy loop (half a CPU), one after the other, then a sleep; v1 from
// the hybrid CI machine, v2 from Debian's 6.1 kernel in the cgroup2 VM.
func TestStats(t *testing.T) {
	tests := []struct {
		name string
		cg   Cgroup
		want Stats
	}{
		{"v2", &v2Group{name: "x", dir: "testdata/v2-group"}, Stats{
			Memory: 4153344, MemoryPeak: 32 << 20, MemoryLimit: 32 << 20, Anon: 1028096, File: 0, MemoryLimitHits: 35, OOMKills: 1,
			CPUUsage: 2010863 * time.Microsecond, CPUThrottled: 3430494 * time.Microsecond, CPUPeriods: 40, CPUThrottledPeriods: 39, CPULimit: 0.5,
			Pids: 32, PidsLimit: 32, PidsLimitHits: 28,
		}},
		{"v1", &v1Group{name: "x", dirs: map[string]string{
			"memory": "testdata/v1-group/memory", "cpu": "testdata/v1-group/cpu", "cpuacct": "testdata/v1-group/cpuacct", "pids": "testdata/v1-group/pids",
		}}, Stats{
			Memory: 315392, MemoryPeak: 32 << 20, MemoryLimit: 32 << 20, Anon: 53248, File: 0, MemoryLimitHits: 119, OOMKills: 1,
			CPUUsage: 1101248633, CPUThrottled: 1803948001, CPUPeriods: 24, CPUThrottledPeriods: 21, CPULimit: 0.5,
			Pids: 4, PidsLimit: 32, PidsLimitHits: 61,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cg.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Stats mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostFor(t *testing.T) {
	tests := []struct {
		name    string
		l       Layout
		want    host
		wantErr string
	}{
		{"pure v2", Layout{Mode: V2, V2Mount: "/sys/fs/cgroup", V1: map[string]string{}, V2Controllers: []string{"cpuset", "cpu", "io", "memory", "pids"}},
			host{Version: V2, V2Mount: "/sys/fs/cgroup"}, ""},
		{"hybrid: v1 owns the controllers, v2 only hugetlb", Layout{Mode: Hybrid, V2Mount: "/sys/fs/cgroup/unified",
			V1:            map[string]string{"cpu": "/sys/fs/cgroup/cpu", "cpuacct": "/sys/fs/cgroup/cpuacct", "memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids", "blkio": "/sys/fs/cgroup/blkio", "devices": "/sys/fs/cgroup/devices"},
			V2Controllers: []string{"hugetlb"}},
			host{Version: V1, V1: map[string]string{"cpu": "/sys/fs/cgroup/cpu", "cpuacct": "/sys/fs/cgroup/cpuacct", "memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids", "devices": "/sys/fs/cgroup/devices"}}, ""},
		{"pure v1 without cpuacct", Layout{Mode: V1, V1: map[string]string{"cpu": "/c", "memory": "/m", "pids": "/p"}},
			host{Version: V1, V1: map[string]string{"cpu": "/c", "memory": "/m", "pids": "/p"}}, ""},
		{"split between versions", Layout{Mode: Hybrid, V2Mount: "/u", V1: map[string]string{"cpu": "/c", "memory": "/m"}, V2Controllers: []string{"pids"}},
			host{}, "cgroup v1 holds cpu memory and v2 holds pids: minibox drives one version at a time"},
		{"pids nowhere", Layout{Mode: V2, V2Mount: "/sys/fs/cgroup", V2Controllers: []string{"cpu", "memory"}},
			host{}, "no cgroup hierarchy holds pids (v2 layout): run `workshop doctor` for the fix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hostFor(tt.l)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("hostFor: %v, want an error starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("hostFor mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"hog", "a", "cpu.half", "x_1-2"} {
		if err := checkName(ok); err != nil {
			t.Errorf("checkName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Hog", "../x", "a/b", "-x", strings.Repeat("a", 64), "cgroup.procs x"} {
		if err := checkName(bad); err == nil {
			t.Errorf("checkName(%q): want an error", bad)
		}
	}
}
