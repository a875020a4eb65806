package doctor

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

func TestBusyboxCheck(t *testing.T) {
	found := func(p string) func() (string, error) { return func() (string, error) { return p, nil } }
	static := func(string) error { return nil }
	dynamic := func(p string) error { return fmt.Errorf("%s is dynamically linked", p) }
	tests := []struct {
		name        string
		find        func() (string, error)
		checkStatic func(string) error
		env         string
		want        Check
	}{
		{
			name: "busybox-static installed",
			find: found("/usr/bin/busybox"), checkStatic: static,
			want: Check{Name: "busybox", Status: OK, Detail: "/usr/bin/busybox (statically linked)"},
		},
		{
			name: "none",
			find: func() (string, error) { return "", chroot.ErrNoBusybox }, checkStatic: static,
			want: Check{Name: "busybox", Status: Fail,
				Detail: "no busybox on $PATH, in /bin or in /usr/bin",
				Fix:    "sudo apt-get install busybox-static"},
		},
		{
			name: "the dynamic busybox package",
			find: found("/usr/bin/busybox"), checkStatic: dynamic,
			want: Check{Name: "busybox", Status: Fail,
				Detail: "/usr/bin/busybox is not a statically linked executable: a chroot has no shared libraries for it",
				Fix:    "sudo apt-get install busybox-static"},
		},
		{
			name: "MINIBOX_BUSYBOX points nowhere",
			find: func() (string, error) {
				return "", fmt.Errorf("MINIBOX_BUSYBOX=/opt/bb: %w", &fs.PathError{Op: "stat", Path: "/opt/bb", Err: fs.ErrNotExist})
			},
			checkStatic: static, env: "/opt/bb",
			want: Check{Name: "busybox", Status: Fail,
				Detail: "MINIBOX_BUSYBOX=/opt/bb: stat /opt/bb: file does not exist",
				Fix:    "sudo apt-get install busybox-static, or point MINIBOX_BUSYBOX at a static busybox (it is /opt/bb)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, busyboxCheck(tt.find, tt.checkStatic, tt.env)); diff != "" {
				t.Errorf("busyboxCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
