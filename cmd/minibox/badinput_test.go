package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

// TestBadInput gives every command bad input. Each must fail with an error
// that names the problem and the fix, docker's exit code (125 minibox's
// own error, 126 cannot execute, 127 not found), and leave nothing behind:
// no new container, lock file or mount.
func TestBadInput(t *testing.T) {
	b := newBox(t)
	b.ok("run", "-d", "--name", "busy", "busybox", "sleep", "1000")
	b.ok("run", "--name", "done", "busybox", "true")
	notAFile := filepath.Join(b.base, "nosuchdir")
	badProfile := filepath.Join(b.base, "bad-profile.json")
	if err := os.WriteFile(badProfile, []byte(`{"defaultAction": "SCMP_ACT_PERHAPS"}`), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		args []string
		code int
		want []string // parts of stderr, all present
	}{
		{[]string{"nosuchcommand"}, 125, []string{`unknown command "nosuchcommand"`, "minibox --help"}},

		{[]string{"run"}, 125, []string{"run needs at least 1 argument", "minibox run IMAGE [COMMAND [ARG...]]"}},
		{[]string{"run", "nosuchimage", "true"}, 125, []string{`no such image "nosuchimage"`, "minibox images", "minibox import"}},
		{[]string{"run", "-m", "12XB", "busybox", "true"}, 125, []string{"--memory", "12XB"}},
		{[]string{"run", "-m", "-5m", "busybox", "true"}, 125, []string{"--memory", "-5m"}},
		{[]string{"run", "-m", "1k", "busybox", "true"}, 125, []string{"memory limit 1 KiB is too small", "-m 6m"}},
		{[]string{"run", "--pids-limit", "-1", "busybox", "true"}, 125, []string{"--pids-limit -1: must not be negative"}},
		{[]string{"run", "--pids-limit", "many", "busybox", "true"}, 125, []string{"pids-limit", "many"}},
		{[]string{"run", "--cpus", "abc", "busybox", "true"}, 125, []string{"--cpus", "abc"}},
		{[]string{"run", "--cpus", "-1", "busybox", "true"}, 125, []string{"--cpus", "-1"}},
		{[]string{"run", "--cpus", "1000", "busybox", "true"}, 125, []string{"--cpus 1000: this machine has", "give at most"}},
		{[]string{"run", "--name", "busy", "busybox", "true"}, 125, []string{`the name "busy" is taken`, "--name", "minibox rm busy"}},
		{[]string{"run", "--name", "a/b", "busybox", "true"}, 125, []string{`invalid container name "a/b"`, "letters, digits"}},
		{[]string{"run", "-d", "-t", "busybox", "sh"}, 125, []string{"-t with -d", "minibox exec -t"}},
		{[]string{"run", "-w", "relative", "busybox", "true"}, 125, []string{`"relative"`, "absolute path"}},
		{[]string{"run", "-e", "=x", "busybox", "true"}, 125, []string{`"=x"`, "KEY=value"}},
		{[]string{"run", "busybox", "nosuchcommand"}, 127, []string{"nosuchcommand: command not found in the container (PATH="}},
		{[]string{"run", "-d", "busybox", "nosuchcommand"}, 127, []string{"nosuchcommand: command not found in the container"}},
		{[]string{"run", "busybox", "/etc/passwd"}, 126, []string{"/etc/passwd: permission denied"}},
		{[]string{"run", "--nosuchflag", "busybox"}, 125, []string{"flag provided but not defined: -nosuchflag"}},
		{[]string{"run", "--log-opt", "max-size=lots", "busybox", "true"}, 125, []string{"--log-opt max-size=lots: want a size"}},
		{[]string{"run", "--log-opt", "max-file=0", "busybox", "true"}, 125, []string{"--log-opt max-file=0: want a number of files, 1 or more"}},
		{[]string{"run", "--log-opt", "mode=non-blocking", "busybox", "true"}, 125, []string{"minibox knows max-size=SIZE and max-file=N"}},
		{[]string{"run", "--device", "/dev/nosuch", "busybox", "true"}, 125, []string{"--device /dev/nosuch: /dev/nosuch: no such file or directory"}},
		{[]string{"run", "--device", "/etc/passwd", "busybox", "true"}, 125, []string{"/etc/passwd is not a device file"}},
		{[]string{"run", "--device", "/dev/null:/dev/n:rwx", "busybox", "true"}, 125, []string{"want HOST[:CONTAINER[:PERMISSIONS]]"}},
		{[]string{"run", "--device", "/dev/null:/tmp/null", "busybox", "true"}, 125, []string{"minibox makes device files in /dev only"}},
		{[]string{"run", "--cap-add", "NET_ADMINS", "busybox", "true"}, 125, []string{`--cap-add: unknown capability "NET_ADMINS"`, "CAP_NET_ADMIN", "ALL"}},
		{[]string{"run", "--cap-drop", "chown", "--cap-add", "CHOWN", "busybox", "true"}, 125, []string{"both name CHOWN"}},
		{[]string{"run", "--privileged", "--cap-drop", "ALL", "busybox", "true"}, 125, []string{"--privileged with --cap-add, --cap-drop or --security-opt"}},
		{[]string{"run", "--security-opt", "seccomp=" + notAFile, "busybox", "true"}, 125, []string{"--security-opt seccomp=" + notAFile, "no such file or directory"}},
		{[]string{"run", "--security-opt", "seccomp=" + badProfile, "busybox", "true"}, 125, []string{`seccomp profile: defaultAction: action "SCMP_ACT_PERHAPS"`}},
		{[]string{"run", "--security-opt", "label=disable", "busybox", "true"}, 125, []string{"minibox knows seccomp=unconfined and no-new-privileges"}},
		{[]string{"run", "--userns", "keep-id", "busybox", "true"}, 125, []string{`--userns "keep-id": want remap`, "or host"}},
		{[]string{"run", "--network", "host", "busybox", "true"}, 125, []string{"--network host: no such network", "minibox knows bridge, none"}},
		{[]string{"run", "-p", "8080:80", "busybox", "true"}, 125, []string{"--network none has none", "add --network bridge"}},
		{[]string{"run", "--network", "bridge", "-p", "80:http", "busybox", "true"}, 125, []string{`-p 80:http: the container port "http"`}},
		{[]string{"run", "--network", "bridge", "-p", "8080:80", "-p", "8080:81", "busybox", "true"}, 125, []string{"the host's port 8080/tcp is given twice"}},
		{[]string{"port", "nosuch"}, 125, []string{"nosuch"}},
		{[]string{"run", "--userns", "remap", "--privileged", "busybox", "true"}, 125, []string{"--privileged with --userns=remap"}},
		{[]string{"run", "--userns", "remap", "--device", "/dev/null", "busybox", "true"}, 125, []string{"--device with --userns=remap", "--userns=host"}},

		{[]string{"ps", "extra"}, 125, []string{"ps takes no arguments, got 1: minibox ps\n"}},
		{[]string{"logs"}, 125, []string{"logs takes 1 argument(s), got 0", "minibox logs CONTAINER"}},
		{[]string{"logs", "nosuch"}, 125, []string{"no such container: nosuch", "minibox ps -a"}},
		{[]string{"logs", "done"}, 125, []string{"ran in the foreground"}},

		{[]string{"exec", "busy"}, 125, []string{"exec needs at least 2 argument(s)", "minibox exec CONTAINER COMMAND"}},
		{[]string{"exec", "nosuch", "true"}, 125, []string{"no such container: nosuch", "minibox ps -a"}},
		{[]string{"exec", "done", "true"}, 125, []string{"container done is not running", "minibox run"}},
		{[]string{"exec", "busy", "nosuchcommand"}, 127, []string{"nosuchcommand: command not found in the container"}},
		{[]string{"exec", "busy", "/etc/passwd"}, 126, []string{"/etc/passwd", "permission denied"}},
		{[]string{"exec", "-w", "/nosuchdir", "busy", "true"}, 125, []string{"/nosuchdir"}},

		{[]string{"stop"}, 125, []string{"stop needs at least 1 argument(s)", "minibox stop CONTAINER"}},
		{[]string{"stop", "nosuch"}, 125, []string{"no such container: nosuch"}},
		{[]string{"stop", "-t", "-1", "busy"}, 125, []string{"--time -1: must not be negative"}},

		{[]string{"kill"}, 125, []string{"kill needs at least 1 argument(s)"}},
		{[]string{"kill", "nosuch"}, 125, []string{"no such container: nosuch"}},
		{[]string{"kill", "-s", "NOSUCH", "busy"}, 125, []string{`unknown signal "NOSUCH"`, "TERM", "15"}},
		{[]string{"kill", "-s", "99", "busy"}, 125, []string{`unknown signal "99"`}},
		{[]string{"kill", "done"}, 125, []string{"container done is not running", "minibox ps -a"}},

		{[]string{"rm"}, 125, []string{"rm needs at least 1 argument(s)"}},
		{[]string{"rm", "nosuch"}, 125, []string{"no such container: nosuch"}},
		{[]string{"rm", "busy"}, 125, []string{"container busy is running", "minibox stop busy", "minibox rm -f busy"}},

		{[]string{"inspect"}, 125, []string{"inspect needs at least 1 argument(s)"}},
		{[]string{"inspect", "nosuch"}, 125, []string{"no such container: nosuch"}},

		{[]string{"stats", "nosuch"}, 125, []string{"no such container: nosuch"}},
		{[]string{"stats", "done"}, 125, []string{"container done is not running", "minibox stats"}},

		{[]string{"images", "extra"}, 125, []string{"images takes no arguments, got 1"}},

		{[]string{"rmi"}, 125, []string{"rmi needs at least 1 argument(s)"}},
		{[]string{"rmi", "nosuchimage"}, 125, []string{"nosuchimage", "minibox images"}},
		{[]string{"rmi", "busybox"}, 125, []string{"image busybox is used by containers done, busy: remove them first (`minibox rm -f done busy`)"}},

		{[]string{"commit", "done"}, 125, []string{"commit takes 2 argument(s), got 1", "minibox commit CONTAINER IMAGE"}},
		{[]string{"commit", "nosuch", "img"}, 125, []string{"no such container: nosuch"}},
		{[]string{"commit", "done", "a b"}, 125, []string{`image name "a b:latest"`, "use letters, digits"}},

		{[]string{"history"}, 125, []string{"history takes 1 argument(s), got 0"}},
		{[]string{"history", "nosuchimage"}, 125, []string{"nosuchimage", "minibox images"}},

		{[]string{"diff"}, 125, []string{"diff takes 1 argument(s), got 0"}},
		{[]string{"diff", "nosuch"}, 125, []string{"no such container: nosuch"}},

		{[]string{"import", notAFile}, 125, []string{"import takes 2 argument(s), got 1", "minibox import SOURCE IMAGE"}},
		{[]string{"import", notAFile, "img"}, 125, []string{notAFile, "no such file or directory", "a directory or a tarball"}},
		{[]string{"import", "/etc/passwd", "img"}, 125, []string{"/etc/passwd"}},

		{[]string{"tag", "busybox"}, 125, []string{"tag takes 2 argument(s), got 1"}},
		{[]string{"tag", "nosuchimage", "other"}, 125, []string{"nosuchimage", "minibox images"}},

		{[]string{"prune", "extra"}, 125, []string{"prune takes no arguments, got 1"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			before := b.snapshot()
			r := b.mb(tt.args...)
			t.Logf("minibox %s\n%s", strings.Join(tt.args, " "), r.stderr)
			if r.code != tt.code {
				t.Errorf("exit code %d, want %d (%v)", r.code, tt.code, r)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr %q lacks %q", r.stderr, want)
				}
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
				t.Errorf("stderr has more than one line: %q", r.stderr)
			}
			if diff := cmp.Diff(before, b.snapshot()); diff != "" {
				t.Errorf("left behind (-before +after):\n%s", diff)
			}
		})
	}
}

// snapshot lists what the box's state has on the host: containers, lock
// files, mounts, processes, cgroups. A cgroup of another test's killed
// supervisor may be swept by the command in between: orphans are left out.
func (b *box) snapshot() []string {
	b.t.Helper()
	left, err := runtime.Leftovers(b.paths)
	if err != nil {
		b.t.Fatal(err)
	}
	var list []string
	for _, l := range left {
		if !l.Orphaned {
			list = append(list, l.String())
		}
	}
	slices.Sort(list)
	return list
}
