package steps

import (
	"fmt"
	"os"
	"strings"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runUser(e *workshop.Env) error {
	id, err := inContainer(e, true, "id")
	if err != nil {
		return err
	}
	if _, err := inContainer(e, true, "cat", "/proc/self/uid_map"); err != nil {
		return err
	}
	c, err := startIdle(e, true)
	if err != nil {
		return err
	}
	status, rerr := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.c.Pid()))
	uid := ""
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "Uid:") {
			uid = line
		}
	}
	e.Shell("host$", fmt.Sprintf("grep Uid: /proc/%d/status", c.c.Pid()), uid)
	if err := c.Stop(); err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	if !strings.HasPrefix(id, "uid=0(root) gid=0(root)") {
		return fmt.Errorf("id in the container says %q, want uid=0(root)", strings.TrimSpace(id))
	}
	if f := strings.Fields(uid); len(f) < 2 || f[1] != fmt.Sprint(namespaces.HostUID) {
		return fmt.Errorf("on the host the container runs as %q, want uid %d", uid, namespaces.HostUID)
	}
	return nil
}
