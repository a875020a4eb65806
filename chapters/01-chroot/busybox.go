package chroot

import (
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrNoBusybox means no busybox binary was found on the host.
var ErrNoBusybox = errors.New("busybox not found: install it with `sudo apt-get install busybox-static`, or point MINIBOX_BUSYBOX at a static busybox")

// FindBusybox returns the path of the host's busybox: $MINIBOX_BUSYBOX if
// set, else the first busybox on $PATH or in /bin or /usr/bin.
func FindBusybox() (string, error) {
	if p := os.Getenv("MINIBOX_BUSYBOX"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("MINIBOX_BUSYBOX=%s: %w", p, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("busybox"); err == nil {
		return filepath.Abs(p)
	}
	for _, p := range []string{"/bin/busybox", "/usr/bin/busybox"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBusybox
}

// CheckStatic returns an error unless path is a statically linked ELF
// executable. Inside a chroot there is no /lib: a dynamically linked program
// cannot find its loader (ld-linux) and fails with a baffling "no such file
// or directory" although the file is right there.
func CheckStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s is not an ELF executable: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			libs, _ := f.ImportedLibraries()
			return fmt.Errorf("%s is dynamically linked (it needs %v); a chroot has no shared libraries: install busybox-static (`sudo apt-get install busybox-static`) or set MINIBOX_BUSYBOX to a static busybox", path, libs)
		}
	}
	return nil
}
