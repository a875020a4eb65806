package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// TestLifecycle runs every command the way the tutorial does, one after
// the other, and checks what each prints.
func TestLifecycle(t *testing.T) {
	b := newBox(t)
	hexID := regexp.MustCompile(`^[0-9a-f]{64}\n$`)

	if out := b.ok("run", "busybox", "echo", "hi"); out != "hi\n" {
		t.Errorf("run busybox echo hi: %q", out)
	}
	if r := b.mb("run", "busybox", "sh", "-c", "exit 3"); r.code != 3 || r.stderr != "" {
		t.Errorf("run sh -c 'exit 3': %v; want exit 3, quietly", r)
	}
	if out := b.ok("run", "--rm", "-e", "GREETING=hello", "-w", "/tmp", "--hostname", "box", "busybox", "sh", "-c", "echo $GREETING $(pwd) $(hostname)"); out != "hello /tmp box\n" {
		t.Errorf("run -e -w --hostname: %q", out)
	}
	if out := b.ok("run", "-d", "--name", "web", "busybox", "sh", "-c", `trap "echo bye; exit 0" TERM; echo serving; while true; do sleep 0.1; done`); !hexID.MatchString(out) {
		t.Errorf("run -d: %q, want the container's ID", out)
	}
	b.ok("run", "-d", "--name", "sleeper", "-m", "64m", "--pids-limit", "20", "--cpus", "0.5", "busybox", "sleep", "1000")

	// How long ago depends on the machine's speed (a VM under TCG takes
	// seconds): match any count of seconds, and check the words.
	const seconds = `(1 second|[0-9]+ seconds)`
	const ago = seconds + ` ago`
	ps := b.ok("ps")
	header := regexp.MustCompile(`^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES\n`)
	if !header.MatchString(ps) || !regexp.MustCompile(`(?m)^[0-9a-f]{12} +busybox +"sleep 1000" +`+ago+` +Up `+seconds+` +sleeper$`).MatchString(ps) ||
		!strings.Contains(ps, " web\n") || strings.Contains(ps, "Exited") {
		t.Errorf("ps:\n%s", ps)
	}
	psa := b.ok("ps", "-a")
	if !regexp.MustCompile(`(?m)^[0-9a-f]{12} +busybox +"sh -c exit 3" .* Exited \(3\) ` + ago + ` +\w+$`).MatchString(psa) {
		t.Errorf("ps -a lacks the exited container:\n%s", psa)
	}

	waitFor(t, "web's log", func() bool { return b.ok("logs", "web") == "serving\n" })
	if out := b.ok("exec", "web", "hostname"); !regexp.MustCompile(`^[0-9a-f]{12}\n$`).MatchString(out) {
		t.Errorf("exec web hostname: %q, want the short ID", out)
	}
	if r := b.mb("exec", "web", "sh", "-c", "exit 4"); r.code != 4 {
		t.Errorf("exec sh -c 'exit 4': %v", r)
	}
	if out := b.ok("exec", "-e", "X=1", "-w", "/etc", "web", "sh", "-c", "echo $X $(pwd)"); out != "1 /etc\n" {
		t.Errorf("exec -e -w: %q", out)
	}
	if out := b.okIn("piped in\n", "exec", "web", "cat"); out != "piped in\n" {
		t.Errorf("exec web cat: %q", out)
	}

	stats := b.ok("stats")
	if !regexp.MustCompile(`^CONTAINER ID +NAME +CPU TIME +MEM USAGE / LIMIT +PIDS\n`).MatchString(stats) ||
		!regexp.MustCompile(`(?m)^[0-9a-f]{12} +sleeper +\S+ +[0-9.]+ \S+ / 64 MiB +1$`).MatchString(stats) {
		t.Errorf("stats:\n%s", stats)
	}
	var records []runtime.State
	if err := json.Unmarshal([]byte(b.ok("inspect", "web", "sleeper")), &records); err != nil {
		t.Errorf("inspect: %v", err)
	} else if len(records) != 2 || records[0].Name != "web" || records[1].Config.CPUs != 0.5 || records[1].Status != runtime.Running {
		t.Errorf("inspect: %+v", records)
	}

	// logs -f follows until the container exits.
	b.ok("run", "-d", "--name", "counter", "busybox", "sh", "-c", "for i in 1 2 3; do echo $i; sleep 0.2; done")
	if out := b.ok("logs", "-f", "counter"); out != "1\n2\n3\n" {
		t.Errorf("logs -f: %q", out)
	}

	if out := b.ok("kill", "-s", "TERM", "web"); out != "web\n" {
		t.Errorf("kill -s TERM: %q", out)
	}
	waitFor(t, "web to exit", func() bool {
		return regexp.MustCompile(`Exited \(0\) .* web\n`).MatchString(b.ok("ps", "-a"))
	})
	if out := b.ok("logs", "web"); out != "serving\nbye\n" {
		t.Errorf("logs after kill -s TERM: %q", out)
	}
	start := time.Now()
	if out := b.ok("stop", "-t", "1", "sleeper"); out != "sleeper\n" {
		t.Errorf("stop: %q", out)
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("stop -t 1 of sleep (no SIGTERM handler) took %v, want the 1s grace period", took)
	}
	if !regexp.MustCompile(`Exited \(137\) .* sleeper\n`).MatchString(b.ok("ps", "-a")) {
		t.Errorf("ps -a after stop:\n%s", b.ok("ps", "-a"))
	}
	if out := b.ok("rm", "sleeper"); out != "sleeper\n" {
		t.Errorf("rm: %q", out)
	}
	b.ok("run", "-d", "--name", "doomed", "busybox", "sleep", "1000")
	if out := b.ok("rm", "-f", "doomed"); out != "doomed\n" {
		t.Errorf("rm -f: %q", out)
	}

	// Images: commit, history, diff, import, tag, rmi.
	b.ok("run", "--name", "maker", "busybox", "sh", "-c", "echo data > /hello; rm /bin/vi")
	if out := b.ok("commit", "maker", "made:1"); !regexp.MustCompile(`^sha256:[0-9a-f]{64}\n$`).MatchString(out) {
		t.Errorf("commit: %q", out)
	}
	if out := b.ok("diff", "maker"); !strings.Contains(out, "A /hello\n") || !strings.Contains(out, "D /bin/vi\n") {
		t.Errorf("diff:\n%s", out)
	}
	if out := b.ok("history", "made:1"); !strings.Contains(out, "minibox commit maker") || !strings.Contains(out, "minibox import busybox") {
		t.Errorf("history:\n%s", out)
	}
	if out := b.ok("run", "--rm", "made:1", "cat", "/hello"); out != "data\n" {
		t.Errorf("run of the committed image: %q", out)
	}
	rootfs := testutil.BusyboxRootfs(t)
	b.ok("import", rootfs, "fromdir")
	tarball := filepath.Join(b.base, "rootfs.tar")
	if out, err := exec.Command("tar", "-C", rootfs, "-cf", tarball, ".").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v: %s", err, out)
	}
	b.ok("import", tarball, "fromtar:v1")
	b.ok("tag", "fromtar:v1", "again")
	for _, img := range []string{"fromdir", "fromtar:v1", "again"} {
		if out := b.ok("run", "--rm", img, "echo", "from "+img); out != "from "+img+"\n" {
			t.Errorf("run --rm %s: %q", img, out)
		}
	}
	images := b.ok("images")
	for _, want := range []string{"busybox", "made", "fromdir", "fromtar", "again"} {
		if !strings.Contains(images, want) {
			t.Errorf("images lacks %s:\n%s", want, images)
		}
	}
	if out := b.ok("rmi", "again", "fromdir"); out != "removed again\nremoved fromdir\n" {
		t.Errorf("rmi: %q", out)
	}

	pruned := strings.Fields(b.ok("prune"))
	if len(pruned) != 5 { // exit 3, web, counter, maker and one more: echo hi
		t.Errorf("prune removed %q, want 5 containers", pruned)
	}
	if out := b.ok("ps", "-a"); strings.Count(out, "\n") != 1 {
		t.Errorf("ps -a after prune:\n%s", out)
	}
}

func (b *box) okIn(stdin string, args ...string) string {
	b.t.Helper()
	r := b.mbIn(stdin, args...)
	if r.code != 0 {
		b.t.Fatalf("minibox %s: %v", strings.Join(args, " "), r)
	}
	return r.stdout
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestPsQuietFeedsRm: `minibox rm -f $(minibox ps -aq)`, as learners type
// it from Docker habit, removes every container, running or not.
func TestPsQuietFeedsRm(t *testing.T) {
	b := newBox(t)
	b.ok("run", "-d", "--name", "up", "busybox", "sleep", "1000")
	b.ok("run", "--name", "done", "busybox", "true")
	short := func(name string) string {
		for _, s := range b.containers() {
			if s.Name == name {
				return s.ShortID()
			}
		}
		t.Fatalf("no container %s", name)
		return ""
	}
	up, done := short("up"), short("done")
	if got := b.ok("ps", "-q"); got != up+"\n" {
		t.Errorf("ps -q: %q, want %q", got, up+"\n")
	}
	all := strings.Fields(b.ok("ps", "-aq"))
	if len(all) != 2 || !(all[0] == up && all[1] == done || all[0] == done && all[1] == up) {
		t.Errorf("ps -aq: %q, want %s and %s", all, up, done)
	}
	b.ok(append([]string{"rm", "-f"}, all...)...)
	if got := b.ok("ps", "-aq"); got != "" {
		t.Errorf("ps -aq after rm -f of them all: %q, want nothing", got)
	}
}
