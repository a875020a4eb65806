package doctor

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRootCheck(t *testing.T) {
	tests := []struct {
		name string
		euid int
		want Check
	}{
		{
			name: "root",
			euid: 0,
			want: Check{Name: "root", Status: OK, Detail: "running as root (euid 0)"},
		},
		{
			name: "learner",
			euid: 1000,
			want: Check{Name: "root", Status: Warn,
				Detail: "running as euid 1000: mounts, namespaces and cgroups need root, so some checks below may see less than root would",
				Fix:    "run it with sudo: sudo /home/learner/minibox/workshop doctor"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, rootCheck(tt.euid, "/home/learner/minibox/workshop")); diff != "" {
				t.Errorf("rootCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
