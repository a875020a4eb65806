package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "ns.hostname", Step: "ns.uts", Minutes: 5, Root: true,
			Tests: []string{"TestUTSNamespace"},
			Todo: "Name the container: set the hostname of the UTS namespace the init is in to name, " +
				"with sethostname(2). Wrap its error with what you were doing.",
			Hints: []string{
				"The init already runs in a new UTS namespace (CLONE_NEWUTS at clone time): one syscall renames it, and the host's name stays.",
				"sethostname(2) is unix.Sethostname in golang.org/x/sys/unix; it takes the name as a []byte. man 2 sethostname.",
				"if err := unix.Sethostname([]byte(name)); err != nil { return fmt.Errorf(\"sethostname %q: %w\", name, err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.hostname is not written yet`, Hint: "The stub is still there: replace its return with the call to sethostname(2)."},
				{Output: `hostname.*want`, Hint: "The container's hostname is not the one asked for: is name passed to sethostname as it is?"},
			},
		},
	}
}
