package doctor

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrint(t *testing.T) {
	ok := Check{Name: "root", Status: OK, Detail: "running as root (euid 0)"}
	warn := Check{Name: "user namespaces", Status: Warn,
		Detail: "kernel.unprivileged_userns_clone=0: unprivileged processes cannot create user namespaces",
		Fix:    "sudo sysctl -w kernel.unprivileged_userns_clone=1"}
	fail := Check{Name: "busybox", Status: Fail, Detail: "no busybox on $PATH, in /bin or in /usr/bin", Fix: "sudo apt-get install busybox-static"}
	tests := []struct {
		name   string
		checks []Check
		want   string
	}{
		{
			name:   "all well",
			checks: []Check{ok, {Name: "go", Status: OK, Detail: "go1.26.8 at /usr/local/go/bin/go (go1.25 or newer needed)"}},
			want: "" +
				"✓ root  running as root (euid 0)\n" +
				"✓ go    go1.26.8 at /usr/local/go/bin/go (go1.25 or newer needed)\n" +
				"\n" +
				"all checks passed\n",
		},
		{
			name:   "a failure and a warning",
			checks: []Check{ok, fail, warn},
			want: "" +
				"✓ root             running as root (euid 0)\n" +
				"✗ busybox          no busybox on $PATH, in /bin or in /usr/bin\n" +
				"    fix: sudo apt-get install busybox-static\n" +
				"! user namespaces  kernel.unprivileged_userns_clone=0: unprivileged processes cannot create user namespaces\n" +
				"    fix: sudo sysctl -w kernel.unprivileged_userns_clone=1\n" +
				"\n" +
				"2 problems: fix the ✗ lines first\n",
		},
		{
			name:   "one warning",
			checks: []Check{ok, warn},
			want: "" +
				"✓ root             running as root (euid 0)\n" +
				"! user namespaces  kernel.unprivileged_userns_clone=0: unprivileged processes cannot create user namespaces\n" +
				"    fix: sudo sysctl -w kernel.unprivileged_userns_clone=1\n" +
				"\n" +
				"1 warning: the workshop can run; see the ! lines\n",
		},
		{
			name:   "one failure",
			checks: []Check{fail},
			want: "" +
				"✗ busybox  no busybox on $PATH, in /bin or in /usr/bin\n" +
				"    fix: sudo apt-get install busybox-static\n" +
				"\n" +
				"1 problem: fix the ✗ lines first\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			Print(&b, tt.checks, false)
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("Print mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrintColor(t *testing.T) {
	var b strings.Builder
	Print(&b, []Check{{Name: "root", Status: OK, Detail: "running as root (euid 0)"}}, true)
	want := "\x1b[32m✓\x1b[0m root  running as root (euid 0)\n\n\x1b[32mall checks passed\x1b[0m\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Print with color mismatch (-want +got):\n%s", diff)
	}
}
