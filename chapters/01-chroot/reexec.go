package chroot

import (
	"fmt"
	"os"
	"os/exec"
)

// Go cannot fork(2) a copy of a running program: the runtime's threads would
// not survive it. To run Go code in a new setting (a chroot, later a new set
// of namespaces) the program starts itself again through /proc/self/exe with
// a special argv[0], and Init sends that process to the registered function
// before anything else runs.

var entries = map[string]func(){}

// Register makes fn the entry point of a re-executed process whose argv[0]
// is name. Call it from an init function.
func Register(name string, fn func()) {
	if _, dup := entries[name]; dup {
		panic("reexec: entry point registered twice: " + name)
	}
	entries[name] = fn
}

// Init runs the entry point named by os.Args[0], if there is one, and reports
// whether it did. Call it first thing in main and in TestMain:
//
//	if chroot.Init() { return }
//
// An entry point normally ends the process itself (exec or os.Exit).
func Init() bool {
	fn, ok := entries[os.Args[0]]
	if ok {
		fn()
	}
	return ok
}

// Self returns a command that re-executes the running binary with argv[0]
// set to name, so Init dispatches it to the registered entry point.
func Self(name string, args ...string) *exec.Cmd {
	if _, ok := entries[name]; !ok {
		panic(fmt.Sprintf("reexec: no entry point registered as %q", name))
	}
	cmd := exec.Command("/proc/self/exe", args...)
	cmd.Args[0] = name
	return cmd
}
