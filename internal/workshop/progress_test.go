package workshop

import (
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

func TestProgressRoundTrip(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	p, err := LoadProgress()
	if err != nil {
		t.Fatal(err)
	}
	if p.Done("chroot.jail") {
		t.Fatal("fresh progress has a step done")
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	if err := p.Record("chroot.jail", true, now); err != nil {
		t.Fatal(err)
	}
	if err := p.Record("chroot.escape", true, now); err != nil {
		t.Fatal(err)
	}
	if err := p.Record("chroot.escape", false, now); err != nil {
		t.Fatal(err)
	}
	again, err := LoadProgress()
	if err != nil {
		t.Fatal(err)
	}
	if !again.Done("chroot.jail") || again.Done("chroot.escape") {
		t.Errorf("after reload passed = %v, want only chroot.jail (a failed run undoes a pass)", again.Passed)
	}
	if want := filepath.Join(state, "minibox", "progress.json"); again.Path() != want {
		t.Errorf("progress at %s, want %s", again.Path(), want)
	}
	entries, _ := os.ReadDir(filepath.Dir(again.Path()))
	if len(entries) != 1 {
		t.Errorf("the state directory holds %d files; want only progress.json (no temporary files left)", len(entries))
	}
	if err := again.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(again.Path()); !os.IsNotExist(err) {
		t.Errorf("after Reset the file is still there (%v)", err)
	}
}

func TestProgressDamagedFile(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	os.MkdirAll(filepath.Join(state, "minibox"), 0o755)
	os.WriteFile(filepath.Join(state, "minibox", "progress.json"), []byte("{not json"), 0o644)
	if _, err := LoadProgress(); err == nil {
		t.Error("LoadProgress of a damaged file: want an error that says to reset")
	}
}

func TestStateDirUnderSudo(t *testing.T) {
	home := t.TempDir()
	learner := &user.User{Username: "learner", Uid: "65534", Gid: "65534", HomeDir: home}
	lookup := func(name string) (*user.User, error) {
		if name != "learner" {
			return nil, user.UnknownUserError(name)
		}
		return learner, nil
	}
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tests := []struct {
		name    string
		vars    map[string]string
		euid    int
		wantDir string
		wantUID int
		wantErr string
	}{
		{"root under sudo keeps the learner's", map[string]string{"SUDO_USER": "learner", "HOME": "/root"}, 0, home + "/.local/state/minibox", 65534, ""},
		{"XDG_STATE_HOME kept by sudo is the learner's too", map[string]string{"SUDO_USER": "learner", "XDG_STATE_HOME": "/x"}, 0, "/x/minibox", 65534, ""},
		{"SUDO_USER ignored when not root", map[string]string{"SUDO_USER": "learner", "HOME": "/home/me"}, 1000, "/home/me/.local/state/minibox", 1000, ""},
		{"sudo from root", map[string]string{"SUDO_USER": "root", "HOME": "/root"}, 0, "/root/.local/state/minibox", 0, ""},
		{"unknown SUDO_USER", map[string]string{"SUDO_USER": "ghost"}, 0, "", 0, "SUDO_USER=ghost"},
		{"no home", map[string]string{}, 1000, "", 0, "set HOME or XDG_STATE_HOME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, uid, _, err := stateDir(env(tt.vars), tt.euid, lookup)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || dir != tt.wantDir || uid != tt.wantUID {
				t.Errorf("stateDir = %s uid %d (%v), want %s uid %d", dir, uid, err, tt.wantDir, tt.wantUID)
			}
		})
	}
}

// TestSaveUnderSudoGivesFilesToTheLearner saves progress as root for a
// learner and checks every file and directory made belongs to them.
func TestSaveUnderSudoGivesFilesToTheLearner(t *testing.T) {
	testutil.RequireRoot(t)
	home := t.TempDir()
	p := &Progress{Version: 1, Passed: map[string]time.Time{}, uid: 65534, gid: 65534,
		path: filepath.Join(home, ".local", "state", "minibox", "progress.json")}
	if err := p.Record("chroot.jail", true, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{".local", ".local/state", ".local/state/minibox", ".local/state/minibox/progress.json"} {
		var st unix.Stat_t
		if err := unix.Lstat(filepath.Join(home, path), &st); err != nil {
			t.Fatal(err)
		}
		if st.Uid != 65534 {
			t.Errorf("~/%s belongs to uid %d, want the learner's 65534", path, st.Uid)
		}
	}
}
