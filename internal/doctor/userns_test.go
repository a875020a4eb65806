package doctor

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUsernsCheck(t *testing.T) {
	const apparmorFix = "run the steps with sudo, as the workshop does; or give one program an AppArmor profile with a `userns,` rule; or, for everything until reboot, sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (which gives up that hardening of Ubuntu 24.04)"
	tests := []struct {
		name string
		v    usernsSysctls
		want Check
	}{
		{
			name: "development machine: no restriction",
			v:    usernsSysctls{maxUserNS: "96364"},
			want: Check{Name: "user namespaces", Status: OK, Detail: "unprivileged user namespaces allowed (user.max_user_namespaces=96364)"},
		},
		{
			name: "AppArmor restriction present but off",
			v:    usernsSysctls{apparmorRestrict: "0", maxUserNS: "15316"},
			want: Check{Name: "user namespaces", Status: OK, Detail: "unprivileged user namespaces allowed (user.max_user_namespaces=15316)"},
		},
		{
			name: "no sysctl at all",
			v:    usernsSysctls{},
			want: Check{Name: "user namespaces", Status: OK, Detail: "unprivileged user namespaces allowed"},
		},
		{
			name: "Ubuntu 24.04: AppArmor restricts them",
			v:    usernsSysctls{apparmorRestrict: "1", maxUserNS: "15316"},
			want: Check{Name: "user namespaces", Status: Warn,
				Detail: "kernel.apparmor_restrict_unprivileged_userns=1: an unprivileged program without an AppArmor profile that allows it gets no capabilities in a user namespace it creates (root is not affected)",
				Fix:    apparmorFix},
		},
		{
			name: "Debian's switch off",
			v:    usernsSysctls{maxUserNS: "15316", usernsClone: "0"},
			want: Check{Name: "user namespaces", Status: Warn,
				Detail: "kernel.unprivileged_userns_clone=0: unprivileged processes cannot create user namespaces",
				Fix:    "sudo sysctl -w kernel.unprivileged_userns_clone=1"},
		},
		{
			name: "Debian's switch on",
			v:    usernsSysctls{maxUserNS: "15316", usernsClone: "1"},
			want: Check{Name: "user namespaces", Status: OK, Detail: "unprivileged user namespaces allowed (user.max_user_namespaces=15316)"},
		},
		{
			name: "no nsenter",
			v:    usernsSysctls{maxUserNS: "15316", noNsenter: true},
			want: Check{Name: "user namespaces", Status: Warn,
				Detail: "no nsenter in PATH: minibox exec into a container run with --userns=remap needs util-linux's nsenter",
				Fix:    "sudo apt-get install util-linux"},
		},
		{
			name: "everything closed",
			v:    usernsSysctls{apparmorRestrict: "1", maxUserNS: "0", usernsClone: "0"},
			want: Check{Name: "user namespaces", Status: Warn,
				Detail: "user.max_user_namespaces=0: nobody, not even root, can create a user namespace; " +
					"kernel.unprivileged_userns_clone=0: unprivileged processes cannot create user namespaces; " +
					"kernel.apparmor_restrict_unprivileged_userns=1: an unprivileged program without an AppArmor profile that allows it gets no capabilities in a user namespace it creates (root is not affected)",
				Fix: "sudo sysctl -w user.max_user_namespaces=15000; sudo sysctl -w kernel.unprivileged_userns_clone=1; " + apparmorFix},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, usernsCheck(tt.v)); diff != "" {
				t.Errorf("usernsCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
