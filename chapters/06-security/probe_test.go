package security_test

import (
	"errors"
	"fmt"
	"testing"

	security "github.com/minibox-dev/minibox/chapters/06-security"
	"golang.org/x/sys/unix"
)

// TestVerdict: the errno of an attack's call says which wall stopped it,
// or that none did.
func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, "mount: allowed"},
		{unix.EPERM, "mount: refused (EPERM)"},
		{fmt.Errorf("open x: %w", unix.EROFS), "mount: refused (EROFS)"},
		{unix.ESRCH, "mount: refused (ESRCH)"},
		{unix.EAGAIN, "mount: refused (EAGAIN)"},
		{unix.EINVAL, "mount: allowed (EINVAL after the permission check)"},
		{unix.ENOEXEC, "mount: allowed (ENOEXEC after the permission check)"},
		{unix.ENOSYS, "mount: absent (ENOSYS): this kernel has none"},
		{security.SwitchedOff("kexec is switched off here"), "mount: absent (kexec is switched off here)"},
		{errors.New("no such probe"), "mount: error: no such probe"},
	} {
		if got := security.Verdict("mount", tc.err); got != tc.want {
			t.Errorf("Verdict(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
