package steps

import (
	"fmt"
	"strings"

	"github.com/minibox-dev/minibox/internal/workshop"
	"golang.org/x/sys/unix"
)

func runIPC(e *workshop.Env) error {
	id, err := unix.SysvShmGet(unix.IPC_PRIVATE, 4096, unix.IPC_CREAT|0o600)
	if err != nil {
		return fmt.Errorf("create a shared memory segment on the host: %w", err)
	}
	// Attach it, then mark it for removal at once: it lives while attached,
	// and the kernel removes it when this process ends, even on Ctrl-C.
	mem, err := unix.SysvShmAttach(id, 0, 0)
	if err != nil {
		unix.SysvShmCtl(id, unix.IPC_RMID, nil)
		return fmt.Errorf("attach the shared memory segment: %w", err)
	}
	defer unix.SysvShmDetach(mem)
	if _, err := unix.SysvShmCtl(id, unix.IPC_RMID, nil); err != nil {
		return fmt.Errorf("mark the shared memory segment for removal: %w", err)
	}
	e.Say("the host creates a System V shared memory segment: shmget() = %d", id)
	host, err := e.Host("awk", "NR > 1 { print \"segment\", $2 }", "/proc/sysvipc/shm")
	if err != nil {
		return err
	}
	inside, err := inContainer(e, false, "awk", "NR > 1 { print \"segment\", $2 }", "/proc/sysvipc/shm")
	if err != nil {
		return err
	}
	mine := fmt.Sprintf("segment %d\n", id)
	if !strings.Contains(host, mine) {
		return fmt.Errorf("the host does not list its own segment %d", id)
	}
	if strings.Contains(inside, "segment") {
		return fmt.Errorf("the container lists shared memory segments: %q", inside)
	}
	return showNamespace(e, "ipc", false)
}
