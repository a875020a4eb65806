package main

import (
	"math/rand"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledAtRandom kills `minibox run` (the command itself, by its PID)
// at a random moment of its work, again and again: before it made the
// container, while the supervisor mounts, makes the cgroup, starts the
// container, or while the command runs. The next command (ps -a, or prune)
// cleans up; after a last prune nothing may be left: no container
// directory, lock file, mount, cgroup or process, and of the containers
// on the bridge no lease and no veth.
func TestKilledAtRandom(t *testing.T) {
	b := newBox(t)
	// In a lab, for --network bridge: its cleanup checks that no lease
	// and no veth is left.
	b.inLab()
	b.ok("run", "--rm", "busybox", "true") // the image, made once
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; i < 30 && time.Now().Before(deadline); i++ {
		args := []string{"run"}
		if rng.Intn(2) == 0 {
			args = append(args, "-d")
		}
		if rng.Intn(2) == 0 {
			args = append(args, "--rm")
		}
		if rng.Intn(2) == 0 {
			args = append(args, "-m", "32m", "--pids-limit", "50", "--cpus", "0.5")
		}
		if rng.Intn(2) == 0 {
			args = append(args, "--network", "bridge")
		}
		args = append(args, "busybox", "sh", "-c", "sleep 0.3 & sleep 0.2")
		cmd := b.cmd(args...)
		if err := b.start(cmd); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Intn(150)) * time.Millisecond
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		next := "ps"
		if rng.Intn(3) == 0 {
			next = "prune"
		}
		if next == "ps" {
			b.ok("ps", "-a")
		} else {
			b.ok("prune")
		}
		t.Logf("%2d: minibox %s, killed after %v; then %s", i, strings.Join(args[:len(args)-4], " "), delay, next)
	}
	// Detached containers that were not killed run to their end, and
	// their supervisors finish: one that is still starting its container
	// (Created, its lock held; a slow machine takes a while) would finish
	// after the check below.
	waitFor(t, "the detached containers to exit", func() bool {
		ps := b.ok("ps", "-a")
		return !strings.Contains(ps, "Up") && !strings.Contains(ps, "Created")
	})
	b.ok("prune")
	if all := b.containers(); len(all) > 0 {
		t.Errorf("%d containers after prune, want none", len(all))
	}
	b.checkClean()
}
