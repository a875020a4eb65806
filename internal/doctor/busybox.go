package doctor

import (
	"errors"
	"fmt"
	"os"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

const busyboxFix = "sudo apt-get install busybox-static"

func checkBusybox() Check {
	return busyboxCheck(chroot.FindBusybox, chroot.CheckStatic, os.Getenv("MINIBOX_BUSYBOX"))
}

// busyboxCheck uses chapter 1's own lookup, so doctor judges the very
// busybox the chapters will copy into their root filesystems. env is the
// value of MINIBOX_BUSYBOX, which changes the advice.
func busyboxCheck(find func() (string, error), checkStatic func(path string) error, env string) Check {
	c := Check{Name: nameBusybox, Status: Fail, Fix: busyboxFix}
	if env != "" {
		c.Fix += ", or point MINIBOX_BUSYBOX at a static busybox (it is " + env + ")"
	}
	p, err := find()
	switch {
	case errors.Is(err, chroot.ErrNoBusybox):
		c.Detail = "no busybox on $PATH, in /bin or in /usr/bin"
		return c
	case err != nil:
		c.Detail = err.Error()
		return c
	}
	if err := checkStatic(p); err != nil {
		// CheckStatic's message carries its own advice; the detail keeps
		// to what was found.
		c.Detail = fmt.Sprintf("%s is not a statically linked executable: a chroot has no shared libraries for it", p)
		return c
	}
	return Check{Name: nameBusybox, Status: OK, Detail: p + " (statically linked)"}
}
