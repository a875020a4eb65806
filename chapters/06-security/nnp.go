package security

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// A setuid-root program runs as root whoever starts it: that is how passwd
// and su work, and how an unprivileged user in a container would become
// root again. no_new_privs is a one-way switch on a process and all it
// starts: from then on, execve(2) grants nothing, neither a setuid or
// setgid bit nor file capabilities. It is also what lets a process without
// CAP_SYS_ADMIN install a seccomp filter (seccomp.go): a filter could
// otherwise trick a setuid program into misbehaving.

// setNoNewPrivs turns no_new_privs on for the calling thread and what it
// executes.
//
//workshop:exercise sec.nnp
func setNoNewPrivs() error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	return nil
}
