// Package steps holds the workshop's steps of chapter 1, the chroot jail.
// Their text is in tutorial/01-chroot.md; package chapters lists them.
package steps

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// HostOnlyFile is a file every Debian and Ubuntu host has and the busybox
// userland does not: the jail must not see it; the escape reads it.
const HostOnlyFile = "/etc/os-release"

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{
			ID:    "chroot.userland",
			Root:  true, // it writes under /var/lib/minibox, like the steps after it
			Check: "the userland has a static busybox, its applet links and /etc",
			Hint:  "the error above says what is missing; `workshop doctor` checks busybox",
			Run:   runUserland,
		},
		{
			ID:    "chroot.jail",
			Root:  true,
			Check: "the jail sees only the userland: its own /etc/hostname, no host files",
			Hint:  "chroot(2) needs CAP_SYS_CHROOT: run as root",
			Run:   runJail,
		},
		{
			ID:    "chroot.escape",
			Root:  true,
			Check: "the jailed root process escaped and read a host file the jail could not see",
			Hint:  "the escape needs a root process (CAP_SYS_CHROOT) inside the jail",
			Run:   runEscape,
		},
	}
}

func runUserland(e *workshop.Env) error {
	bb, err := chroot.FindBusybox()
	if err != nil {
		return err
	}
	dir := filepath.Join(e.Dir, "rootfs")
	if err := workshop.RemoveTree(dir); err != nil {
		return err
	}
	e.Say("busybox: %s (statically linked: it needs no /lib in the jail)", bb)
	u, err := chroot.BuildUserland(dir, bb)
	if err != nil {
		return err
	}
	e.Say("copied it to %s/bin/busybox and made %d applet links to it", dir, u.Applets)
	names, err := workshop.DirNames(dir)
	if err != nil {
		return err
	}
	e.Shell("host$", "ls "+dir, strings.Join(names, " "))
	link, err := os.Readlink(filepath.Join(dir, "bin/ls"))
	if err != nil {
		return err
	}
	e.Shell("host$", "readlink "+filepath.Join(dir, "bin/ls"), link)
	if err := chroot.CheckStatic(filepath.Join(dir, "bin/busybox")); err != nil {
		return err
	}
	for _, f := range []string{"bin/sh", "etc/passwd", "etc/group", "etc/hostname"} {
		if _, err := os.Lstat(filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("the userland lacks /%s", f)
		}
	}
	return nil
}

func runJail(e *workshop.Env) error {
	root, err := Rootfs(e)
	if err != nil {
		return err
	}
	hostname, err := os.ReadFile("/etc/hostname")
	if err != nil {
		hostname = []byte(err.Error())
	}
	e.Shell("host$", "cat /etc/hostname", string(hostname))

	ls, err := Jailed(e, root, "ls", "/")
	if err != nil {
		return err
	}
	jailHostname, err := Jailed(e, root, "cat", "/etc/hostname")
	if err != nil {
		return err
	}
	hostFile, _ := Jailed(e, root, "cat", HostOnlyFile)

	want, err := workshop.DirNames(root)
	if err != nil {
		return err
	}
	if got := strings.Fields(ls); strings.Join(got, " ") != strings.Join(want, " ") {
		return fmt.Errorf("ls / in the jail shows %v, want the userland's %v", got, want)
	}
	if jailHostname != "minibox\n" {
		return fmt.Errorf("the jail's /etc/hostname is %q, want the userland's \"minibox\"", jailHostname)
	}
	if !strings.Contains(hostFile, "No such file") {
		return fmt.Errorf("the jail can read the host's %s: %q", HostOnlyFile, hostFile)
	}
	return nil
}

// jailed runs argv in the jail at root, shows it as typed at a "jail#"
// prompt, and returns its output (stdout and stderr).
func Jailed(e *workshop.Env, root string, argv ...string) (string, error) {
	cmd, err := chroot.JailCommand(root, argv...)
	if err != nil {
		return "", err
	}
	out, runErr := cmd.CombinedOutput()
	e.Shell("jail#", strings.Join(argv, " "), string(out))
	if runErr != nil && len(out) == 0 {
		return "", fmt.Errorf("%s in the jail: %w", strings.Join(argv, " "), runErr)
	}
	return string(out), nil
}

func runEscape(e *workshop.Env) error {
	root, err := Rootfs(e)
	if err != nil {
		return err
	}
	host, err := os.ReadFile(HostOnlyFile)
	if err != nil {
		return fmt.Errorf("the host has no %s to find: %w", HostOnlyFile, err)
	}
	e.Say("a root process starts in the jail at %s and reads %s:", root, HostOnlyFile)
	res, err := chroot.RunEscape(root, HostOnlyFile)
	if err != nil {
		return err
	}
	ShowEscape(e, res, "then it breaks out:")
	switch {
	case !res.Escaped:
		return fmt.Errorf("the process's / is still not the host's root")
	case res.SeenOutside != string(host):
		return fmt.Errorf("what the escaped process read differs from the host's %s", HostOnlyFile)
	}
	return nil
}

// showEscape tells what an escape attempt did and read, step by step.
func ShowEscape(e *workshop.Env, res *chroot.EscapeResult, then string) {
	e.Say("  %s", res.SeenInJail)
	e.Say("%s", then)
	for _, s := range res.Steps {
		e.Say("  %s", s)
	}
	e.Say("and reads %s again:", res.Target)
	e.Say("  %s", firstLine(res.SeenOutside, "PRETTY_NAME="))
}

// firstLine returns the first line of text starting with prefix, or the
// first line.
func firstLine(text, prefix string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return lines[0]
}

// Rootfs returns the busybox userland of step 1.1, building it if it is not
// there yet, so that any step of any chapter can run on its own.
func Rootfs(e *workshop.Env) (string, error) {
	dir := filepath.Join(e.Dir, "rootfs")
	if _, err := os.Lstat(filepath.Join(dir, "bin/busybox")); err == nil {
		return dir, nil
	}
	bb, err := chroot.FindBusybox()
	if err != nil {
		return "", err
	}
	if err := workshop.RemoveTree(dir); err != nil {
		return "", err
	}
	if _, err := chroot.BuildUserland(dir, bb); err != nil {
		return "", err
	}
	e.Note("(built the busybox userland of step 1.1 in %s)", dir)
	return dir, nil
}
