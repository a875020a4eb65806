package doctor

import (
	"strings"
	"testing"
)

func TestSecurityCheck(t *testing.T) {
	const actions = "kill_process kill_thread trap errno user_notif trace log allow\n"
	hybrid := readFixture(t, "devmachine-hybrid/mountinfo")
	v2 := readFixture(t, "ubuntu2404-v2/mountinfo")
	for _, tc := range []struct {
		name                        string
		actions, mountinfo, kconfig string
		status                      Status
		detail                      string
	}{
		{"hybrid: v1 devices", actions, hybrid, "", OK, "device rules: the v1 devices controller"},
		{"pure v2, config unknown", actions, v2, "", OK, "device rules: eBPF programs on cgroup v2"},
		{"pure v2 with CGROUP_BPF", actions, v2, "# x\nCONFIG_CGROUP_BPF=y\n", OK, "eBPF programs on cgroup v2"},
		{"pure v2 without CGROUP_BPF", actions, v2, "# x\n# CONFIG_CGROUP_BPF is not set\n", Fail, "without CONFIG_CGROUP_BPF"},
		{"no seccomp filters", "", v2, "", Fail, "no seccomp filters"},
		{"no cgroups at all", actions, "", "", Fail, "no v1 devices hierarchy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := securityCheck(tc.actions, tc.mountinfo, tc.kconfig)
			if c.Status != tc.status || !strings.Contains(c.Detail, tc.detail) {
				t.Errorf("%v %q, want %v and %q", c.Status, c.Detail, tc.status, tc.detail)
			}
			if c.Status != OK && c.Fix == "" {
				t.Error("a failed check without a fix")
			}
		})
	}
}
