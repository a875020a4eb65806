package doctor

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
		"/sys/fs/cgroup/cgroup.controllers":     "cpuset cpu io memory hugetlb pids rdma misc\n",
		"/sys/fs/cgroup/cgroup.subtree_control": "cpuset cpu io memory hugetlb pids rdma misc\n",
	}
	hybridControllers = map[string]string{
		"/sys/fs/cgroup/unified/cgroup.controllers":     "hugetlb\n",
		"/sys/fs/cgroup/unified/cgroup.subtree_control": "\n",
	}
)

// controllersAt adapts a map of file contents to DetectCgroups' reader.
func controllersAt(files map[string]string) func(string) (string, error) {
	read := fakeFiles(files)
	return func(mountpoint string) (string, error) { return read(mountpoint + "/cgroup.controllers") }
}

func TestDetectCgroups(t *testing.T) {
	tests := []struct {
		name        string
		mountinfo   string // fixture file, or text when it holds a newline
		procCgroups string // fixture file, or text
		files       map[string]string
		want        CgroupLayout
	}{
		{
			name:      "ubuntu 24.04, pure v2",
			mountinfo: "ubuntu2404-v2/mountinfo", procCgroups: "ubuntu2404-v2/cgroups", files: ubuntuControllers,
			want: CgroupLayout{
				Mode:          CgroupV2,
				V2Mount:       "/sys/fs/cgroup",
				V1:            map[string]string{},
				V2Controllers: []string{"cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"},
			},
		},
		{
			name:      "development machine, hybrid",
			mountinfo: "devmachine-hybrid/mountinfo", procCgroups: "devmachine-hybrid/cgroups", files: hybridControllers,
			want: CgroupLayout{
				Mode:    CgroupHybrid,
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
			want: CgroupLayout{
				Mode: CgroupV1,
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
			want: CgroupLayout{
				Mode: CgroupV1,
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
			want:        CgroupLayout{Mode: CgroupV2, V2Mount: "/run/cg", V1: map[string]string{}, V2Controllers: []string{"memory", "pids"}},
		},
		{
			name: "several cgroup2 mounts: /sys/fs/cgroup wins",
			mountinfo: "1 0 0:1 / / rw - ext4 /dev/vda rw\n" +
				"2 1 0:2 / /mnt/cg rw - cgroup2 cgroup2 rw\n" +
				"3 1 0:3 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			files: map[string]string{"/sys/fs/cgroup/cgroup.controllers": "cpu memory pids\n"},
			want:  CgroupLayout{Mode: CgroupV2, V2Mount: "/sys/fs/cgroup", V1: map[string]string{}, V2Controllers: []string{"cpu", "memory", "pids"}},
		},
		{
			name: "empty cgroup.controllers",
			mountinfo: "1 0 0:1 / / rw - ext4 /dev/vda rw\n" +
				"3 1 0:3 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			files: map[string]string{"/sys/fs/cgroup/cgroup.controllers": "\n"},
			want:  CgroupLayout{Mode: CgroupV2, V2Mount: "/sys/fs/cgroup", V1: map[string]string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectCgroups(fixtureOrText(t, tt.mountinfo), fixtureOrText(t, tt.procCgroups), controllersAt(tt.files))
			if err != nil {
				t.Fatalf("DetectCgroups: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DetectCgroups mismatch (-want +got):\n%s", diff)
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
	return readFixture(t, s)
}

func TestDetectCgroupsErrors(t *testing.T) {
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
			_, err := DetectCgroups(tt.mountinfo, tt.procCgroups, controllersAt(tt.files))
			switch {
			case err == nil:
				t.Fatal("DetectCgroups: got no error")
			case tt.wantIs != nil && !errors.Is(err, tt.wantIs):
				t.Errorf("DetectCgroups: got error %v, want one that is %v", err, tt.wantIs)
			case tt.wantIs == nil && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("DetectCgroups: got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestCgroupLayoutOwner(t *testing.T) {
	l := CgroupLayout{Mode: CgroupHybrid, V1: map[string]string{"memory": "/sys/fs/cgroup/memory"}, V2Controllers: []string{"hugetlb"}}
	for _, tt := range []struct{ controller, want string }{
		{"memory", CgroupV1},
		{"hugetlb", CgroupV2},
		{"pids", ""},
	} {
		t.Run(tt.controller, func(t *testing.T) {
			if got := l.Owner(tt.controller); got != tt.want {
				t.Errorf("Owner(%q) = %q, want %q", tt.controller, got, tt.want)
			}
		})
	}
}

func TestCgroupsCheck(t *testing.T) {
	ubuntu := func(controllers, subtree string) map[string]string {
		return map[string]string{
			"/sys/fs/cgroup/cgroup.controllers":     controllers,
			"/sys/fs/cgroup/cgroup.subtree_control": subtree,
		}
	}
	// edit returns a fixture with the lines containing drop removed.
	edit := func(t *testing.T, name, drop string) string {
		t.Helper()
		var kept []string
		for line := range strings.Lines(readFixture(t, name)) {
			if !strings.Contains(line, drop) {
				kept = append(kept, line)
			}
		}
		return strings.Join(kept, "")
	}
	ubuntuMounts := readFixture(t, "ubuntu2404-v2/mountinfo")
	ubuntuCgroups := readFixture(t, "ubuntu2404-v2/cgroups")
	tests := []struct {
		name        string
		mountinfo   string
		procCgroups string
		files       map[string]string
		want        Check
	}{
		{
			name:      "ubuntu 24.04",
			mountinfo: ubuntuMounts, procCgroups: ubuntuCgroups, files: ubuntuControllers,
			want: Check{Name: "cgroups", Status: OK,
				Detail: "cgroup v2 (unified) at /sys/fs/cgroup: cpuset cpu io memory hugetlb pids rdma misc"},
		},
		{
			name:      "hybrid",
			mountinfo: readFixture(t, "devmachine-hybrid/mountinfo"), procCgroups: readFixture(t, "devmachine-hybrid/cgroups"), files: hybridControllers,
			want: Check{Name: "cgroups", Status: OK,
				Detail: "hybrid: v1 owns cpu memory pids; cgroup2 at /sys/fs/cgroup/unified holds hugetlb"},
		},
		{
			name:      "centos 7",
			mountinfo: readFixture(t, "centos7-v1/mountinfo"), procCgroups: readFixture(t, "centos7-v1/cgroups"),
			want: Check{Name: "cgroups", Status: OK,
				Detail: "v1 (no cgroup2 mount): v1 owns cpu memory pids"},
		},
		{
			name:      "v2 without systemd: controllers not enabled for children",
			mountinfo: ubuntuMounts, procCgroups: ubuntuCgroups,
			files: ubuntu("cpuset cpu io memory hugetlb pids rdma misc\n", "cpu\n"),
			want: Check{Name: "cgroups", Status: Warn,
				Detail: "cgroup v2 (unified) at /sys/fs/cgroup: cpuset cpu io memory hugetlb pids rdma misc; not enabled for child cgroups in /sys/fs/cgroup/cgroup.subtree_control: +memory +pids",
				Fix:    "echo +memory +pids | sudo tee /sys/fs/cgroup/cgroup.subtree_control"},
		},
		{
			name:        "v2, memory turned off on the kernel command line",
			mountinfo:   ubuntuMounts,
			procCgroups: strings.Replace(ubuntuCgroups, "memory\t0\t98\t1", "memory\t0\t98\t0", 1),
			files:       ubuntu("cpuset cpu io hugetlb pids rdma misc\n", "cpuset cpu io hugetlb pids rdma misc\n"),
			want: Check{Name: "cgroups", Status: Fail,
				Detail: "cgroup v2 (unified) at /sys/fs/cgroup: cpuset cpu io hugetlb pids rdma misc; missing: memory",
				Fix:    "memory: the kernel command line turns it off (cat /proc/cmdline): remove cgroup_disable=memory (on a Raspberry Pi add cgroup_enable=memory) in GRUB_CMDLINE_LINUX of /etc/default/grub, run sudo update-grub and reboot"},
		},
		{
			name:        "v2 in a container whose parent withholds pids",
			mountinfo:   ubuntuMounts,
			procCgroups: ubuntuCgroups,
			files:       ubuntu("cpu memory\n", "cpu memory\n"),
			want: Check{Name: "cgroups", Status: Fail,
				Detail: "cgroup v2 (unified) at /sys/fs/cgroup: cpu memory; missing: pids",
				Fix:    "pids: the cgroup2 mount at /sys/fs/cgroup is a delegated subtree without it: enable it in the parent cgroup (echo +pids | sudo tee <parent>/cgroup.subtree_control, outside this container), or use the workshop VM"},
		},
		{
			name:        "v1, pids not mounted",
			mountinfo:   edit(t, "centos7-v1/mountinfo", "/sys/fs/cgroup/pids"),
			procCgroups: strings.Replace(readFixture(t, "centos7-v1/cgroups"), "pids\t12\t62\t1", "pids\t0\t1\t1", 1),
			want: Check{Name: "cgroups", Status: Fail,
				Detail: "v1 (no cgroup2 mount): v1 owns cpu memory; missing: pids",
				Fix:    "pids: sudo mkdir -p /sys/fs/cgroup/pids && sudo mount -t cgroup -o pids cgroup /sys/fs/cgroup/pids"},
		},
		{
			name:        "v1 kernel built without memory, and pids not mounted",
			mountinfo:   edit(t, "centos7-v1/mountinfo", "/sys/fs/cgroup/pids"),
			procCgroups: edit(t, "centos7-v1/cgroups", "memory"),
			want: Check{Name: "cgroups", Status: Fail,
				Detail: "v1 (no cgroup2 mount): v1 owns cpu; missing: memory pids",
				Fix: "memory: boot a kernel built with CONFIG_MEMCG=y (Debian and Ubuntu kernels have it), e.g. the workshop VM: vagrant up; " +
					"pids: sudo mkdir -p /sys/fs/cgroup/pids && sudo mount -t cgroup -o pids cgroup /sys/fs/cgroup/pids"},
		},
		{
			name:      "nothing mounted",
			mountinfo: "26 1 254:0 / / rw - ext4 /dev/vda rw\n",
			want: Check{Name: "cgroups", Status: Fail,
				Detail: "no cgroup or cgroup2 filesystem in /proc/self/mountinfo",
				Fix:    "sudo mount -t cgroup2 cgroup2 /sys/fs/cgroup"},
		},
		{
			name:      "v2, cgroup.subtree_control unreadable",
			mountinfo: ubuntuMounts, procCgroups: ubuntuCgroups,
			files: map[string]string{"/sys/fs/cgroup/cgroup.controllers": "cpu memory pids\n"},
			want: Check{Name: "cgroups", Status: Warn,
				Detail: "cgroup v2 (unified) at /sys/fs/cgroup: cpu memory pids; cannot read /sys/fs/cgroup/cgroup.subtree_control: open /sys/fs/cgroup/cgroup.subtree_control: file does not exist",
				Fix:    "run it with sudo"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cgroupsCheck(tt.mountinfo, tt.procCgroups, fakeFiles(tt.files))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cgroupsCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
