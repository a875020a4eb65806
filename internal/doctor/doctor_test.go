package doctor

import (
	"slices"
	"testing"
)

func TestStatusString(t *testing.T) {
	for _, tt := range []struct {
		s    Status
		want string
	}{
		{OK, "ok"}, {Warn, "warn"}, {Fail, "FAIL"}, {Status(7), "Status(7)"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.s.String(); got != tt.want {
				t.Errorf("Status(%d).String() = %q, want %q", int(tt.s), got, tt.want)
			}
		})
	}
}

func TestFailed(t *testing.T) {
	for _, tt := range []struct {
		name   string
		checks []Check
		want   bool
	}{
		{"none", nil, false},
		{"all ok", []Check{{Status: OK}, {Status: OK}}, false},
		{"warnings only", []Check{{Status: OK}, {Status: Warn}}, false},
		{"one failure", []Check{{Status: Warn}, {Status: Fail}, {Status: OK}}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Failed(tt.checks); got != tt.want {
				t.Errorf("Failed = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRunHere runs every check on this machine and asserts what holds on
// every machine the workshop supports: the CI and development machines and
// the VM. It needs no root.
func TestRunHere(t *testing.T) {
	checks := Run()

	want := []string{"root", "kernel", "namespaces", "cgroups", "overlayfs", "busybox", "user namespaces", "security", "network", "go"}
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, want) {
		t.Errorf("check names = %q, want each of %q once, in that order", names, want)
	}

	for _, c := range checks {
		t.Run(c.Name, func(t *testing.T) {
			t.Logf("%s: %s", c.Status, c.Detail)
			if c.Detail == "" {
				t.Error("empty Detail")
			}
			if (c.Status == OK) != (c.Fix == "") {
				t.Errorf("status %s with Fix %q: a Fix belongs to every problem and only to problems", c.Status, c.Fix)
			}
			switch c.Name {
			case "namespaces", "busybox", "cgroups":
				if c.Status == Fail {
					t.Errorf("status %s, want no failure here: %s (fix: %s)", c.Status, c.Detail, c.Fix)
				}
			}
			if c.Name == "namespaces" && c.Status != OK {
				t.Errorf("status %s, want %s", c.Status, OK)
			}
			if c.Name == "busybox" && c.Status != OK {
				t.Errorf("status %s, want %s (busybox-static is installed on the workshop's machines)", c.Status, OK)
			}
		})
	}
}
