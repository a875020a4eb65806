package doctor

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The fixtures' machines, and what they show, are described in the
// cgroups chapter's layout_test.go, whose detection doctor judges here.
func TestCgroupsCheck(t *testing.T) {
	// The files doctor reads besides the fixtures.
	ubuntuControllers := map[string]string{
		"/sys/fs/cgroup/cgroup.controllers":     "cpuset cpu io memory hugetlb pids rdma misc\n",
		"/sys/fs/cgroup/cgroup.subtree_control": "cpuset cpu io memory hugetlb pids rdma misc\n",
	}
	hybridControllers := map[string]string{
		"/sys/fs/cgroup/unified/cgroup.controllers":     "hugetlb\n",
		"/sys/fs/cgroup/unified/cgroup.subtree_control": "\n",
	}
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
