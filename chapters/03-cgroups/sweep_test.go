package cgroups

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

const killedParent = "cgroups-test-killed-parent"

func init() { chroot.Register(killedParent, runKilledParent) }

// runKilledParent plays a minibox that gets killed: it starts a shell with
// a background sleep in a cgroup, prints the group's directories, and
// waits for its end.
func runKilledParent() {
	bb, err := chroot.FindBusybox()
	if err == nil {
		var p *Process
		p, err = Start(exec.Command(bb, "sh", "-c", "sleep 60 & wait"), "orphan", Limits{Pids: 10})
		if err == nil {
			fmt.Println(strings.Join(p.Cgroup.Dirs(), " "))
			time.Sleep(time.Minute) // until the test kills it
			os.Exit(1)
		}
	}
	fmt.Println("error:", err)
	os.Exit(1)
}

// TestSweepRemovesWhatAKilledRunLeft: the parent is killed with SIGKILL,
// so nothing of its own cleans up. Its shell dies with it (Pdeathsig), the
// background sleep lives on in the group; Sweep kills it and removes the
// group.
func TestSweepRemovesWhatAKilledRunLeft(t *testing.T) {
	testutil.RequireRoot(t)
	parent := chroot.Self(killedParent)
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	parent.Stderr = os.Stderr
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	dirs := strings.Fields(line)
	if err != nil || len(dirs) == 0 || strings.HasPrefix(line, "error:") {
		parent.Process.Kill()
		parent.Wait()
		t.Fatalf("the parent said %q (%v)", line, err)
	}
	name := dirs[0][strings.LastIndexByte(dirs[0], '/')+1:]
	h, err := detectHost()
	if err != nil {
		t.Fatal(err)
	}
	defer h.group(name).Remove() // gone at the end, whatever happens

	// Count the live processes: the killed shell may stay listed as a
	// zombie until an init that reaps late gets to it (as in the v2 VM).
	live := func() []int {
		pids, err := readProcs(dirs[0])
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(pids, func(pid int) bool { return !namespaces.Running(pid) })
	}
	procs := func(n int) func() bool {
		return func() bool { return len(live()) == n }
	}
	waitFor(t, 10*time.Second, "the shell and its sleep", procs(2))
	orphans := live()
	parent.Process.Kill()
	parent.Wait()
	// The shell should die with its parent (Pdeathsig), but Sweep must not
	// count on it: on a loaded machine, and in the cgroup v2 VM, it was
	// seen still running seconds later. Whatever still runs, Sweep kills.
	deadline := time.Now().Add(2 * time.Second)
	for len(live()) > 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("%d of the group's processes still run after their maker was killed", len(live()))

	swept, err := Sweep()
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if !slices.Contains(swept, name) {
		// The workshop's steps sweep too, and go test ./... runs them at
		// the same time: what matters is that the group and its process
		// are gone.
		t.Logf("Sweep removed %v, not %s: another Sweep got there first", swept, name)
	}
	for _, d := range dirs {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s is still there after Sweep (%v)", d, err)
		}
	}
	for _, pid := range orphans {
		if namespaces.Running(pid) {
			t.Errorf("PID %d, left in the group, still runs after Sweep", pid)
		}
	}
}

// TestSweepLeavesLiveGroupsAlone: a group whose maker runs (this test) is
// not swept.
func TestSweepLeavesLiveGroupsAlone(t *testing.T) {
	testutil.RequireRoot(t)
	cg, err := New("live")
	if err != nil {
		t.Fatal(err)
	}
	defer cg.Remove()
	swept, err := Sweep()
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if slices.Contains(swept, cg.Name()) {
		t.Errorf("Sweep removed %s, whose maker runs", cg.Name())
	}
	for _, d := range cg.Dirs() {
		if _, err := os.Stat(d); err != nil {
			t.Error(err)
		}
	}
}

func TestMakerAlive(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want bool
	}{
		{fmt.Sprintf("hog-%d", os.Getpid()), true},
		{fmt.Sprintf("hog-%d", dead.Process.Pid), false},
		{fmt.Sprintf("a-b-%d", dead.Process.Pid), false},
		{"docker", true},                 // not minibox's: left alone
		{"hog-x", true},                  // idem
		{"hog-0", true},                  // idem
		{"12345", true},                  // idem
		{"hog-" + strconv.Itoa(1), true}, // init runs
	}
	for _, tt := range tests {
		if got := makerAlive(tt.name); got != tt.want {
			t.Errorf("makerAlive(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
