package namespaces

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// The UTS namespace holds the hostname (and the NIS domain name, named after
// the uname(2) struct utsname). In its own, the container can set a hostname
// without renaming the host.
const cloneUTS = unix.CLONE_NEWUTS

// setHostname names the container. It runs in the container's init.
//
//workshop:exercise ns.hostname
func setHostname(name string) error {
	if err := unix.Sethostname([]byte(name)); err != nil {
		return fmt.Errorf("sethostname %q: %w", name, err)
	}
	return nil
}
