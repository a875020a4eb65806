package namespaces

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// Until it executes the command, a container's init is this binary, and
// so, for an instant, is each process `minibox exec` starts. A process of
// the container can see them, and open /proc/PID/exe: the host's minibox
// binary itself. Held open, that file could be written once minibox
// exits, and the next minibox that root runs would be the container's
// program (CVE-2019-5736, in runc). So the processes the container can see
// run from a copy of the binary in memory, a memfd (memfd_create(2)),
// sealed (F_SEAL_WRITE and the rest): /proc/PID/exe names the copy, which
// nobody can change, and never the host's file.

// SealedSelf is chroot.Self, executing a sealed copy of this binary. The
// caller closes the returned file once the command has started.
func SealedSelf(name string, args ...string) (*exec.Cmd, *os.File, error) {
	copy, err := sealedCopy()
	if err != nil {
		return nil, nil, err
	}
	cmd := chroot.Self(name, args...)
	// The child executes the copy by its descriptor, which it inherits
	// until the exec, and which is far above the 3, 4, 5... of ExtraFiles.
	cmd.Path = fmt.Sprintf("/proc/self/fd/%d", copy.Fd())
	return cmd, copy, nil
}

// sealedCopy copies /proc/self/exe into a new memfd and seals it.
func sealedCopy() (*os.File, error) {
	self, err := os.Open("/proc/self/exe")
	if err != nil {
		return nil, fmt.Errorf("copy this binary: %w", err)
	}
	defer self.Close()
	// MFD_EXEC says the copy is to be executed: since Linux 6.3, sysctl
	// vm.memfd_noexec may make memfds not executable unless asked. An
	// older kernel knows no such flag (EINVAL), and every memfd of its
	// may be executed.
	const flags = unix.MFD_CLOEXEC | unix.MFD_ALLOW_SEALING
	fd, err := unix.MemfdCreate("minibox", flags|unix.MFD_EXEC)
	if errors.Is(err, unix.EINVAL) {
		fd, err = unix.MemfdCreate("minibox", flags)
	}
	if errors.Is(err, unix.EACCES) {
		return nil, fmt.Errorf("memfd_create: %w: this machine forbids executable memfds (sysctl vm.memfd_noexec=2), and minibox runs the container's init from one; set vm.memfd_noexec to 0 or 1", err)
	}
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	high, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 100)
	unix.Close(fd)
	if err != nil {
		return nil, fmt.Errorf("move the memfd: %w", err)
	}
	f := os.NewFile(uintptr(high), "memfd:minibox")
	if _, err := io.Copy(f, self); err != nil {
		f.Close()
		return nil, fmt.Errorf("copy this binary: %w", err)
	}
	if _, err := unix.FcntlInt(f.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		f.Close()
		return nil, fmt.Errorf("seal the copy of this binary: %w", err)
	}
	return f, nil
}

// seals is what a copy must hold for nobody to change it.
const seals = unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE

// checkSealed is the init's first act: it refuses to set a container up
// unless this process runs from a sealed copy. Started any other way, the
// init would hand the container a handle on the host's binary.
func checkSealed() error {
	self, err := os.Open("/proc/self/exe")
	if err != nil {
		return fmt.Errorf("check this binary: %w", err)
	}
	defer self.Close()
	// F_GET_SEALS fails (EINVAL) on a file of a filesystem without seals.
	got, err := unix.FcntlInt(self.Fd(), unix.F_GET_SEALS, 0)
	if err != nil || got&seals != seals {
		exe, _ := os.Readlink("/proc/self/exe")
		return fmt.Errorf("the init runs from %s, not from a sealed copy of this binary (SealedSelf): the container could open it through /proc/1/exe, so it is not set up", exe)
	}
	return nil
}
