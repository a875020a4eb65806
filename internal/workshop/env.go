package workshop

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// Env is what a step runs with.
type Env struct {
	Out   io.Writer
	Style Style
	// Dir holds what the steps make: the busybox userland and friends.
	// It is $MINIBOX_ROOT/workshop (MINIBOX_ROOT defaults to /var/lib/minibox).
	Dir string
}

// WorkDir returns the directory the steps work in: $MINIBOX_ROOT/workshop.
func WorkDir() string { return filepath.Join(images.Root(), "workshop") }

// Rootfs returns the busybox userland of step 1.1, building it if it is not
// there yet, so any step can run on its own.
func (e *Env) Rootfs() (string, error) {
	dir := filepath.Join(e.Dir, "rootfs")
	if _, err := os.Lstat(filepath.Join(dir, "bin/busybox")); err == nil {
		return dir, nil
	}
	bb, err := chroot.FindBusybox()
	if err != nil {
		return "", err
	}
	if err := RemoveTree(dir); err != nil {
		return "", err
	}
	if _, err := chroot.BuildUserland(dir, bb); err != nil {
		return "", err
	}
	e.Note("(built the busybox userland of step 1.1 in %s)", dir)
	return dir, nil
}

// Say prints a line of explanation.
func (e *Env) Say(format string, args ...any) {
	fmt.Fprintf(e.Out, "  "+format+"\n", args...)
}

// Note prints a line in a quieter style.
func (e *Env) Note(format string, args ...any) {
	fmt.Fprintln(e.Out, "  "+e.Style.Dim(fmt.Sprintf(format, args...)))
}

// Shell shows a command as typed at a prompt ("host$", "jail#"), then its
// output, indented.
func (e *Env) Shell(prompt, command, output string) {
	fmt.Fprintf(e.Out, "  %s %s\n", e.Style.Prompt(prompt), command)
	output = strings.TrimRight(output, "\n")
	if output == "" {
		return
	}
	for _, line := range strings.Split(output, "\n") {
		fmt.Fprintf(e.Out, "  %s\n", line)
	}
}
