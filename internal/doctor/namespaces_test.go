package doctor

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNamespacesCheck(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		want    Check
	}{
		{
			name:    "Linux 6 (this machine)",
			entries: []string{"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts"},
			want:    Check{Name: "namespaces", Status: OK, Detail: "cgroup ipc mnt net pid user uts; time: yes"},
		},
		{
			name:    "Linux 5.4, before time namespaces",
			entries: []string{"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "user", "uts"},
			want:    Check{Name: "namespaces", Status: OK, Detail: "cgroup ipc mnt net pid user uts; time: no (Linux 5.6+, not needed)"},
		},
		{
			name:    "kernel without user and net namespaces",
			entries: []string{"cgroup", "ipc", "mnt", "pid", "pid_for_children", "uts"},
			want: Check{Name: "namespaces", Status: Fail,
				Detail: "missing: net user; present: cgroup ipc mnt pid uts; time: no (Linux 5.6+, not needed)",
				Fix:    "boot a kernel built with CONFIG_NAMESPACES=y CONFIG_NET_NS=y CONFIG_USER_NS=y, e.g. the workshop VM: vagrant up"},
		},
		{
			name:    "Linux 3.7: no mnt, pid, user nor cgroup entry",
			entries: []string{"ipc", "net", "uts"},
			want: Check{Name: "namespaces", Status: Fail,
				Detail: "missing: cgroup mnt pid user; present: ipc net uts; time: no (Linux 5.6+, not needed)",
				Fix:    "boot a kernel built with CONFIG_NAMESPACES=y CONFIG_CGROUPS=y CONFIG_PID_NS=y CONFIG_USER_NS=y (a kernel 3.8 or newer shows mnt in /proc/self/ns), e.g. the workshop VM: vagrant up"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, namespacesCheck(tt.entries)); diff != "" {
				t.Errorf("namespacesCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
