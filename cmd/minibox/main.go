// Command minibox is the workshop's container runtime, with Docker's
// habits: minibox run busybox echo hi.
package main

import (
	"fmt"
	"os"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

func main() {
	// A re-executed copy of this binary (a supervisor, a container's init,
	// an exec) goes to its entry point before anything else runs.
	if chroot.Init() {
		return
	}
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "minibox:", err)
		os.Exit(runtime.ExitCode(err))
	}
}
