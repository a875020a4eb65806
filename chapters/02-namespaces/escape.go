package namespaces

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// Chapter 1 broke out of a chroot jail. Here the same code, chroot.Escape,
// runs as root inside a container, after pivot_root: it still climbs ".."
// until "." and ".." are the same directory, but that directory is now the
// root of the container's mount namespace, the rootfs. The host's root is
// not mounted anywhere in that namespace, so there is nothing above to reach.

// EscapeResult is what the chapter 1 escape did inside a container.
type EscapeResult struct {
	// chroot.EscapeResult is chapter 1's report. SeenInJail is what reading
	// Target inside the container gave, SeenOutside what it gave after the
	// escape, and Escaped whether "/" ended at the host's root: the host
	// was reached.
	chroot.EscapeResult
	ContainerRoot chroot.FileID // the rootfs, the container's "/"
}

// Explain says in a sentence where the escape ended, and why.
func (r *EscapeResult) Explain() string {
	switch {
	case r.Escaped:
		return "the escape reached the host's root: the container is not isolated"
	case r.Root == r.ContainerRoot:
		return `the escape stayed inside: ".." stopped at the container's own root, because after pivot_root and the unmount of the old root the host's root is no longer mounted in the container's mount namespace`
	default:
		return fmt.Sprintf("the escape ended at %+v, neither the host's root nor the container's", r.Root)
	}
}

const escapeEntry = "minibox-namespaces-escape"

func init() { chroot.Register(escapeEntry, func() { runInit(escapeInContainer) }) }

// RunEscape starts a container on rootfs whose init, instead of exec'ing a
// command, reads target (a path on the host, outside rootfs), runs
// chroot.Escape and reads target again. The escape creates chroot.EscapeDir
// in the rootfs; RunEscape removes it.
func RunEscape(rootfs, target string) (*EscapeResult, error) {
	hostRoot, err := chroot.StatID("/")
	if err != nil {
		return nil, err
	}
	containerRoot, err := chroot.StatID(rootfs)
	if err != nil {
		return nil, fmt.Errorf("container: rootfs: %w", err)
	}
	defer os.Remove(filepath.Join(rootfs, chroot.EscapeDir))
	var stdout, stderr bytes.Buffer
	// Args only names what runs in place of a command: escapeInContainer.
	cfg := Config{Rootfs: rootfs, Args: []string{"chroot.Escape"}, Stdout: &stdout, Stderr: &stderr}
	c, err := start(cfg, escapeEntry, target)
	if err != nil {
		return nil, err
	}
	if code, err := c.Wait(); err != nil || code != 0 {
		return nil, fmt.Errorf("escape in the container: exit %d, %v: %s", code, err, bytes.TrimSpace(stderr.Bytes()))
	}
	res := &EscapeResult{ContainerRoot: containerRoot}
	if err := json.Unmarshal(stdout.Bytes(), &res.EscapeResult); err != nil {
		return nil, fmt.Errorf("escape in the container: bad report %q: %w", stdout.Bytes(), err)
	}
	res.Escaped = res.Root == hostRoot
	return res, nil
}

// escapeInContainer runs in the init after setup, in place of execCommand:
// os.Args[1] is the target. It writes its report as JSON on stdout.
func escapeInContainer(s spec) (exitCode int, err error) {
	if len(os.Args) != 2 {
		return ExitSetupFailed, fmt.Errorf("usage: %s TARGET", escapeEntry)
	}
	res := chroot.EscapeResult{Target: os.Args[1]}
	res.SeenInJail = readOrError(res.Target)
	rep, err := chroot.Escape()
	if err != nil {
		return ExitSetupFailed, fmt.Errorf("escape: %w", err)
	}
	res.EscapeReport = *rep
	res.SeenOutside = readOrError(res.Target)
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return ExitSetupFailed, fmt.Errorf("escape: report: %w", err)
	}
	return 0, nil
}

func readOrError(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
