package steps

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/minibox-dev/minibox/internal/workshop"
)

func runMount(e *workshop.Env) error {
	before, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	out, err := inContainer(e, false, "sh", "-c", "mount -t tmpfs scratch /tmp && grep scratch /proc/mounts")
	if err != nil {
		return err
	}
	host, _ := e.Host("grep", "-c", "scratch", "/proc/self/mounts")
	after, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	switch {
	case !strings.Contains(out, "scratch /tmp tmpfs"):
		return fmt.Errorf("the tmpfs is not in the container's mount table")
	case strings.TrimSpace(host) != "0":
		return fmt.Errorf("the container's tmpfs is in the host's mount table")
	case !bytes.Equal(before, after):
		return fmt.Errorf("the host's mount table changed while the container ran")
	}
	e.Say("the host's /proc/self/mountinfo is byte for byte what it was before")
	return showNamespace(e, "mnt", false)
}
