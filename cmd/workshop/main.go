// Command workshop walks a learner through the minibox tutorial: it lists
// the steps, shows their text, runs them and checks the result.
package main

import (
	"fmt"
	"os"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

func main() {
	// A re-executed copy of this binary (a jailed process, a container's
	// init) goes to its entry point before anything else runs.
	if chroot.Init() {
		return
	}
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "workshop:", err)
		os.Exit(1)
	}
}
