// Package steps holds the workshop's steps of chapter 6, security. Their
// text is in tutorial/06-security.md; package chapters lists them.
//
// Each step runs an attack twice with minibox: first with the defence
// turned off by a flag (it works, harmlessly: a mount in the container's
// own mount namespace, a user namespace of its own, a file opened for
// writing and never written), then with minibox's defaults (it fails).
package steps

import (
	"fmt"
	"strings"

	rt "github.com/minibox-dev/minibox/chapters/05-runtime"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime/steps"
	security "github.com/minibox-dev/minibox/chapters/06-security"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{ID: "security.caps", Root: true, Run: runCaps,
			Check: "the container keeps Docker's 14 capabilities, and without CAP_SYS_ADMIN it cannot mount",
			Hint:  "the bounding set limits what even execve of a setuid-root program can give back"},
		{ID: "security.nnp", Root: true, Run: runNNP,
			Check: "a setuid-root program run by nobody stayed nobody, with no capability",
			Hint:  "grep NoNewPrivs /proc/self/status in the container: 1 means no_new_privs is on"},
		{ID: "security.seccomp", Root: true, Run: runSeccomp,
			Check: "the seccomp filter refused a new user namespace that no capability check would have stopped",
			Hint:  "grep Seccomp /proc/self/status in the container: 2 means a filter is installed"},
		{ID: "security.paths", Root: true, Run: runPaths,
			Check: "/proc/sys is read-only and the kernel's secrets in /proc are masked",
			Hint:  "minibox inspect NAME lists the masked and read-only paths"},
		{ID: "security.devices", Root: true, Run: runDevices,
			Check: "the container made a device file for the kernel's log, and the device cgroup refused to open it",
			Hint:  "cgroup v1: devices.list in the container's devices group; v2: bpftool cgroup show on its group"},
		{ID: "security.userns", Root: true, Run: runUserNS,
			Check: "root in a user namespace is uid 100000 on the host, and its CAP_SYS_TIME could not touch the host's clock",
			Hint:  "cat /proc/PID/uid_map on the host: inside, outside, count"},
		{ID: "security.lab", Root: true, Run: runLab,
			Check: "every attack of the lab worked in chapter 1's jail and failed in minibox",
			Hint:  "make attack-lab runs this step; the probe is minibox-probe NAME, in the image minibox-lab"},
	}
}

// attack runs the same container twice: with the defence off (before
// must say it worked), then with the flags on, none for minibox's
// defaults (it must fail, with refused in its output).
func attack(e *workshop.Env, off, on []string, cmd []string, worked, refused string) error {
	run := append([]string{"run", "--rm"}, off...)
	out, code, err := runtime.Minibox(e, append(append(run, "busybox"), cmd...)...)
	if err != nil {
		return err
	}
	if code != 0 || !strings.Contains(out, worked) {
		return fmt.Errorf("with %s the attack should work, and it did not (exit %d): %q", strings.Join(off, " "), code, out)
	}
	run = append([]string{"run", "--rm"}, on...)
	out, code, err = runtime.Minibox(e, append(append(run, "busybox"), cmd...)...)
	if err != nil {
		return err
	}
	if code == 0 || !strings.Contains(out, refused) {
		return fmt.Errorf("with %s the attack should fail with %q, and it did not (exit %d): %q", strings.Join(append([]string{"minibox's defaults"}, on...), " "), refused, code, out)
	}
	return nil
}

func runCaps(e *workshop.Env) error {
	out, err := runtime.MustMinibox(e, "run", "--rm", "busybox", "grep", "Cap", "/proc/self/status")
	if err != nil {
		return err
	}
	for _, set := range []string{"CapPrm", "CapEff", "CapBnd"} {
		if !strings.Contains(out, set+":\t00000000a80425fb") {
			return fmt.Errorf("%s is not Docker's default set 00000000a80425fb: %q", set, out)
		}
	}
	// The filter off both times, so that the capability alone decides.
	unconfined := []string{"--security-opt", "seccomp=unconfined"}
	return attack(e, append(unconfined, "--cap-add", "SYS_ADMIN"), unconfined,
		[]string{"sh", "-c", "mount -t tmpfs none /tmp && echo mounted"}, "mounted", "permission denied")
}

func runSeccomp(e *workshop.Env) error {
	out, err := runtime.MustMinibox(e, "run", "--rm", "busybox", "grep", "Seccomp:", "/proc/self/status")
	if err != nil {
		return err
	}
	if !strings.Contains(out, "Seccomp:\t2") {
		return fmt.Errorf("the container has no seccomp filter: %q", out)
	}
	return attack(e, []string{"--security-opt", "seccomp=unconfined"}, nil,
		[]string{"unshare", "-U", "id", "-u"}, "65534", "Operation not permitted")
}

func runPaths(e *workshop.Env) error {
	open := []string{"sh", "-c", "exec 3>>/proc/sys/kernel/core_pattern && echo opened for writing"}
	if err := attack(e, []string{"--privileged"}, nil, open, "opened for writing", "Read-only file system"); err != nil {
		return err
	}
	out, err := runtime.MustMinibox(e, "run", "--rm", "busybox", "wc", "-c", "/proc/keys")
	if err != nil {
		return err
	}
	if strings.TrimSpace(out) != "0 /proc/keys" {
		return fmt.Errorf("/proc/keys is not masked: %q", out)
	}
	return nil
}

func runDevices(e *workshop.Env) error {
	// CAP_SYSLOG kept, so that only the device cgroup can refuse.
	read := []string{"sh", "-c", "mknod /tmp/kmsg c 1 11 && head -c 1 /tmp/kmsg >/dev/null && echo read the kernel log"}
	return attack(e, []string{"--privileged"}, []string{"--cap-add", "SYSLOG"}, read, "read the kernel log", "Operation not permitted")
}

// setuidScript makes a setuid-root copy of the probe, and runs it as
// nobody: the probe prints the user IDs (real, effective, saved, file
// system) and capabilities it got.
const setuidScript = `mkdir /tmp/s && cp /bin/minibox-probe /tmp/s/ && chmod 4755 /tmp/s/minibox-probe && ` +
	`su -s /bin/sh nobody -c "PATH=/tmp/s:\$PATH minibox-probe status" | grep -E "^(Uid|CapEff)"`

func runNNP(e *workshop.Env) error {
	bin, err := runtime.MiniboxBin()
	if err != nil {
		return err
	}
	if err := (&labEnv{minibox: bin}).makeImage(); err != nil {
		return err
	}
	out, err := runtime.MustMinibox(e, "run", "--rm", "--security-opt", "no-new-privileges=false", labImage, "sh", "-c", setuidScript)
	if err != nil {
		return err
	}
	if !strings.Contains(out, "Uid:\t65534\t0\t") {
		return fmt.Errorf("without no_new_privs the setuid program should run as root (effective UID 0): %q", out)
	}
	out, err = runtime.MustMinibox(e, "run", "--rm", labImage, "sh", "-c", setuidScript)
	if err != nil {
		return err
	}
	if !strings.Contains(out, "Uid:\t65534\t65534\t65534\t65534") || !strings.Contains(out, "CapEff:\t0000000000000000") {
		return fmt.Errorf("with no_new_privs the setuid program should stay nobody, with no capability: %q", out)
	}
	return nil
}

// runUserNS shows a container's root, in a user namespace, as the host
// sees it, then the capability that is worth nothing outside it: the
// same CAP_SYS_TIME that sets the host's clock without one.
func runUserNS(e *workshop.Env) error {
	runtime.Quietly("rm", "-f", "mapped") // a step that was stopped left it
	defer runtime.Quietly("rm", "-f", "mapped")
	if _, err := runtime.MustMinibox(e, "run", "-d", "--name", "mapped", "--userns=remap", "busybox", "sleep", "600"); err != nil {
		return err
	}
	out, err := runtime.MustMinibox(e, "exec", "mapped", "id")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(out, "uid=0(root) gid=0(root)") {
		return fmt.Errorf("inside, the container's user should be root: %q", out)
	}
	s, err := rt.Find(rt.DefaultPaths(), "mapped")
	if err != nil {
		return err
	}
	idMap, err := e.Host("cat", fmt.Sprintf("/proc/%d/uid_map", s.Pid))
	if err != nil {
		return err
	}
	outside, err := security.HostID(idMap, 0)
	if err != nil {
		return err
	}
	// The owner of /proc/PID is the process's uid, as the host sees it
	// (stat, not ps: a minimal Debian has no ps).
	owner, err := e.Host("stat", "-c", "%u", fmt.Sprintf("/proc/%d", s.Pid))
	if err != nil {
		return err
	}
	if outside != 100000 || strings.TrimSpace(owner) != "100000" {
		return fmt.Errorf("root inside should be uid 100000 outside: the map says %d, the host says %q", outside, owner)
	}
	bin, err := runtime.MiniboxBin()
	if err != nil {
		return err
	}
	if err := (&labEnv{minibox: bin}).makeImage(); err != nil {
		return err
	}
	// Everything else off, so that only the user namespace decides.
	clock := []string{"run", "--rm", "--cap-add", "SYS_TIME", "--security-opt", "seccomp=unconfined", labImage, security.ProbeEntry, "clock_adjtime"}
	out, err = runtime.MustMinibox(e, clock...)
	if err != nil {
		return err
	}
	if !strings.Contains(out, "clock_adjtime: allowed") {
		return fmt.Errorf("with CAP_SYS_TIME and no filter, the clock call should get past the permission check: %q", out)
	}
	out, err = runtime.MustMinibox(e, append([]string{clock[0], clock[1], "--userns=remap"}, clock[2:]...)...)
	if err != nil {
		return err
	}
	if !strings.Contains(out, "clock_adjtime: refused (EPERM)") {
		return fmt.Errorf("in a user namespace, CAP_SYS_TIME should not reach the host's clock: %q", out)
	}
	return nil
}
