package namespaces

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseMountinfo(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []Mount
		wantErr string
	}{
		{
			name: "no optional fields (this machine's cgroup2 mount)",
			text: "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
			want: []Mount{{ID: 40, ParentID: 30, MajorMinor: "0:37", Root: "/", MountPoint: "/sys/fs/cgroup/unified",
				Options: "rw,relatime", FSType: "cgroup2", Source: "cgroup2", SuperOptions: "rw"}},
		},
		{
			name: "one optional field",
			text: "33 24 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n",
			want: []Mount{{ID: 33, ParentID: 24, MajorMinor: "0:28", Root: "/", MountPoint: "/sys/fs/cgroup",
				Options: "rw,nosuid,nodev,noexec,relatime", Optional: []string{"shared:9"},
				FSType: "cgroup2", Source: "cgroup2", SuperOptions: "rw,nsdelegate,memory_recursiveprot"}},
		},
		{
			name: "two optional fields, a bind mount of a subdirectory (proc_pid_mountinfo(5)'s example)",
			text: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue",
			want: []Mount{{ID: 36, ParentID: 35, MajorMinor: "98:0", Root: "/mnt1", MountPoint: "/mnt2",
				Options: "rw,noatime", Optional: []string{"master:1", "shared:7"},
				FSType: "ext3", Source: "/dev/root", SuperOptions: "rw,errors=continue"}},
		},
		{
			name: "escaped space, tab and backslash",
			text: `590 30 0:49 / /media/vagrant/USB\040Stick\011x\134y rw - vfat /dev/sdb1 rw` + "\n",
			want: []Mount{{ID: 590, ParentID: 30, MajorMinor: "0:49", Root: "/", MountPoint: "/media/vagrant/USB Stick\tx\\y",
				Options: "rw", FSType: "vfat", Source: "/dev/sdb1", SuperOptions: "rw"}},
		},
		{
			name: "empty source",
			text: "70 30 0:50 / /mnt rw - tmpfs  rw\n",
			want: []Mount{{ID: 70, ParentID: 30, MajorMinor: "0:50", Root: "/", MountPoint: "/mnt",
				Options: "rw", FSType: "tmpfs", Source: "", SuperOptions: "rw"}},
		},
		{
			name: "blank lines are skipped",
			text: "\n21 26 0:20 / /proc rw,relatime - proc proc rw\n\n",
			want: []Mount{{ID: 21, ParentID: 26, MajorMinor: "0:20", Root: "/", MountPoint: "/proc",
				Options: "rw,relatime", FSType: "proc", Source: "proc", SuperOptions: "rw"}},
		},
		{name: "empty", text: "", want: nil},
		{
			name:    "no separator",
			text:    "21 26 0:20 / /proc rw,relatime proc proc rw\n",
			wantErr: "mountinfo line 1",
		},
		{
			name:    "nothing after the separator",
			text:    "21 26 0:20 / /proc rw,relatime - proc\n",
			wantErr: "mountinfo line 1",
		},
		{
			name:    "bad mount ID, on line 2",
			text:    "21 26 0:20 / /proc rw - proc proc rw\nx 26 0:21 / /sys rw - sysfs sysfs rw\n",
			wantErr: `mountinfo line 2: mount ID "x"`,
		},
		{
			name:    "bad parent ID",
			text:    "21 y 0:20 / /proc rw - proc proc rw\n",
			wantErr: `parent ID "y"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMountinfo(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseMountinfo: got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMountinfo: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseMountinfo mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
