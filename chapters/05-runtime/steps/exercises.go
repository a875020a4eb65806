package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "rt.defaults", Step: "runtime.hello", Minutes: 5,
			Tests: []string{"TestWithImageDefaults"},
			Todo: "Fill in what the run did not say from the image's config: the command (the image's Entrypoint, " +
				"then the run's arguments or else the image's Cmd), the environment (the run's variables over the image's), " +
				"the working directory. The image is shared by every container of it: change none of its slices.",
			Hints: []string{
				"An image is its layers and a config (chapter 4); `minibox run busybox` with no command runs the config's Cmd. The run's own Config wins wherever it says something.",
				"No syscall yet: what you make here becomes the init's execve(2) argv, envp and chdir(2) (man 2 execve). Chapter 4's img.Command(args) joins Entrypoint and Cmd; chapter 2's namespaces.MergeEnv(env, extra) merges variables into a new slice.",
				"ic := img.Config.Config; cfg.Args = img.Command(cfg.Args); cfg.Env = namespaces.MergeEnv(ic.Env, cfg.Env); if cfg.WorkingDir == \"\" { cfg.WorkingDir = ic.WorkingDir }; return cfg",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise rt\.defaults is not written yet`, Hint: "The stub is still there: replace its panic with the merge, and return cfg."},
				{Output: `changed the image's config|the first config changed`, Hint: "Your result shares memory with the image's slices: append to a copy (slices.Clone), or let namespaces.MergeEnv and img.Command make new slices."},
			},
		},
		{
			ID: "rt.lock", Step: "runtime.detach", Minutes: 10,
			Tests: []string{"TestTryLock"},
			Todo: "Take the flock(2) on the existing file path without waiting: LOCK_EX|LOCK_NB. A lock someone holds " +
				"(EWOULDBLOCK) is an answer, nil, nil: a supervisor looks after that container; a free lock means nobody does.",
			Hints: []string{
				"A detached container's supervisor holds its lock all its life, and the kernel drops the lock when the supervisor dies. So \"is someone holding it?\" is asked by trying to take it, and never waiting.",
				"flock(2) is unix.Flock(fd, how) in golang.org/x/sys/unix: unix.LOCK_EX for an exclusive lock, | unix.LOCK_NB to fail at once with unix.EWOULDBLOCK when it is held. man 2 flock.",
				"f, err := os.OpenFile(path, os.O_RDWR, 0); if err != nil { return nil, err }; if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil { f.Close(); if err == unix.EWOULDBLOCK { return nil, nil }; return nil, fmt.Errorf(\"lock %s: %w\", path, err) }; return &Lock{f: f}, nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise rt\.lock is not written yet`, Hint: "The stub is still there: open the file, then try unix.Flock with LOCK_EX|LOCK_NB."},
				{Output: `waited for a held lock`, Hint: "Without unix.LOCK_NB, flock(2) waits until the holder lets go: for a running container, until it exits."},
				{Output: `held lock: .*resource temporarily unavailable`, Hint: "EWOULDBLOCK means \"held\": that is the answer nil, nil, not an error. Close the file first."},
				{Output: `not exclusive`, Hint: "Two holders at once: the lock is shared. Ask for unix.LOCK_EX, not LOCK_SH."},
				{Output: `missing file: .*want an error that is os.ErrNotExist`, Hint: "Open the file as it is (os.O_RDWR, no O_CREATE) and return os.OpenFile's error unwrapped: Reconcile checks it with errors.Is(err, os.ErrNotExist)."},
			},
		},
		{
			ID: "rt.setns", Step: "runtime.exec", Minutes: 10, Root: true,
			Tests: []string{"TestDetachedLifecycle"},
			Todo: "Move this thread into each of the container's namespaces with setns(2), in joinOrder (mnt last): " +
				"fds[i] is open on /proc/PID/ns/joinOrder[i].name of the container's PID 1. Wrap each error with the namespace's name.",
			Hints: []string{
				"A namespace is a file in /proc/PID/ns; enter has opened them all already (after the mount namespace, the host's /proc is out of sight). One call per namespace moves the thread in.",
				"setns(2) is unix.Setns(fd, nstype) in golang.org/x/sys/unix; nstype is the CLONE_NEW* flag of the namespace, which the kernel checks against the file. man 2 setns.",
				"for i, ns := range joinOrder { if err := unix.Setns(fds[i], ns.flag); err != nil { return fmt.Errorf(\"setns %s: %w\", ns.name, err) } }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise rt\.setns is not written yet`, Hint: "The stub is still there: call unix.Setns for each entry of joinOrder."},
				{Output: `setns \w+: invalid argument`, Hint: "EINVAL: the flag is not the namespace of the file. fds[i] goes with joinOrder[i].flag."},
				{Output: `namespace: exec'd|want the short ID`, Hint: "The exec'd process is not in all of the container's namespaces: did every entry of joinOrder get its setns?"},
			},
		},
		{
			ID: "rt.find", Step: "runtime.many", Minutes: 10,
			Tests: []string{"TestFindInRecords", "TestFind"},
			Todo: "Find the container ref names, as docker does: a name or a whole ID first; else the one ID that starts " +
				"with ref. No match is ErrNoSuchContainer (wrapped, with the ref); two matches are an error too: never guess.",
			Hints: []string{
				"With many containers, a user names one by its name or by the start of its ID, like a git commit. A name comes first: a container may be named like the start of another's ID.",
				"No syscall: the records are read already (List). strings.HasPrefix tells a prefix; fmt.Errorf(\"%w: ...\", ErrNoSuchContainer, ...) keeps the error comparable with errors.Is.",
				"if ref == \"\" { return nil, fmt.Errorf(\"%w: empty name\", ErrNoSuchContainer) }; a loop returning s when s.Name == ref || s.ID == ref; a loop collecting s with strings.HasPrefix(s.ID, ref); switch len(match): 1 → it; 0 → ErrNoSuchContainer; more → \"%s matches %d containers: give more of the ID\"",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise rt\.find is not written yet`, Hint: "The stub is still there: look for a name or whole ID, then for prefixes."},
				{Output: `find\("abc1"\)`, Hint: "A name wins over an ID prefix: look for names in a first loop over all records, before any prefix."},
				{Output: `find\(""\)`, Hint: "Every ID starts with \"\": refuse an empty ref before looking."},
				{Output: `errors\.Is\(.*ErrNoSuchContainer\)|is not ErrNoSuchContainer`, Hint: "Wrap ErrNoSuchContainer with %w, so that callers can tell \"no such container\" from other errors."},
			},
		},
		{
			ID: "rt.commit", Step: "runtime.commit", Minutes: 10, Root: true,
			Tests: []string{"TestImagesAndContainers"},
			Todo: "Make container s's changes a new image newRef: find its image (containerImage), and " +
				"commit its overlay's upper directory on that image with chapter 4's store.Commit, with the history line " +
				"\"minibox commit NAME (ARGS)\". (Commit, which calls it, has found the container and frozen it if it runs.)",
			Hints: []string{
				"A container is its image's layers, read-only, under an upper directory of its own where every write lands (overlayfs). That upper directory, whiteouts and all, is the new top layer.",
				"No new syscall: the container's upper directory is overlayOf(p, s.ID, nil).Upper, chapter 4's overlay mount (the kernel's Documentation/filesystems/overlayfs.rst), and store.Commit(base, upper, ref, createdBy) writes the layer and the image.",
				"store, img, _, err := containerImage(p, s); ov := overlayOf(p, s.ID, nil); return store.Commit(img, ov.Upper, newRef, \"minibox commit \"+s.Name+\" (\"+strings.Join(s.Config.Args, \" \")+\")\")",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise rt\.commit is not written yet`, Hint: "The stub is still there: find the container's image and commit its upper directory."},
				{Output: `a container of the committed image`, Hint: "The new image does not hold the container's changes: commit its upper directory (ov.Upper), not merged (unmounted once the container exited) or a lower layer."},
			},
		},
		{
			ID: "rt.exitcode", Step: "runtime.limits", Minutes: 5,
			Tests: []string{"TestShellCode", "TestExitStatusOfAKilledProcess"},
			Todo: "Turn the wait status of a reaped process into a shell's exit code: its own exit code, or, if a signal " +
				"killed it, 128+N and the signal N. An OOM-killed container is 128+9, 137.",
			Hints: []string{
				"A process ends one of two ways: it calls exit(code), or a signal kills it (the OOM killer sends SIGKILL). A shell folds both into one number, and so does docker.",
				"wait4(2) gives a status word; unix.WaitStatus in golang.org/x/sys/unix reads it: ws.Signaled() and ws.Signal() for a kill, ws.ExitStatus() for an exit. man 2 wait (WIFSIGNALED, WTERMSIG, WEXITSTATUS).",
				"if ws.Signaled() { return 128 + int(ws.Signal()), ws.Signal() }; return ws.ExitStatus(), 0",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise rt\.exitcode is not written yet`, Hint: "The stub is still there: replace its panic with the two cases."},
				{Output: `= -1, `, Hint: "ws.ExitStatus() is -1 for a process a signal killed: ask ws.Signaled() first."},
				{Output: `= 9, killed`, Hint: "A shell reports a kill by signal N as 128+N: 137 for SIGKILL's 9, so that it cannot be mistaken for an exit code."},
			},
		},
		{
			ID: "rt.stop", Step: "runtime.stop", Minutes: 10, Root: true,
			Tests: []string{"TestDetachedLifecycle"},
			Todo: "Stop running container s as docker stop does: SIGTERM to its PID 1 (Kill), wait up to timeout for it " +
				"to exit (waitExited), and only then SIGKILL, and wait again. Return once its supervisor has written its last record.",
			Hints: []string{
				"SIGTERM asks; a PID 1 without a handler for it (sh, sleep) never hears it, since the kernel drops such signals to a namespace's init. SIGKILL always works, but leaves the program no say: so ask first, and force only after the timeout.",
				"kill(2) is unix.Kill in golang.org/x/sys/unix; Kill(p, ref, unix.SIGTERM) here sends it to the container's PID 1. waitExited(p, s, timeout) waits for the supervisor's lock to be free: the record is final then. man 2 kill, man 7 signal.",
				"if err := Kill(p, ref, unix.SIGTERM); err != nil { return err }; if waitExited(p, s, timeout) != nil { if err := Kill(p, ref, unix.SIGKILL); err != nil && supervised(p, s) { return err }; if err := waitExited(p, s, 10*time.Second); err != nil { return err } }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise rt\.stop is not written yet`, Hint: "The stub is still there: SIGTERM, wait, then SIGKILL."},
				{Output: `want exited, 0 \(its trap ran\)`, Hint: "The container that handles SIGTERM did not get to: send SIGTERM first, and wait the timeout before any SIGKILL."},
				{Output: `did not exit within|exit code \d+, want 137`, Hint: "sleep as PID 1 ignores SIGTERM: after the timeout send SIGKILL, then wait for its supervisor (waitExited) before you return."},
				{Output: `stop took`, Hint: "Wait up to the timeout after SIGTERM, not less and not forever: waitExited(p, s, timeout)."},
			},
		},
	}
}
