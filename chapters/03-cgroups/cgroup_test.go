package cgroups

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// TestDetectHere detects this machine's layout and picks a driver: v1 on
// the hybrid CI machines, v2 in the cgroup2 VM (scripts/cgroup2-vm.sh).
func TestDetectHere(t *testing.T) {
	l, err := Detect()
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	h, err := hostFor(l)
	if err != nil {
		t.Fatalf("hostFor(%+v): %v", l, err)
	}
	t.Logf("layout %s, driver %s", l.Mode, h.Version)
	if want := map[string]string{V1: V1, Hybrid: V1, V2: V2}[l.Mode]; h.Version != want {
		t.Errorf("a %s machine got driver %s, want %s", l.Mode, h.Version, want)
	}
}

// TestCommandRunsInItsCgroupFromItsFirstInstruction: the command's first
// act is to read its own /proc/self/cgroup, and it is already in the group.
func TestCommandRunsInItsCgroupFromItsFirstInstruction(t *testing.T) {
	testutil.RequireRoot(t)
	bb, err := chroot.FindBusybox()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bb, "cat", "/proc/self/cgroup")
	cmd.Stdout = &out
	if _, err := Run(cmd, "first", Limits{Pids: 10}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	lines, err := ParseProcCgroup(out.String())
	if err != nil {
		t.Fatal(err)
	}
	h, _ := detectHost()
	want := "/" + Parent + "/first-" + strconv.Itoa(os.Getpid())
	for _, ctl := range Controllers {
		found := false
		for _, l := range lines {
			inHierarchy := (h.Version == V2 && l.Hierarchy == 0) || slices.Contains(l.Controllers, ctl)
			if inHierarchy && strings.HasSuffix(l.Path, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: the command was not in %s from the start:\n%s", ctl, want, out.String())
		}
	}
}

// TestSettingsReachTheKernel writes every kind of limit and reads each
// file back.
func TestSettingsReachTheKernel(t *testing.T) {
	testutil.RequireRoot(t)
	cg, err := New("settings")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := cg.Remove(); err != nil {
			t.Error(err)
		}
		assertRemoved(t, cg)
	}()
	l := Limits{Memory: 64 << 20, Pids: 50, CPUs: 1.5, CPUWeight: 200}
	if err := cg.Set(l); err != nil {
		t.Fatalf("Set(%+v): %v", l, err)
	}
	for _, s := range Settings(cg, l) {
		got, err := os.ReadFile(s.File)
		if s.Optional && os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Error(err)
			continue
		}
		if strings.TrimSpace(string(got)) != s.Value {
			t.Errorf("%s reads %q, Set wrote %q", s.File, strings.TrimSpace(string(got)), s.Value)
		}
	}
	st, err := cg.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.MemoryLimit != l.Memory || st.PidsLimit != l.Pids || st.CPULimit != l.CPUs {
		t.Errorf("Stats reads the limits as memory %d, pids %d, CPUs %g; want %d, %d, %g",
			st.MemoryLimit, st.PidsLimit, st.CPULimit, l.Memory, l.Pids, l.CPUs)
	}
}

// TestStatsWhileRunning reads the counters of a process that holds some
// memory and runs a few processes, while it runs.
func TestStatsWhileRunning(t *testing.T) {
	testutil.RequireRoot(t)
	// 8 MiB in a shell variable (16 bytes doubled 19 times), then a
	// pipeline of three sleeps. (Not "sleep &": busybox's sh runs a
	// background job with its input from /dev/null, and chapter 1's jail
	// has no /dev/null.)
	p := mustStart(t, jailed(t, `x=0123456789abcdef; for i in $(seq 19); do x=$x$x; done; sleep 60 | sleep 60 | sleep 60`),
		"stats", Limits{Memory: 64 << 20, Pids: 20})
	var st Stats
	waitFor(t, 10*time.Second, "4 processes and 8 MiB in the group", func() bool {
		var err error
		if st, err = p.Stats(); err != nil {
			t.Fatal(err)
		}
		return st.Pids == 4 && st.Memory > 8<<20
	})
	t.Logf("%+v", st)
	if st.MemoryPeak < st.Memory || st.Anon == 0 || st.MemoryLimit != 64<<20 || st.PidsLimit != 20 {
		t.Errorf("odd stats of a running group: %+v", st)
	}
	if st.CPUUsage <= 0 {
		t.Errorf("CPU usage %v: the group's processes ran, so want more than 0", st.CPUUsage)
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	_, err := waitWithin(t, p, 10*time.Second)
	if !errors.Is(err, ErrKilled) {
		t.Errorf("Wait after Kill: %v, want %v", err, ErrKilled)
	}
	assertRemoved(t, p.Cgroup)
}

// TestCgroupRemovedAfterExit: Wait removes the group, also after the
// command failed, and kills what the command left running.
func TestCgroupRemovedAfterExit(t *testing.T) {
	testutil.RequireRoot(t)
	// The host's busybox, not a jailed one: its sh needs /dev/null for a
	// background job.
	bb, err := chroot.FindBusybox()
	if err != nil {
		t.Fatal(err)
	}
	p := mustStart(t, exec.Command(bb, "sh", "-c", "sleep 60 & exit 3"), "exit", Limits{})
	_, err = waitWithin(t, p, 10*time.Second)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("Wait: %v, want exit status 3", err)
	}
	assertRemoved(t, p.Cgroup)
}

// TestStartFailureLeavesNothing: a command that cannot start leaves no
// cgroup, and says why.
func TestStartFailureLeavesNothing(t *testing.T) {
	testutil.RequireRoot(t)
	cmd := jailed(t, "true")
	cmd.Path = "/bin/no-such-program"
	before := leftovers()
	_, err := Start(cmd, "fail", Limits{Memory: 32 << 20})
	if err == nil || !strings.Contains(err.Error(), "exec /bin/no-such-program: no such file or directory") {
		t.Errorf("Start: %v, want the exec's error", err)
	}
	if after := leftovers(); len(after) != len(before) {
		t.Errorf("a failed Start left %v", after)
	}
}

func TestBadLimitsAreRefusedBeforeAnythingIsMade(t *testing.T) {
	testutil.RequireRoot(t)
	_, err := Start(exec.Command("/bin/true"), "bad", Limits{Memory: -1})
	if err == nil || !strings.Contains(err.Error(), "memory limit -1: must not be negative") {
		t.Errorf("Start with memory -1: %v", err)
	}
	if left := leftovers(); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}
