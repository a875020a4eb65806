package cgroups

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The fixtures under testdata are /proc/self/mountinfo and /proc/cgroups of:
//   - ubuntu2404-v2: the workshop VM, pure cgroup v2 with systemd;
//   - devmachine-hybrid: the CI and development machines (Debian 12, no
//     systemd): v1 hierarchies own memory, cpu and pids, a cgroup2 mount at
//     /sys/fs/cgroup/unified holds only hugetlb;
//   - centos7-v1: CentOS 7, pure v1 with co-mounted cpu,cpuacct and
//     net_cls,net_prio and SELinux's seclabel option.
var (
	ubuntuControllers = map[string]string{
		"/sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n",
	}
	hybridControllers = map[string]string{
		"/sys/fs/cgroup/unified/cgroup.controllers": "hugetlb\n",
	}
)

// controllersAt adapts a map of file contents to DetectLayout's reader.
func controllersAt(files map[string]string) func(string) (string, error) {
	return func(mountpoint string) (string, error) {
		name := mountpoint + "/cgroup.controllers"
		if text, ok := files[name]; ok {
			return text, nil
		}
		return "", &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func TestDetectLayout(t *testing.T) {
	tests := []struct {
		name        string
		mountinfo   string // fixture file, or text when it holds a newline
		procCgroups string // fixture file, or text
		files       map[string]string
		want        Layout
	}{
		{
			name:      "ubuntu 24.04, pure v2",
			mountinfo: "ubuntu2404-v2/mountinfo", procCgroups: "ubuntu2404-v2/cgroups", files: ubuntuControllers,
			want: Layout{
				Mode:          V2,
				V2Mount:       "/sys/fs/cgroup",
				V1:            map[string]string{},
				V2Controllers: []string{"cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"},
			},
		},
		{
			name:      "development machine, hybrid",
			mountinfo: "devmachine-hybrid/mountinfo", procCgroups: "devmachine-hybrid/cgroups", files: hybridControllers,
			want: Layout{
				Mode:    Hybrid,
				V2Mount: "/sys/fs/cgroup/unified",
				V1: map[string]string{
					"cpu":     "/sys/fs/cgroup/cpu",
					"cpuacct": "/sys/fs/cgroup/cpuacct",
					"cpuset":  "/sys/fs/cgroup/cpuset",
					"memory":  "/sys/fs/cgroup/memory",
					"devices": "/sys/fs/cgroup/devices",
					"freezer": "/sys/fs/cgroup/freezer",
					"blkio":   "/sys/fs/cgroup/blkio",
					"pids":    "/sys/fs/cgroup/pids",
				},
				V2Controllers: []string{"hugetlb"},
			},
		},
		{
			name:      "centos 7, pure v1",
			mountinfo: "centos7-v1/mountinfo", procCgroups: "centos7-v1/cgroups",
			want: Layout{
				Mode: V1,
				V1: map[string]string{
					"net_cls":    "/sys/fs/cgroup/net_cls,net_prio",
					"net_prio":   "/sys/fs/cgroup/net_cls,net_prio",
					"cpu":        "/sys/fs/cgroup/cpu,cpuacct",
					"cpuacct":    "/sys/fs/cgroup/cpu,cpuacct",
					"memory":     "/sys/fs/cgroup/memory",
					"blkio":      "/sys/fs/cgroup/blkio",
					"cpuset":     "/sys/fs/cgroup/cpuset",
					"devices":    "/sys/fs/cgroup/devices",
					"freezer":    "/sys/fs/cgroup/freezer",
					"hugetlb":    "/sys/fs/cgroup/hugetlb",
					"perf_event": "/sys/fs/cgroup/perf_event",
					"pids":       "/sys/fs/cgroup/pids",
				},
			},
		},
		{
			// Without /proc/cgroups, the v1 options that are flags
			// (seclabel, xattr, name=systemd, release_agent=...) must still
			// not pass for controllers.
			name:      "centos 7 without /proc/cgroups",
			mountinfo: "centos7-v1/mountinfo", procCgroups: "",
			want: Layout{
				Mode: V1,
				V1: map[string]string{
					"net_cls": "/sys/fs/cgroup/net_cls,net_prio", "net_prio": "/sys/fs/cgroup/net_cls,net_prio",
					"cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
					"memory": "/sys/fs/cgroup/memory", "blkio": "/sys/fs/cgroup/blkio", "cpuset": "/sys/fs/cgroup/cpuset",
					"devices": "/sys/fs/cgroup/devices", "freezer": "/sys/fs/cgroup/freezer", "hugetlb": "/sys/fs/cgroup/hugetlb",
					"perf_event": "/sys/fs/cgroup/perf_event", "pids": "/sys/fs/cgroup/pids",
				},
			},
		},
		{
			// A container's view: the cgroup2 mount is its own cgroup
			// (root is not "/"), mounted read-only, at a path of its own.
			name: "cgroup2 elsewhere, no v1: still v2",
			mountinfo: "1 0 0:1 / / rw - overlay overlay rw\n" +
				"2 1 0:2 /../../docker/abc /run/cg ro,nosuid - cgroup2 cgroup rw\n",
			procCgroups: "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t0\t1\t1\n",
			files:       map[string]string{"/run/cg/cgroup.controllers": "memory pids\n"},
			want:        Layout{Mode: V2, V2Mount: "/run/cg", V1: map[string]string{}, V2Controllers: []string{"memory", "pids"}},
		},
		{
			name: "several cgroup2 mounts: /sys/fs/cgroup wins",
			mountinfo: "1 0 0:1 / / rw - ext4 /dev/vda rw\n" +
				"2 1 0:2 / /mnt/cg rw - cgroup2 cgroup2 rw\n" +
				"3 1 0:3 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			files: map[string]string{"/sys/fs/cgroup/cgroup.controllers": "cpu memory pids\n"},
			want:  Layout{Mode: V2, V2Mount: "/sys/fs/cgroup", V1: map[string]string{}, V2Controllers: []string{"cpu", "memory", "pids"}},
		},
		{
			name: "empty cgroup.controllers",
			mountinfo: "1 0 0:1 / / rw - ext4 /dev/vda rw\n" +
				"3 1 0:3 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			files: map[string]string{"/sys/fs/cgroup/cgroup.controllers": "\n"},
			want:  Layout{Mode: V2, V2Mount: "/sys/fs/cgroup", V1: map[string]string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectLayout(fixtureOrText(t, tt.mountinfo), fixtureOrText(t, tt.procCgroups), controllersAt(tt.files))
			if err != nil {
				t.Fatalf("DetectLayout: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DetectLayout mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// fixtureOrText returns s itself when it is text (holds a newline) or is
// empty, else the fixture file it names.
func fixtureOrText(t *testing.T, s string) string {
	t.Helper()
	if s == "" || strings.Contains(s, "\n") {
		return s
	}
	return fixture(t, s)
}

func TestDetectLayoutErrors(t *testing.T) {
	procHeader := "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
	tests := []struct {
		name        string
		mountinfo   string
		procCgroups string
		files       map[string]string
		wantIs      error  // checked with errors.Is when set
		wantErr     string // else a part of the message
	}{
		{
			name:      "nothing mounted",
			mountinfo: "26 1 254:0 / / rw - ext4 /dev/vda rw\n22 26 0:21 / /sys rw - sysfs sysfs rw\n",
			wantIs:    ErrNoCgroups,
		},
		{
			name:      "a bare tmpfs at /sys/fs/cgroup",
			mountinfo: "26 1 254:0 / / rw - ext4 /dev/vda rw\n30 26 0:27 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n",
			wantIs:    ErrNoCgroups,
		},
		{
			name: "the hierarchies are covered by a tmpfs mounted over /sys/fs/cgroup",
			mountinfo: "26 1 254:0 / / rw - ext4 /dev/vda rw\n" +
				"30 26 0:27 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n" +
				"34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" +
				"50 30 0:40 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n",
			procCgroups: procHeader + "memory\t4\t1\t1\n",
			wantIs:      ErrNoCgroups,
		},
		{
			name:      "cgroup.controllers unreadable",
			mountinfo: "26 1 254:0 / / rw - ext4 /dev/vda rw\n40 26 0:37 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			wantIs:    fs.ErrNotExist,
		},
		{
			name:      "bad mountinfo",
			mountinfo: "26 1 254:0 / / rw ext4 /dev/vda rw\n",
			wantErr:   "mountinfo line 1",
		},
		{
			name:        "bad /proc/cgroups: too few fields",
			mountinfo:   "40 26 0:37 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			procCgroups: procHeader + "memory\t0\n",
			wantErr:     "/proc/cgroups line 2",
		},
		{
			name:        "bad /proc/cgroups: hierarchy not a number",
			mountinfo:   "40 26 0:37 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			procCgroups: procHeader + "memory\tx\t1\t1\n",
			wantErr:     `hierarchy "x"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DetectLayout(tt.mountinfo, tt.procCgroups, controllersAt(tt.files))
			switch {
			case err == nil:
				t.Fatal("DetectLayout: got no error")
			case tt.wantIs != nil && !errors.Is(err, tt.wantIs):
				t.Errorf("DetectLayout: got error %v, want one that is %v", err, tt.wantIs)
			case tt.wantIs == nil && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("DetectLayout: got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestLayoutOwner(t *testing.T) {
	l := Layout{Mode: Hybrid, V1: map[string]string{"memory": "/sys/fs/cgroup/memory"}, V2Controllers: []string{"hugetlb"}}
	for _, tt := range []struct{ controller, want string }{
		{"memory", V1},
		{"hugetlb", V2},
		{"pids", ""},
	} {
		t.Run(tt.controller, func(t *testing.T) {
			if got := l.Owner(tt.controller); got != tt.want {
				t.Errorf("Owner(%q) = %q, want %q", tt.controller, got, tt.want)
			}
		})
	}
}
