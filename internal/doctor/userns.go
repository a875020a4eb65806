package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
)

// The sysctls that restrict user namespaces, as files under /proc/sys.
const (
	sysctlAppArmorUserns = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns" // Ubuntu 23.10+
	sysctlMaxUserNS      = "/proc/sys/user/max_user_namespaces"
	sysctlUsernsClone    = "/proc/sys/kernel/unprivileged_userns_clone" // Debian's patch
)

// usernsSysctls holds the values of those sysctls, "" where the file is
// absent (the kernel lacks that patch or feature).
type usernsSysctls struct {
	apparmorRestrict string
	maxUserNS        string
	usernsClone      string
	noNsenter        bool // util-linux's nsenter is not in PATH
}

func checkUserns() Check {
	var v usernsSysctls
	for _, s := range []struct {
		path string
		dst  *string
	}{
		{sysctlAppArmorUserns, &v.apparmorRestrict},
		{sysctlMaxUserNS, &v.maxUserNS},
		{sysctlUsernsClone, &v.usernsClone},
	} {
		text, err := readText(s.path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Absent: this kernel has no such restriction.
		case err != nil:
			return Check{Name: nameUserns, Status: Warn,
				Detail: fmt.Sprintf("cannot read %s: %v", s.path, err),
				Fix:    "run it with sudo"}
		default:
			*s.dst = strings.TrimSpace(text)
		}
	}
	_, err := exec.LookPath("nsenter")
	v.noNsenter = err != nil
	return usernsCheck(v)
}

// usernsCheck only warns: the chapters run as root, and root may create
// user namespaces under every restriction but max_user_namespaces=0.
// What the restrictions block is the unprivileged variant, which the user
// namespace step shows.
func usernsCheck(v usernsSysctls) Check {
	var details, fixes []string
	if v.maxUserNS == "0" {
		details = append(details, "user.max_user_namespaces=0: nobody, not even root, can create a user namespace")
		fixes = append(fixes, "sudo sysctl -w user.max_user_namespaces=15000")
	}
	if v.usernsClone == "0" {
		details = append(details, "kernel.unprivileged_userns_clone=0: unprivileged processes cannot create user namespaces")
		fixes = append(fixes, "sudo sysctl -w kernel.unprivileged_userns_clone=1")
	}
	if v.apparmorRestrict == "1" {
		details = append(details, "kernel.apparmor_restrict_unprivileged_userns=1: an unprivileged program without an AppArmor profile that allows it gets no capabilities in a user namespace it creates (root is not affected)")
		fixes = append(fixes, "run the steps with sudo, as the workshop does; or give one program an AppArmor profile with a `userns,` rule; or, for everything until reboot, sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (which gives up that hardening of Ubuntu 24.04)")
	}
	if v.noNsenter {
		details = append(details, "no nsenter in PATH: minibox exec into a container run with --userns=remap needs util-linux's nsenter")
		fixes = append(fixes, "sudo apt-get install util-linux")
	}
	if len(details) > 0 {
		return Check{Name: nameUserns, Status: Warn,
			Detail: strings.Join(details, "; "),
			Fix:    strings.Join(fixes, "; ")}
	}
	detail := "unprivileged user namespaces allowed"
	if v.maxUserNS != "" {
		detail += " (user.max_user_namespaces=" + v.maxUserNS + ")"
	}
	return Check{Name: nameUserns, Status: OK, Detail: detail}
}
