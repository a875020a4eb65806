package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "chroot.applets", Step: "chroot.userland", Minutes: 10,
			Tests: []string{"TestBuildUserland"},
			Todo: "Make the userland's tools: for each applet path busybox listed (\"bin/ls\", \"usr/bin/awk\"), " +
				"make its directory under dir and a symlink there to /bin/busybox, with symlink(2). " +
				"Skip bin/busybox itself (the binary is already there) and names without a \"/\" (linuxrc: busybox's init for old initrds, not a tool), " +
				"and return how many links you made.",
			Hints: []string{
				"busybox picks its tool from argv[0], the name it was started by: a link named ls that points at busybox starts it as ls. The target is the absolute /bin/busybox: inside the jail, that is the userland's own copy.",
				"symlink(2) is os.Symlink(target, linkpath) in Go (unix.Symlink in golang.org/x/sys/unix is the bare call), and os.MkdirAll makes the missing directories (mkdir(2)). man 2 symlink.",
				"for _, a := range applets { if a == \"bin/busybox\" || !strings.Contains(a, \"/\") { continue }; link := filepath.Join(dir, a); os.MkdirAll(filepath.Dir(link), 0o755); os.Symlink(\"/bin/busybox\", link); n++ }; return n, nil, checking each error",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise chroot\.applets is not written yet`, Hint: "The stub is still there: replace its return with the loop that makes the links."},
				{Output: `symlink .*: file exists`, Hint: "A link is made where a file already is: bin/busybox is the binary itself, copied in before the links. Skip it."},
				{Output: `symlink .*: no such file or directory`, Hint: "Some applets live in directories the userland does not have yet (sbin, usr/bin): make the link's directory first, with os.MkdirAll."},
				{Output: `want a link to /bin/busybox`, Hint: "The links must point at exactly /bin/busybox: not at the host's busybox, nor at the copy's path under dir."},
				{Output: `only \d+ applet links`, Hint: "Count every link you make, and return the count."},
				{Output: `/linuxrc: .*want no link`, Hint: "linuxrc has no \"/\" in its name: it is busybox's init for old initrds, not a tool. Skip names without a directory."},
			},
		},
		{
			ID: "chroot.jail", Step: "chroot.jail", Minutes: 5, Root: true,
			Tests: []string{"TestEnterJail", "TestEscapeReadsAHostFile"},
			Todo: "Jail the calling process in root: chroot(2) to root, so that paths starting with \"/\" begin there, " +
				"then chdir(2) to \"/\", so that the working directory is inside the jail too. " +
				"Wrap each error with what you were doing.",
			Hints: []string{
				"chroot changes only where paths starting with \"/\" begin. The working directory stays where it was, outside the new root, until you move it.",
				"chroot(2) is unix.Chroot(path) and chdir(2) is unix.Chdir(path), in golang.org/x/sys/unix. man 2 chroot, man 2 chdir.",
				"if err := unix.Chroot(root); err != nil { return fmt.Errorf(\"chroot %s: %w\", root, err) }; the same for unix.Chdir(\"/\"); return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise chroot\.jail is not written yet`, Hint: "The stub is still there: replace its return with the chroot and the chdir."},
				{Output: `working directory is not the jail's /`, Hint: "The chroot worked, but the working directory was left outside the new root: chdir(\"/\") after the chroot, not before."},
				{Output: `/etc/hostname in the jail = .*want the userland's`, Hint: "The process still reads the host's files: is unix.Chroot given root?"},
			},
		},
		{
			ID: "chroot.escape", Step: "chroot.escape", Minutes: 10, Root: true,
			Tests: []string{"TestClimbToTop", "TestEscapeReadsAHostFile"},
			Todo: "Climb to the top: chdir(2) to \"..\" until \".\" and \"..\" are the same directory " +
				"(same device and inode, as StatID gives them from stat(2)), at most maxClimb times, and return how many times you climbed. " +
				"Outside its root, nothing stops a process's \"..\": this climb is what reaches the host's root.",
			Hints: []string{
				"At the top of a file tree, \"..\" is the directory itself. Compare the two by what they are, device and inode, not by name: StatID gives both, and check before each step up, so that from / the count is 0.",
				"stat(2) is unix.Stat (StatID wraps it) and chdir(2) is unix.Chdir, in golang.org/x/sys/unix. man 2 chdir, man 2 stat; man 7 path_resolution says where \"..\" stops.",
				"climbed := 0; for ; climbed < maxClimb; climbed++ { dot, err := StatID(\".\"); dotdot, err := StatID(\"..\"); if dot == dotdot { break }; unix.Chdir(\"..\") }; return climbed, nil, checking each error",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise chroot\.escape is not written yet`, Hint: "The stub is still there: replace its return with the loop that climbs."},
				{Output: `climbed \d+ times from`, Hint: "The count is off: count only the chdir(\"..\") calls, and look for the top before each one, so that from / the answer is 0."},
				{Output: `want the top`, Hint: "The climb stopped short of the top: go on until \".\" and \"..\" are the same directory, StatID's Dev and Ino both."},
			},
		},
	}
}
