package doctor

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFilesystems(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "this machine, abridged",
			text: "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tcgroup\nnodev\tcgroup2\n\text3\n\text2\n\text4\nnodev\toverlay\n",
			want: []string{"sysfs", "tmpfs", "proc", "cgroup", "cgroup2", "ext3", "ext2", "ext4", "overlay"},
		},
		{
			name: "blank lines",
			text: "\n\tsquashfs\n\n",
			want: []string{"squashfs"},
		},
		{name: "empty", text: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseFilesystems(tt.text)); diff != "" {
				t.Errorf("ParseFilesystems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverlayfsCheck(t *testing.T) {
	tests := []struct {
		name  string
		types []string
		want  Check
	}{
		{
			name:  "loaded",
			types: []string{"ext4", "overlay"},
			want:  Check{Name: "overlayfs", Status: OK, Detail: "overlay is in /proc/filesystems"},
		},
		{
			name:  "not loaded",
			types: []string{"ext4", "overlayfs"}, // a name that only resembles it does not count
			want: Check{Name: "overlayfs", Status: Warn,
				Detail: "overlay is not in /proc/filesystems: the module may just not be loaded yet",
				Fix:    "sudo modprobe overlay"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, overlayfsCheck(tt.types)); diff != "" {
				t.Errorf("overlayfsCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
