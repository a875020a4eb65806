package runtime_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"golang.org/x/sys/unix"
)

func mkdirState(p runtime.Paths, s *runtime.State) error {
	if err := os.MkdirAll(p.Container(s.ID), 0o700); err != nil {
		return err
	}
	return s.Save(p)
}

// TestDetachedLifecycle follows a detached container from run to prune:
// it is listed as running, its output is in its log, exec joins it, stop
// ends it (SIGTERM for a command that handles it, SIGKILL after the
// timeout for one that does not), rm refuses a running one unless forced.
func TestDetachedLifecycle(t *testing.T) {
	p := newPaths(t)
	web := detach(t, p, "web", "sh", "-c", `trap "echo bye; exit 0" TERM; echo started; while true; do sleep 0.1; done`)
	detach(t, p, "sleeper", "sleep", "1000")

	all, err := runtime.List(p)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range all {
		names = append(names, s.Name+" "+string(s.Status))
	}
	if want := []string{"sleeper running", "web running"}; !slices.Equal(names, want) {
		t.Errorf("List: %q, want %q (newest first)", names, want)
	}
	waitFor(t, "web's log", 5*time.Second, func() bool { return logs(t, p, "web") == "started\n" })

	t.Run("exec", func(t *testing.T) { testExec(t, p, web) })

	t.Run("rm refuses a running container", func(t *testing.T) {
		_, err := runtime.Remove(p, "sleeper", false)
		if err == nil || !strings.Contains(err.Error(), "minibox rm -f sleeper") {
			t.Errorf("Remove(sleeper) without force: %v, want an error that suggests rm -f", err)
		}
	})

	t.Run("stop with SIGTERM", func(t *testing.T) {
		s, err := runtime.Stop(p, "web", 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status != runtime.Exited || s.ExitCode != 0 {
			t.Errorf("after stop: %s, exit code %d; want exited, 0 (its trap ran)", s.Status, s.ExitCode)
		}
		if got := logs(t, p, "web"); got != "started\nbye\n" {
			t.Errorf("log %q, want the trap's bye", got)
		}
		if namespaces.Running(web.Pid) {
			t.Errorf("PID %d still runs", web.Pid)
		}
	})

	t.Run("stop with SIGKILL after the timeout", func(t *testing.T) {
		start := time.Now()
		s, err := runtime.Stop(p, "sleeper", 500*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 500*time.Millisecond || took > 5*time.Second {
			t.Errorf("stop took %v, want the timeout and a little", took)
		}
		if s.ExitCode != 128+int(unix.SIGKILL) {
			t.Errorf("exit code %d, want 137", s.ExitCode)
		}
	})

	t.Run("exec into a stopped container", func(t *testing.T) {
		code, err := runtime.Exec(p, "web", runtime.ExecOptions{Args: []string{"true"}})
		if code != runtime.ExitRuntime || err == nil || !strings.Contains(err.Error(), "container web is not running (Exited (0)") || !strings.Contains(err.Error(), "minibox run") {
			t.Errorf("exec into a stopped container: %d, %v", code, err)
		}
	})

	t.Run("rm -f", func(t *testing.T) {
		forced := detach(t, p, "forced", "sleep", "1000")
		if _, err := runtime.Remove(p, "forced", true); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p.Container(forced.ID)); !os.IsNotExist(err) {
			t.Errorf("its directory is still there: %v", err)
		}
		if namespaces.Running(forced.Pid) {
			t.Errorf("its PID %d still runs", forced.Pid)
		}
	})

	t.Run("prune", func(t *testing.T) {
		names, err := runtime.Prune(p)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(names)
		if want := []string{"sleeper", "web"}; !slices.Equal(names, want) {
			t.Errorf("Prune removed %q, want %q", names, want)
		}
		if n := count(t, p); n != 0 {
			t.Errorf("%d containers after prune", n)
		}
	})
}

func logs(t *testing.T, p runtime.Paths, ref string) string {
	t.Helper()
	var out bytes.Buffer
	if err := runtime.Logs(p, ref, &out, false); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// testExec checks that an exec'd process is in every namespace of the
// container's PID 1 (same /proc/PID/ns inodes), and in its cgroup.
func testExec(t *testing.T, p runtime.Paths, s *runtime.State) {
	var out bytes.Buffer
	code, err := runtime.Exec(p, s.Name, runtime.ExecOptions{Args: []string{"hostname"}, Stdout: &out, Stderr: &out})
	if err != nil || code != 0 || out.String() != s.ShortID()+"\n" {
		t.Errorf("exec hostname: code %d, %v, output %q; want the short ID", code, err, out.String())
	}
	// The environment is the one the container's command got (chapter 2's),
	// with exec's -e on top: HOSTNAME and TERM included.
	out.Reset()
	code, err = runtime.Exec(p, s.Name, runtime.ExecOptions{Args: []string{"sh", "-c", `echo "$HOSTNAME $TERM $HOME $X"`},
		Env: []string{"X=from-exec"}, Stdout: &out, Stderr: &out})
	if want := s.ShortID() + " " + chroot.Term() + " /root from-exec\n"; err != nil || code != 0 || out.String() != want {
		t.Errorf("exec echo $HOSTNAME $TERM $HOME $X: code %d, %v, output %q; want %q", code, err, out.String(), want)
	}
	// A host directory held open without close-on-exec, as a shell's
	// `exec 7</` would, stays out of the exec'd command.
	if host, err := os.Open(t.TempDir()); err == nil {
		if err := unix.Dup2(int(host.Fd()), 42); err == nil {
			out.Reset()
			runtime.Exec(p, s.Name, runtime.ExecOptions{Args: []string{"sh", "-c", "[ -e /proc/self/fd/42 ] && echo leaked || echo closed"}, Stdout: &out, Stderr: &out})
			unix.Close(42)
			if out.String() != "closed\n" {
				t.Errorf("exec with fd 42 open on the host: %q, want it closed in the container", out.String())
			}
		}
		host.Close()
	}
	code, err = runtime.Exec(p, s.Name, runtime.ExecOptions{Args: []string{"sh", "-c", "exit 4"}})
	if err != nil || code != 4 {
		t.Errorf("exec sh -c 'exit 4': code %d, %v", code, err)
	}
	out.Reset()
	code, err = runtime.Exec(p, s.Name, runtime.ExecOptions{Args: []string{"nosuchcommand"}, Stderr: &out})
	if code != runtime.ExitNotFound || err == nil || !strings.Contains(err.Error(), "nosuchcommand: command not found") || runtime.ExitCode(err) != code {
		t.Errorf("exec nosuchcommand: code %d, %v, %q; want 127 and an error that says so", code, err, out.String())
	}

	// A process that stays a while, to be looked at from the host.
	done := make(chan error, 1)
	go func() {
		_, err := runtime.Exec(p, s.Name, runtime.ExecOptions{Args: []string{"sleep", "2.5"}})
		done <- err
	}()
	cg, err := cgroups.Open(s.Cgroup)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	waitFor(t, "the exec'd sleep in the container's cgroup", 5*time.Second, func() bool {
		pid = findInCgroup(t, cg, "sleep\x002.5\x00")
		return pid != 0
	})
	for _, ns := range []string{"ipc", "uts", "net", "pid", "cgroup", "mnt"} {
		want, err1 := os.Readlink(fmt.Sprintf("/proc/%d/ns/%s", s.Pid, ns))
		got, err2 := os.Readlink(fmt.Sprintf("/proc/%d/ns/%s", pid, ns))
		if err1 != nil || err2 != nil || got != want {
			t.Errorf("%s namespace: exec'd %q, PID 1 %q (%v, %v)", ns, got, want, err1, err2)
		}
	}
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// findInCgroup returns the PID of the process in cg whose command line is
// cmdline, or 0.
func findInCgroup(t *testing.T, cg cgroups.Cgroup, cmdline string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(cg.Dirs()[0], "cgroup.procs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(data)) {
		var pid int
		fmt.Sscan(f, &pid)
		if c, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); string(c) == cmdline {
			return pid
		}
	}
	return 0
}

// TestReconcileAfterKilledSupervisor kills a detached container's
// supervisor: the next command records the container as exited, kills its
// processes and removes its cgroup.
func TestReconcileAfterKilledSupervisor(t *testing.T) {
	p := newPaths(t)
	s := detach(t, p, "orphan", "sh", "-c", "sleep 1000 & sleep 1000")
	s, err := runtime.Find(p, s.ID) // the supervisor's PID is in the saved record
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Kill(s.Supervisor, unix.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Its lock goes when its last thread has exited, which may be a moment
	// after the main thread is a zombie.
	waitFor(t, "the supervisor's lock to be released", 5*time.Second, func() bool {
		return lockFree(t, runtime.ContainerLock(p, s.ID))
	})
	if !namespaces.Running(s.Pid) {
		// A Sweep elsewhere (any minibox command, a chapter 3 step; go test
		// runs packages side by side) got to the orphaned cgroup first.
		// The record must still be put right.
		t.Log("the container was already swept")
	}
	if err := runtime.Reconcile(p); err != nil {
		t.Fatal(err)
	}
	got, err := runtime.Find(p, "orphan")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != runtime.Exited || got.ExitCode != 137 || !strings.Contains(got.Error, "supervisor was killed") {
		t.Errorf("after Reconcile: %s, exit code %d, error %q", got.Status, got.ExitCode, got.Error)
	}
	waitFor(t, "the container's PID 1 to die", 5*time.Second, func() bool { return !namespaces.Running(s.Pid) })
	if _, err := cgroups.Open(s.Cgroup); err == nil {
		t.Errorf("cgroup %s is still there", s.Cgroup)
	}
}

// TestLimits runs containers with limits: memory (the OOM kill is
// recorded), pids (a fork bomb is contained), cpus (set in the cgroup).
func TestLimits(t *testing.T) {
	p := newPaths(t)
	t.Run("memory", func(t *testing.T) {
		opt := opts("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1")
		opt.Memory = 32 << 20
		s, code, err, out := run(t, p, opt)
		if err != nil || code != 137 {
			t.Fatalf("dd of 64M with -m 32m: code %d, %v, %s; want 137", code, err, out)
		}
		got, err := runtime.Find(p, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.OOMKilled || !strings.Contains(got.Error, "OOM killer: the memory limit 32 MiB was reached") {
			t.Errorf("record: OOMKilled %v, error %q", got.OOMKilled, got.Error)
		}
		if !strings.Contains(out, "OOM killer") {
			t.Errorf("output %q does not say why", out)
		}
	})
	t.Run("pids", func(t *testing.T) {
		opt := opts("sh", "-c", "for i in $(seq 30); do sleep 1 & done; wait")
		opt.Pids = 10
		_, code, err, out := run(t, p, opt)
		if err != nil || !strings.Contains(out, "can't fork") {
			t.Errorf("30 sleeps with --pids-limit 10: code %d, %v, output %q; want fork refused", code, err, out)
		}
	})
	t.Run("cpus", func(t *testing.T) {
		opt := opts("sleep", "100")
		opt.CPUs, opt.Memory, opt.Detach = 0.5, 64<<20, true
		s, _, err := runtime.Run(p, opt)
		if err != nil {
			t.Fatal(err)
		}
		st, err := runtime.Stats(s)
		if err != nil {
			t.Fatal(err)
		}
		if st.CPULimit != 0.5 || st.MemoryLimit != 64<<20 || st.Pids != 1 {
			t.Errorf("stats: CPU limit %v, memory limit %d, pids %d; want 0.5, 64MiB, 1", st.CPULimit, st.MemoryLimit, st.Pids)
		}
	})
}

// TestImagesAndContainers checks RemoveImage refuses an image a container
// stands on, and commit and diff of a container's changes.
func TestImagesAndContainers(t *testing.T) {
	p := newPaths(t)
	opt := opts("sh", "-c", "mkdir /data && echo hello > /data/greeting && rm /bin/vi")
	opt.Name = "maker"
	if _, code, err, out := run(t, p, opt); code != 0 || err != nil {
		t.Fatalf("code %d, %v, %s", code, err, out)
	}
	changes, err := runtime.Diff(p, "maker")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.String())
	}
	for _, want := range []string{"A /data", "A /data/greeting", "D /bin/vi"} {
		if !slices.Contains(got, want) {
			t.Errorf("diff %q lacks %q", got, want)
		}
	}
	img, err := runtime.Commit(p, "maker", "greeter:1")
	if err != nil {
		t.Fatal(err)
	}
	opt = runtime.Options{Config: runtime.Config{Image: "greeter:1", Args: []string{"sh", "-c", "cat /data/greeting; ls /bin/vi"}}}
	if _, code, err, out := run(t, p, opt); err != nil || code != 1 || !strings.HasPrefix(out, "hello\n") {
		t.Errorf("a container of the committed image %s: code %d, %v, output %q", img.Digest, code, err, out)
	}

	_, err = runtime.RemoveImage(p, "busybox")
	if err == nil || !strings.Contains(err.Error(), "used by container") || !strings.Contains(err.Error(), "maker") {
		t.Errorf("RemoveImage(busybox) while maker uses it: %v", err)
	}
	removeAll(t, p)
	if _, err := runtime.RemoveImage(p, "greeter:1"); err != nil {
		t.Errorf("RemoveImage(greeter:1) once no container uses it: %v", err)
	}
	if _, err := runtime.RemoveImage(p, "greeter:1"); err == nil {
		t.Errorf("RemoveImage of a removed image: no error")
	}
}

// lockFree reports whether nobody holds the flock(2) on path.
func lockFree(t *testing.T, path string) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil
}
