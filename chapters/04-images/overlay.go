package images

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// overlayfs merges directories: the lowerdirs, read-only, stacked with the
// top one first, and one upperdir, writable, on top of them all. Reading a
// file finds it in the topmost directory that has it. Writing a lower file
// first copies it up into the upperdir ("copy-up"); deleting one leaves a
// whiteout in the upperdir (whiteout.go). The lower directories never
// change, so any number of overlays can share them. workdir is overlay's
// scratch space, empty, on the same filesystem as upperdir.

// Overlay describes an overlay mount.
type Overlay struct {
	Lower  []string // read-only layers, bottom first (as in a manifest)
	Upper  string   // the writable layer; "" for a read-only overlay
	Work   string   // overlay's scratch directory, beside Upper
	Merged string   // the mount point
}

// Options returns the mount(2) data. overlay wants lowerdir top first, the
// opposite of a manifest's order. redirect_dir and metacopy off keep every
// change a whole file or directory in the upperdir, which is what a commit
// turns into a layer; index off, as the lowerdirs are shared.
//
//workshop:exercise img.overlay
func (o Overlay) Options() (string, error) {
	if len(o.Lower) == 0 {
		return "", fmt.Errorf("overlay on %s: no lower directory", o.Merged)
	}
	top := make([]string, len(o.Lower))
	for i, l := range o.Lower {
		top[len(o.Lower)-1-i] = l
	}
	opts := []string{"lowerdir=" + strings.Join(top, ":")}
	if o.Upper != "" {
		opts = append(opts, "upperdir="+o.Upper, "workdir="+o.Work)
	}
	for _, p := range append(append([]string{}, o.Lower...), o.Upper, o.Work) {
		if strings.ContainsAny(p, ":,") {
			return "", fmt.Errorf("overlay: the path %q holds a ':' or ',', which mount options cannot carry", p)
		}
	}
	opts = append(opts, "redirect_dir=off", "metacopy=off", "index=off")
	data := strings.Join(opts, ",")
	if len(data) >= unix.Getpagesize() {
		return "", fmt.Errorf("overlay on %s: the options are %d bytes, more than a page: too many layers, or paths too long", o.Merged, len(data))
	}
	return data, nil
}

// Mount mounts the overlay. Call it only in a private mount namespace
// (RunTask): a mount in the host's namespace would outlive the program.
func (o Overlay) Mount() error {
	data, err := o.Options()
	if err != nil {
		return err
	}
	if err := unix.Mount("overlay", o.Merged, "overlay", 0, data); err != nil {
		return fmt.Errorf("mount overlay on %s (%s): %w", o.Merged, data, err)
	}
	return nil
}

// Unmount unmounts it.
func (o Overlay) Unmount() error {
	if err := unix.Unmount(o.Merged, 0); err != nil {
		return fmt.Errorf("unmount the overlay on %s: %w", o.Merged, err)
	}
	return nil
}
