// Package steps holds the workshop's steps of chapter 2, namespaces.
// Their text is in tutorial/02-namespaces.md; package chapters lists them.
package steps

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	chrootsteps "github.com/minibox-dev/minibox/chapters/01-chroot/steps"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/workshop"
	"golang.org/x/sys/unix"
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

func runUTS(e *workshop.Env) error {
	before, err := os.Hostname()
	if err != nil {
		return err
	}
	e.Shell("host$", "hostname", before)
	inside, err := inContainer(e, false, "hostname")
	if err != nil {
		return err
	}
	after, err := os.Hostname()
	if err != nil {
		return err
	}
	e.Shell("host$", "hostname", after)
	if strings.TrimSpace(inside) != namespaces.DefaultHostname {
		return fmt.Errorf("the container's hostname is %q, want %q", strings.TrimSpace(inside), namespaces.DefaultHostname)
	}
	if after != before {
		return fmt.Errorf("the host's hostname changed from %q to %q", before, after)
	}
	return showNamespace(e, "uts", false)
}

func runPID(e *workshop.Env) error {
	out, err := inContainer(e, false, "sh", "-c", "echo $$; ps")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || lines[0] != "1" {
		return fmt.Errorf("the shell's PID is %q, want 1", lines[0])
	}
	if procs := len(lines) - 2; procs != 1 { // minus echo's line and ps's header
		return fmt.Errorf("ps in the container lists %d processes, want only itself", procs)
	}
	return showNamespace(e, "pid", false)
}

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

func runNet(e *workshop.Env) error {
	if _, err := e.Host("ls", "/sys/class/net"); err != nil {
		return err
	}
	out, err := inContainer(e, false, "ip", "-o", "link")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "1: lo: <LOOPBACK,UP") {
		return fmt.Errorf("the container's links are %q, want only lo, UP", lines)
	}
	return showNamespace(e, "net", false)
}

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

func runCgroupNS(e *workshop.Env) error {
	if _, err := e.Host("cat", "/proc/self/cgroup"); err != nil {
		return err
	}
	out, err := inContainer(e, false, "cat", "/proc/self/cgroup")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasSuffix(line, ":/") {
			return fmt.Errorf("in the container %q is not at its cgroup root", line)
		}
	}
	e.Say(`in the container every line ends in ":/": its own cgroup is its root`)
	return showNamespace(e, "cgroup", false)
}

func runNSView(e *workshop.Env) error {
	c, err := startIdle(e, false)
	if err != nil {
		return err
	}
	rows, err := namespaces.CompareNamespaces(c.c.Pid())
	e.Say("namespaces of this process and of container process %d:", c.c.Pid())
	if serr := c.Stop(); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimRight(namespaces.FormatNamespaces(rows), "\n"), "\n") {
		e.Say("  %s", line)
	}
	for _, r := range rows {
		shared := r.Type == "user" || r.Type == "time"
		if r.Isolated() == shared {
			return fmt.Errorf("the %s namespace is isolated=%v, want %v", r.Type, r.Isolated(), !shared)
		}
	}
	return nil
}

func runNSEscape(e *workshop.Env) error {
	root, err := chrootsteps.Rootfs(e)
	if err != nil {
		return err
	}
	e.Say("chapter 1's escape runs as the container's init, after pivot_root, and reads %s:", chrootsteps.HostOnlyFile)
	res, err := namespaces.RunEscape(root, chrootsteps.HostOnlyFile)
	if err != nil {
		return err
	}
	chrootsteps.ShowEscape(e, &res.EscapeResult, "then it tries to break out:")
	e.Say("%s", res.Explain())
	if res.Escaped || res.Root != res.ContainerRoot {
		return fmt.Errorf("%s", res.Explain())
	}
	if !strings.Contains(res.SeenOutside, "no such file") {
		return fmt.Errorf("the container read %s after the escape", chrootsteps.HostOnlyFile)
	}
	return nil
}
