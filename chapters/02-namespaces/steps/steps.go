// Package steps holds the workshop's steps of chapter 2, namespaces.
// Their text is in tutorial/02-namespaces.md; package chapters lists them.
package steps

import (
	"bytes"
	"fmt"
	"io"
	"os"

	chrootsteps "github.com/minibox-dev/minibox/chapters/01-chroot/steps"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{ID: "ns.uts", Root: true, Run: runUTS,
			Check: "the container has its own hostname; the host's is unchanged",
			Hint:  "sethostname(2) in a new UTS namespace needs CAP_SYS_ADMIN: run as root"},
		{ID: "ns.pid", Root: true, Run: runPID,
			Check: "the command is PID 1 and sees only the container's processes",
			Hint:  "/proc inside must be a new proc mount, made after the PID namespace exists"},
		{ID: "ns.mount", Root: true, Run: runMount,
			Check: "a mount made in the container is invisible to the host; the host's mount table is unchanged",
			Hint:  "mounts must be made private (MS_REC|MS_PRIVATE) before anything else is mounted"},
		{ID: "ns.ipc", Root: true, Run: runIPC,
			Check: "the host's shared memory segment is invisible in the container",
			Hint:  "the container needs CLONE_NEWIPC"},
		{ID: "ns.net", Root: true, Run: runNet,
			Check: "the container has only lo, and it is up",
			Hint:  "a new network namespace starts with lo down: the init sets IFF_UP on it"},
		{ID: "ns.user", Root: true, Run: runUser,
			Check: "root in the container is uid 100000 on the host",
			Hint:  "the uid_map and gid_map must be written before the init becomes root in the namespace"},
		{ID: "ns.cgroup", Root: true, Run: runCgroupNS,
			Check: "the container sees its own cgroup as /",
			Hint:  "the container needs CLONE_NEWCGROUP"},
		{ID: "ns.view", Root: true, Run: runNSView,
			Check: "every namespace but user and time is the container's own",
			Hint:  "compare the inode numbers in /proc/PID/ns with /proc/self/ns"},
		{ID: "ns.escape", Root: true, Run: runNSEscape,
			Check: "the chapter 1 escape, run in the container, did not reach the host",
			Hint:  "pivot_root must be followed by unmounting the old root"},
	}
}

// inContainer runs argv in a fresh container on the workshop's userland,
// shows it at a "container#" prompt and returns its output.
func inContainer(e *workshop.Env, userNS bool, argv ...string) (string, error) {
	root, err := chrootsteps.Rootfs(e)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	code, err := namespaces.Run(namespaces.Config{Rootfs: root, Args: argv, UserNS: userNS, Stdout: &out, Stderr: &out})
	e.Shell("container#", workshop.ShellQuote(argv), out.String())
	if err != nil {
		return "", err
	}
	if code != 0 {
		return "", fmt.Errorf("%s exited %d in the container", workshop.ShellQuote(argv), code)
	}
	return out.String(), nil
}

// idle is a container that waits (cat on an open pipe) so the host can look
// at it; Stop ends it.
type idle struct {
	c     *namespaces.Container
	stdin io.WriteCloser
}

func startIdle(e *workshop.Env, userNS bool) (*idle, error) {
	root, err := chrootsteps.Rootfs(e)
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	c, err := namespaces.Start(namespaces.Config{Rootfs: root, Args: []string{"cat"}, UserNS: userNS, Stdin: r, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		w.Close()
		return nil, err
	}
	return &idle{c: c, stdin: w}, nil
}

func (i *idle) Stop() error {
	i.stdin.Close()
	_, err := i.c.Wait()
	return err
}

// nsPair shows and returns the inode of one namespace, for the host and for
// the container process pid.
func nsPair(e *workshop.Env, typ string, pid int) (host, ctr string, err error) {
	host, err = os.Readlink("/proc/self/ns/" + typ)
	if err != nil {
		return "", "", err
	}
	ctr, err = os.Readlink(fmt.Sprintf("/proc/%d/ns/%s", pid, typ))
	if err != nil {
		return "", "", err
	}
	e.Shell("host$", "readlink /proc/self/ns/"+typ, host)
	e.Shell("host$", fmt.Sprintf("readlink /proc/%d/ns/%s", pid, typ), ctr)
	return host, ctr, nil
}

// showNamespace starts an idle container and shows its namespace of typ
// beside the host's; it fails unless they differ.
func showNamespace(e *workshop.Env, typ string, userNS bool) error {
	c, err := startIdle(e, userNS)
	if err != nil {
		return err
	}
	host, ctr, err := nsPair(e, typ, c.c.Pid())
	if serr := c.Stop(); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	if host == ctr {
		return fmt.Errorf("the container shares the host's %s namespace", typ)
	}
	return nil
}
