package chroot

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A userland is what a distribution ships above its kernel: a shell, the
// tools, /etc. busybox packs several hundred tools ("applets") into one
// static binary that picks the tool to run from argv[0], so a whole userland
// is that binary plus one link per applet and a few files in /etc.

// Userland describes a userland built by BuildUserland.
type Userland struct {
	Dir     string // the root directory
	Applets int    // number of applet links made
}

// etcFiles are the few files a userland needs: who root is, and a hostname
// of its own to tell the jail from the host.
var etcFiles = map[string]string{
	"etc/passwd":   "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
	"etc/group":    "root:x:0:\nnogroup:x:65534:\n",
	"etc/hostname": "minibox\n",
}

// emptyDirs are mount points and scratch space: empty in chapter 1; chapter 2
// mounts /proc, /sys and /dev on them.
var emptyDirs = []string{"proc", "sys", "dev", "tmp", "root", "etc"}

// BuildUserland makes dir into a busybox userland: busybox at /bin/busybox,
// a symlink for every applet it offers, /etc/passwd, /etc/group,
// /etc/hostname and empty /proc /sys /dev /tmp. dir must be empty or absent.
func BuildUserland(dir, busybox string) (*Userland, error) {
	if err := CheckStatic(busybox); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	existed := err == nil
	switch {
	case existed && len(entries) > 0:
		return nil, fmt.Errorf("build userland in %s: directory is not empty; remove it or choose another", dir)
	case err != nil && !os.IsNotExist(err):
		return nil, fmt.Errorf("build userland in %s: %w", dir, err)
	}
	u, err := buildUserland(dir, busybox)
	if err != nil {
		// Leave nothing half-built behind, and keep a directory we were given.
		if cerr := cleanUp(dir, existed); cerr != nil {
			return nil, fmt.Errorf("build userland in %s: %w (and cleaning up: %v)", dir, err, cerr)
		}
		return nil, fmt.Errorf("build userland in %s: %w", dir, err)
	}
	return u, nil
}

func buildUserland(dir, busybox string) (*Userland, error) {
	for _, d := range append([]string{"bin"}, emptyDirs...) {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	// os.FileMode has its own sticky bit: 0o1777 would drop it.
	if err := os.Chmod(filepath.Join(dir, "tmp"), 0o777|os.ModeSticky); err != nil {
		return nil, err
	}
	if err := CopyFile(busybox, filepath.Join(dir, "bin/busybox"), 0o755); err != nil {
		return nil, err
	}
	applets, err := listApplets(busybox)
	if err != nil {
		return nil, err
	}
	n, err := linkApplets(dir, applets)
	if err != nil {
		return nil, err
	}
	for name, content := range etcFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	return &Userland{Dir: dir, Applets: n}, nil
}

// linkApplets makes, under dir, a symlink to /bin/busybox at each applet's
// path ("bin/ls", "usr/bin/awk"), and returns how many it made. Started
// through a link, busybox reads the link's name in argv[0] and becomes
// that tool. The target is absolute: in the jail, /bin/busybox is the
// userland's own copy.
//
//workshop:exercise chroot.applets
func linkApplets(dir string, applets []string) (int, error) {
	n := 0
	for _, a := range applets {
		// /linuxrc is busybox's init for old initrds: not a tool, so not in /.
		if a == "bin/busybox" || !strings.Contains(a, "/") {
			continue
		}
		link := filepath.Join(dir, a)
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			return 0, err
		}
		if err := os.Symlink("/bin/busybox", link); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// cleanUp removes dir, or only its contents if it existed before.
func cleanUp(dir string, existed bool) error {
	if !existed {
		return os.RemoveAll(dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// listApplets asks busybox where each applet lives ("bin/ls", "usr/bin/awk").
func listApplets(busybox string) ([]string, error) {
	out, err := exec.Command(busybox, "--list-full").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --list-full: %w", busybox, err)
	}
	return ParseAppletList(out)
}

// ParseAppletList parses the output of `busybox --list-full`: one relative
// path per line. It rejects paths that would land outside the userland.
func ParseAppletList(out []byte) ([]string, error) {
	var paths []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if p == "" {
			continue
		}
		clean := filepath.Clean(p)
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
			return nil, fmt.Errorf("applet path %q points outside the userland", p)
		}
		paths = append(paths, clean)
	}
	if len(paths) == 0 {
		return nil, errors.New("busybox listed no applets")
	}
	return paths, sc.Err()
}

// CopyFile copies the file src to a new file dst with permissions mode:
// an existing dst is an error, never overwritten.
func CopyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
