package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	images "github.com/minibox-dev/minibox/chapters/04-images"
	"golang.org/x/sys/unix"
)

// The supervisor is the process that owns one container, from its start to
// its end: this binary, re-executed (chapter 1's reexec) in a mount
// namespace of its own. It
//
//  1. mounts the container's overlay (chapter 4), in its own namespace:
//     the mount goes when the last process in it does;
//  2. makes the container's cgroup and sets its limits (chapter 3);
//  3. starts the container (chapter 2), putting its init in the cgroup
//     and connecting it to its network (network.go) while the init still
//     waits for its orders;
//  4. reports "started" (or why not) to `minibox run`: its reply
//     (chapter 1's reexec.go);
//  5. waits for the container's PID 1, forwarding the signals it gets;
//  6. records the exit code, removes the cgroup, and exits with that code.
//
// It holds the container's lock (lock.go) all its life: a container whose
// lock is free has no supervisor, whatever its record says.

const supervisorEntry = "minibox-supervisor"

// cgroupPrefix starts the name of every container's cgroup: mb-SHORTID,
// and chapter 3 adds the supervisor's PID.
const cgroupPrefix = "mb-"

func init() { chroot.Register(supervisorEntry, supervisorMain) }

// lockFD is the supervisor's one extra file: the container's lock, held.
const lockFD = chroot.FirstExtraFD

// supervisorArgs are the supervisor's orders.
type supervisorArgs struct {
	Paths  Paths
	ID     string
	Lowers []string // the image's unpacked layers, bottom first
}

// started is the supervisor's reply when the container runs; why it
// could not goes back as an error, with the exit code for it.
type started struct {
	Pid int // the container's PID 1
}

func supervisorMain() {
	var a supervisorArgs
	if err := chroot.Orders(&a); err != nil {
		chroot.Fail(err, ExitRuntime)
	}
	unix.CloseOnExec(lockFD)
	os.Exit(supervise(a))
}

// supervise runs the container and returns the supervisor's exit code,
// in the six steps above.
func supervise(a supervisorArgs) int {
	s, err := LoadState(a.Paths, a.ID)
	if err != nil {
		return tellFailure(err, ExitRuntime)
	}
	sv := &supervision{p: a.Paths, s: s}
	if err := sv.mountRoot(a.Lowers); err != nil { // 1
		return sv.fail(err, ExitRuntime)
	}
	if err := sv.makeCgroup(); err != nil { // 2
		return sv.fail(err, ExitRuntime)
	}
	stdin, stdout, stderr, closeIO, err := containerIO(sv.p, s)
	if err != nil {
		return sv.fail(err, ExitRuntime)
	}
	defer closeIO()
	// Signals for the container: from now on they are forwarded, not
	// obeyed, so Ctrl-C or `kill` reach the command and the bookkeeping
	// below still runs.
	fwd := newForwarder()
	defer fwd.stop()
	c, err := sv.start(stdin, stdout, stderr) // 3
	if err != nil {
		code := ExitRuntime
		var se *namespaces.SetupError
		if errors.As(err, &se) {
			code = se.ExitCode
		}
		return sv.fail(err, code)
	}
	tellStarted(c.Pid()) // 4
	fwd.to(c.Pid())      // 5
	code, waitErr := c.Wait()
	if log, ok := stdout.(*logFile); ok && waitErr == nil {
		waitErr = log.Err() // what the log could not keep, for the record
	}
	sv.end(code, waitErr) // 6
	if err := finish(sv.p, s); err != nil {
		// The exit code still reaches a foreground `minibox run`; ps and
		// inspect will not have it: say so where someone may read it (the
		// terminal, or a detached container's log).
		fmt.Fprintf(stderr, "minibox: container %s exited with code %d, but: %v\n", s.Name, code, err)
	}
	return code
}

// supervision is what the supervisor has made so far, to undo on failure.
type supervision struct {
	p  Paths
	s  *State
	ov *images.Overlay // mounted
	cg cgroups.Cgroup  // made
}

// fail undoes what was made and reports err. A container whose command
// never ran leaves nothing behind: its directory goes, as with --rm; the
// error goes to `minibox run`. The overlay goes first: the directory
// cannot go while it is mounted.
func (sv *supervision) fail(err error, code int) int {
	if sv.cg != nil {
		err = errors.Join(err, sv.cg.Remove())
	}
	err = errors.Join(err, disconnect(sv.p, sv.s))
	if sv.ov != nil {
		err = errors.Join(err, sv.ov.Unmount())
	}
	sv.s.Config.Remove = true
	err = errors.Join(err, finish(sv.p, sv.s))
	return tellFailure(err, code)
}

// mountRoot mounts the root: an overlay of the image's layers, in this
// process's own mount namespace, private first so nothing propagates to
// the host.
func (sv *supervision) mountRoot(lowers []string) error {
	if err := namespaces.MakeMountsPrivate(); err != nil {
		return err
	}
	ov := overlayOf(sv.p, sv.s.ID, lowers)
	for _, d := range []string{ov.Upper, ov.Work, ov.Merged} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if sv.s.Config.UserNS {
		if err := sv.forUserNS(ov); err != nil {
			return err
		}
	}
	if err := ov.Mount(); err != nil {
		return err
	}
	sv.ov = &ov
	return nil
}

// forUserNS readies the overlay of a container with a user namespace,
// whose root is uid HostUID on the host: it must own the root directory
// (the upper layer's, in the overlay), and must be able to reach it from
// the host's /, through the containers' directories. Those get group
// HostGID, with search (x) for the group alone: mode 0710. Search for
// everyone (0711) would let any user of the host into a running
// container's files, and run the setuid programs its root left there, as
// Docker's 0711 did (CVE-2021-41091, fixed the same way).
func (sv *supervision) forUserNS(ov images.Overlay) error {
	if err := os.Lchown(ov.Upper, namespaces.HostUID, namespaces.HostGID); err != nil {
		return err
	}
	for _, dir := range []string{sv.p.Containers(), sv.p.Container(sv.s.ID)} {
		if err := os.Lchown(dir, 0, namespaces.HostGID); err != nil {
			return err
		}
		if err := os.Chmod(dir, 0o710); err != nil {
			return err
		}
	}
	return nil
}

// makeCgroup makes the container's cgroup, its limits set before anything
// runs in it.
func (sv *supervision) makeCgroup() error {
	cg, err := cgroups.New(cgroupPrefix + sv.s.ShortID())
	if err != nil {
		return err
	}
	c := sv.s.Config
	if err := cg.Set(cgroups.Limits{Memory: c.Memory, Pids: c.Pids, CPUs: c.CPUs}); err != nil {
		return errors.Join(err, cg.Remove())
	}
	if err := confineCgroup(c.Confine, cg); err != nil {
		return errors.Join(err, cg.Remove())
	}
	sv.cg = cg
	sv.s.Cgroup = cg.Name()
	return nil
}

// start starts the container, its init joining the cgroup while it still
// waits for its orders, and records it as running. Unrecorded, the
// container must not run: its end would be no one's news.
func (sv *supervision) start(stdin io.Reader, stdout, stderr io.Writer) (*namespaces.Container, error) {
	s := sv.s
	c, err := namespaces.Start(namespaces.Config{
		Rootfs: sv.ov.Merged, Args: s.Config.Args, Env: s.Config.Env, Dir: s.Config.WorkingDir,
		Hostname: s.Hostname(), Terminal: s.Config.Terminal, Confine: s.Config.Confine, UserNS: s.Config.UserNS,
		Started: sv.started,
		Stdin:   stdin, Stdout: stdout, Stderr: stderr,
	})
	if err != nil {
		return nil, err
	}
	s.Status, s.Pid, s.Supervisor, s.Started = Running, c.Pid(), os.Getpid(), time.Now().UTC()
	if s.Config.UserNS {
		s.UIDMap, s.GIDMap = idMap(c.Pid(), "uid_map"), idMap(c.Pid(), "gid_map")
	}
	if err := s.Save(sv.p); err != nil {
		c.Kill()
		c.Wait()
		return nil, err
	}
	return c, nil
}

// started readies the container while its init, pid, waits for its
// orders: in the cgroup, then on its network.
func (sv *supervision) started(pid int) error {
	if err := sv.cg.Add(pid); err != nil {
		return err
	}
	return connect(sv.p, sv.s, pid, sv.ov.Merged)
}

// end records how the command ended, and removes the cgroup (whatever the
// command left running dies with it) and the overlay. waitErr is what
// went wrong while waiting, if anything.
func (sv *supervision) end(code int, waitErr error) {
	s := sv.s
	// Read before the group goes: the OOM kill count says why a SIGKILL
	// came. Unread, the record says so rather than "not OOM-killed".
	stats, err := sv.cg.Stats()
	if err != nil && waitErr == nil {
		waitErr = fmt.Errorf("read the container's cgroup counters (whether the OOM killer ended it is unknown): %w", err)
	}
	if err := sv.cg.Remove(); err != nil && waitErr == nil {
		waitErr = err
	}
	// Its network namespace is gone with its processes: its address is
	// free again.
	if err := disconnect(sv.p, s); err != nil && waitErr == nil {
		waitErr = err
	}
	s.Status, s.ExitCode, s.Finished = Exited, code, time.Now().UTC()
	s.OOMKilled = stats.OOMKills > 0 && code == 128+int(unix.SIGKILL)
	if s.OOMKilled {
		s.Error = fmt.Sprintf("killed by the kernel's OOM killer: the memory limit %s was reached", cgroups.FormatSize(s.Config.Memory))
	} else if waitErr != nil {
		s.Error = waitErr.Error()
	}
	if s.Error != "" && !s.Config.Detach {
		fmt.Fprintln(os.Stderr, "minibox:", s.Error) // in the foreground, say why
	}
	// The overlay last: the container's directory may go next (--rm).
	if err := sv.ov.Unmount(); err != nil && s.Error == "" {
		s.Error = err.Error()
	}
}

// tellStarted tells `minibox run` that the container runs. A reply that
// cannot be sent means that `minibox run` is gone; the supervisor's stderr
// is all that is left.
func tellStarted(pid int) {
	if err := chroot.Reply(started{Pid: pid}); err != nil {
		fmt.Fprintf(os.Stderr, "minibox-supervisor: tell minibox run that PID %d runs: %v\n", pid, err)
	}
}

// tellFailure tells `minibox run` why the container could not start, and
// returns code, for the supervisor to exit with.
func tellFailure(err error, code int) int {
	if rerr := chroot.ReplyError(err, code); rerr != nil {
		fmt.Fprintf(os.Stderr, "minibox-supervisor: %v (and telling minibox run failed: %v)\n", err, rerr)
	}
	return code
}

// idMap reads one of process pid's ID maps, in one line: "0 100000 65536".
func idMap(pid int, file string) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, file))
	if err != nil {
		return "unknown: " + err.Error()
	}
	return strings.Join(strings.Fields(string(b)), " ")
}
