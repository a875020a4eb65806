package cgroups

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		text    string
		want    int64
		wantErr bool
	}{
		{"33554432\n", 33554432, false},
		{"0\n", 0, false},
		{"max\n", 0, false},                 // v2: no limit
		{"-1\n", 0, false},                  // v1 cfs_quota_us: no limit
		{"9223372036854771712\n", 0, false}, // v1 limit_in_bytes: no limit
		{"12 34\n", 0, true},
		{"", 0, true},
		{"-5\n", 0, true},
	}
	for _, tt := range tests {
		got, err := parseNumber(tt.text)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseNumber(%q) = %d, %v; want %d, error %v", tt.text, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseFlat(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]int64
	}{
		{"v2 memory.events", fixture(t, "v2-group/memory.events"),
			map[string]int64{"low": 0, "high": 0, "max": 35, "oom": 1, "oom_kill": 1, "oom_group_kill": 0}},
		{"v2 cpu.stat", fixture(t, "v2-group/cpu.stat"), map[string]int64{"usage_usec": 2010863, "user_usec": 566747, "system_usec": 1444115,
			"nr_periods": 40, "nr_throttled": 39, "throttled_usec": 3430494, "nr_bursts": 0, "burst_usec": 0}},
		{"v1 memory.oom_control", fixture(t, "v1-group/memory/memory.oom_control"),
			map[string]int64{"oom_kill_disable": 0, "under_oom": 0, "oom_kill": 1}},
		{"pids.events", fixture(t, "v2-group/pids.events"), map[string]int64{"max": 28}},
		{"empty", "", map[string]int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlat(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseFlat mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFlatMemoryStat(t *testing.T) {
	for _, name := range []string{"v1-group/memory/memory.stat", "v2-group/memory.stat"} {
		text := fixture(t, name)
		got, err := parseFlat(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := strings.Count(text, "\n"); len(got) != want {
			t.Errorf("%s: %d keys, want one per line: %d", name, len(got), want)
		}
	}
}

func TestParseFlatErrors(t *testing.T) {
	for text, want := range map[string]string{
		"max\n":            `line 1: "max": want a key and a value`,
		"anon 1\nfile x\n": `line 2: file: "x" is not a count`,
		"anon 1 2\n":       `line 1: "anon 1 2": want a key and a value`,
		"oom_kill -1\n":    `line 1: oom_kill: "-1" is not a count`,
	} {
		if _, err := parseFlat(text); err == nil || err.Error() != want {
			t.Errorf("parseFlat(%q): %v, want %q", text, err, want)
		}
	}
}

func TestParseCPUMax(t *testing.T) {
	tests := []struct {
		text          string
		quota, period int64
		wantErr       string
	}{
		{"50000 100000\n", 50000, 100000, ""},
		{"max 100000\n", -1, 100000, ""},
		{"150000 100000", 150000, 100000, ""},
		{"max\n", 0, 0, `cpu.max: "max": want quota and period`},
		{"50000 0\n", 0, 0, `cpu.max: period "0"`},
		{"-1 100000\n", 0, 0, `cpu.max: quota "-1"`},
		{"half 100000\n", 0, 0, `cpu.max: quota "half"`},
	}
	for _, tt := range tests {
		quota, period, err := parseCPUMax(tt.text)
		if tt.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("parseCPUMax(%q): %v, want an error starting %q", tt.text, err, tt.wantErr)
			}
			continue
		}
		if err != nil || quota != tt.quota || period != tt.period {
			t.Errorf("parseCPUMax(%q) = %d, %d, %v; want %d, %d", tt.text, quota, period, err, tt.quota, tt.period)
		}
	}
}

func TestParseProcCgroup(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []ProcCgroup
	}{
		{
			name: "v2",
			text: "0::/minibox/hog-4242\n",
			want: []ProcCgroup{{Hierarchy: 0, Path: "/minibox/hog-4242"}},
		},
		{
			name: "hybrid, this machine's layout",
			text: "9:name=systemd:/\n8:pids:/minibox/hog-4242\n4:memory:/minibox/hog-4242\n2:cpuacct:/minibox/hog-4242\n1:cpu:/minibox/hog-4242\n0::/\n",
			want: []ProcCgroup{
				{Hierarchy: 9, Controllers: []string{"name=systemd"}, Path: "/"},
				{Hierarchy: 8, Controllers: []string{"pids"}, Path: "/minibox/hog-4242"},
				{Hierarchy: 4, Controllers: []string{"memory"}, Path: "/minibox/hog-4242"},
				{Hierarchy: 2, Controllers: []string{"cpuacct"}, Path: "/minibox/hog-4242"},
				{Hierarchy: 1, Controllers: []string{"cpu"}, Path: "/minibox/hog-4242"},
				{Hierarchy: 0, Path: "/"},
			},
		},
		{
			name: "co-mounted v1 controllers, a colon in the path",
			text: "4:cpu,cpuacct:/a:b\n",
			want: []ProcCgroup{{Hierarchy: 4, Controllers: []string{"cpu", "cpuacct"}, Path: "/a:b"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProcCgroup(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseProcCgroup mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"0:/\n", "x::/\n"} {
		if _, err := ParseProcCgroup(bad); err == nil {
			t.Errorf("ParseProcCgroup(%q): want an error", bad)
		}
	}
}

// TestOptionalSettingOfAMissingFile: a swap limit on a kernel without swap
// accounting is skipped; any other missing file is an error.
func TestOptionalSettingOfAMissingFile(t *testing.T) {
	dir := t.TempDir()
	if err := (Setting{File: dir + "/memory.swap.max", Value: "0", Optional: true}).write(); err != nil {
		t.Errorf("optional setting of a missing file: %v", err)
	}
	if err := (Setting{File: dir + "/memory.max", Value: "1"}).write(); err == nil {
		t.Errorf("setting of a missing file: no error")
	}
	if _, err := os.Stat(dir + "/memory.max"); !os.IsNotExist(err) {
		t.Errorf("write created the file: %v", err)
	}
}
