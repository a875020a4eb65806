package security_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	security "github.com/minibox-dev/minibox/chapters/06-security"
)

func TestDefaultCapabilitiesAreDockers(t *testing.T) {
	set, err := security.CapSetOf(security.DefaultCapabilities)
	if err != nil {
		t.Fatal(err)
	}
	// The CapEff that `docker run busybox grep Cap /proc/self/status` shows.
	if set != 0xa80425fb {
		t.Errorf("default set %#x (%s), want Docker's 0xa80425fb", uint64(set), strings.Join(set.Names(), ","))
	}
}

func TestParseCapability(t *testing.T) {
	for _, name := range []string{"NET_ADMIN", "CAP_NET_ADMIN", "net_admin", "cap_net_admin"} {
		if n, err := security.ParseCapability(name); err != nil || n != 12 {
			t.Errorf("ParseCapability(%q) = %d, %v; want 12", name, n, err)
		}
	}
	for _, name := range []string{"", "NET_ADMINS", "CAP_", "ALL", "12"} {
		if _, err := security.ParseCapability(name); err == nil || !strings.Contains(err.Error(), "unknown capability") {
			t.Errorf("ParseCapability(%q): %v, want an unknown-capability error", name, err)
		}
	}
	if n := security.AllCapabilities().Count(); n != 41 {
		t.Errorf("%d capabilities known, want the 41 of Linux 6.x", n)
	}
}

func TestFromOptions(t *testing.T) {
	def := security.Default().Capabilities
	for _, tc := range []struct {
		name string
		opt  security.Options
		caps []string
		nnp  bool
		scmp string
	}{
		{"defaults", security.Options{}, def, true, "default"},
		{"add one", security.Options{CapAdd: []string{"net_admin"}}, with(def, "NET_ADMIN"), true, "default"},
		{"drop one", security.Options{CapDrop: []string{"CAP_NET_RAW"}}, without(def, "NET_RAW"), true, "default"},
		{"drop all add one", security.Options{CapDrop: []string{"ALL"}, CapAdd: []string{"CHOWN"}}, []string{"CHOWN"}, true, "default"},
		{"add all drop one", security.Options{CapAdd: []string{"all"}, CapDrop: []string{"SYS_ADMIN"}}, without(security.AllCapabilities().Names(), "SYS_ADMIN"), true, "default"},
		{"unconfined", security.Options{SecurityOpts: []string{"seccomp=unconfined"}}, def, true, "unconfined"},
		{"nnp off", security.Options{SecurityOpts: []string{"no-new-privileges=false"}}, def, false, "default"},
		{"nnp docker's way", security.Options{SecurityOpts: []string{"no-new-privileges:true"}}, def, true, "default"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := security.FromOptions(tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.caps, p.Capabilities); diff != "" {
				t.Errorf("capabilities (-want +got):\n%s", diff)
			}
			if p.NoNewPrivileges != tc.nnp || p.Seccomp != tc.scmp {
				t.Errorf("no_new_privs %v, seccomp %q; want %v, %q", p.NoNewPrivileges, p.Seccomp, tc.nnp, tc.scmp)
			}
		})
	}
	p, err := security.FromOptions(security.Options{Privileged: true})
	if err != nil || !p.Privileged || len(p.Capabilities) != 41 || p.Seccomp != "unconfined" || len(p.MaskedPaths) != 0 {
		t.Errorf("--privileged: %+v, %v", p, err)
	}
}

func TestFromOptionsBadInput(t *testing.T) {
	for _, tc := range []struct {
		opt  security.Options
		want string
	}{
		{security.Options{CapAdd: []string{"NET_ADMINS"}}, `--cap-add: unknown capability "NET_ADMINS"`},
		{security.Options{CapDrop: []string{""}}, `--cap-drop: unknown capability ""`},
		{security.Options{CapAdd: []string{"CHOWN"}, CapDrop: []string{"chown"}}, "both name CHOWN"},
		{security.Options{CapAdd: []string{"ALL"}, CapDrop: []string{"ALL"}}, "--cap-add ALL with --cap-drop ALL"},
		{security.Options{Privileged: true, CapDrop: []string{"CHOWN"}}, "--privileged with"},
		{security.Options{SecurityOpts: []string{"seccomp=/nonexistent/profile.json"}}, "no such file or directory"},
		{security.Options{SecurityOpts: []string{"seccomp="}}, "seccomp=FILE with a profile in Docker's format"},
		{security.Options{SecurityOpts: []string{"no-new-privileges=maybe"}}, "want no-new-privileges"},
		{security.Options{SecurityOpts: []string{"apparmor=unconfined"}}, "minibox knows seccomp=unconfined"},
	} {
		_, err := security.FromOptions(tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one with %q", tc.opt, err, tc.want)
		}
	}
}

func with(names []string, name string) []string {
	out := append([]string{}, names...)
	out = append(out, name)
	return sorted(out)
}

func without(names []string, name string) []string {
	var out []string
	for _, n := range names {
		if n != name {
			out = append(out, n)
		}
	}
	return out
}

func sorted(names []string) []string {
	set, _ := security.CapSetOf(names)
	return set.Names()
}

func TestDeviceFlags(t *testing.T) {
	p, err := security.FromOptions(security.Options{Devices: []string{"/dev/null:/dev/mynull:r", "/dev/zero"}})
	if err != nil {
		t.Fatal(err)
	}
	wantNodes := []security.DeviceNode{{Path: "/dev/mynull", Type: 'c', Major: 1, Minor: 3}, {Path: "/dev/zero", Type: 'c', Major: 1, Minor: 5}}
	if diff := cmp.Diff(wantNodes, p.DeviceNodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	if rules := p.Devices[len(p.Devices)-2:]; rules[0] != "c 1:3 r" || rules[1] != "c 1:5 rwm" {
		t.Errorf("rules %q, want c 1:3 r and c 1:5 rwm after the defaults", rules)
	}
}
