package chroot

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// JailCommand returns a command that runs argv with root as its "/".
//
// Between fork and exec the child calls chroot(root), so every absolute path
// it resolves from then on starts at root, and then chdir("/"), so its
// working directory is inside the jail too. A chroot without the chdir would
// leave the process standing outside its own root.
//
// The command gets a small clean environment: the host's variables describe
// the host, not the jail.
func JailCommand(root string, argv ...string) (*exec.Cmd, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("jail: no command given: name the program to run, e.g. /bin/sh")
	}
	if fi, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("jail: root %s: %w", root, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("jail: root %s is not a directory", root)
	}
	// exec.Command would look the program up on the host's PATH; it must be
	// found in the jail's own directories instead.
	path, err := lookPathIn(root, argv[0])
	if err != nil {
		return nil, err
	}
	cmd := &exec.Cmd{
		Path: path,
		Args: argv,
		Env:  []string{"PATH=" + Path, "HOME=/root", "TERM=" + Term()},
		Dir:  "/", // Go calls chdir(Dir) after chroot: this is the chdir("/")
		SysProcAttr: &syscall.SysProcAttr{
			Chroot: root,
		},
	}
	return cmd, nil
}

// Path is the PATH inside the jail, and inside every later chapter's
// container: where busybox's links are.
const Path = "/bin:/sbin:/usr/bin:/usr/sbin"

// lookPathIn finds name in the jail's PATH, as the jail will see it. Lstat,
// not Stat: busybox's applet links point at /bin/busybox, which on the host
// would resolve to the host's file, not the jail's.
func lookPathIn(root, name string) (string, error) {
	if strings.Contains(name, "/") {
		if _, err := os.Lstat(filepath.Join(root, name)); err != nil {
			return "", fmt.Errorf("jail: %s: not found inside the jail at %s", name, root)
		}
		return name, nil
	}
	for _, dir := range strings.Split(Path, ":") {
		if _, err := os.Lstat(filepath.Join(root, dir, name)); err == nil {
			return filepath.Join(dir, name), nil
		}
	}
	return "", fmt.Errorf("jail: %s: command not found in the jail's %s", name, strings.ReplaceAll(Path, ":", ", "))
}

// Term is the TERM a jailed or contained program gets: the caller's, so
// that a full-screen program draws as the terminal expects, or "dumb".
func Term() string {
	if t := os.Getenv("TERM"); t != "" {
		return t
	}
	return "dumb"
}
