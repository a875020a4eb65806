package workshop

import (
	"os"
	"path/filepath"
	"testing"
	"time"
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
	if os.Geteuid() != 0 {
		t.Skip("sudo's SUDO_USER is only honoured when running as root")
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("SUDO_USER", "nobody") // in every Debian and Ubuntu passwd
	dir, uid, _, err := StateDir()
	if err != nil {
		t.Fatal(err)
	}
	if uid != 65534 || dir != "/nonexistent/.local/state/minibox" {
		t.Errorf("StateDir under sudo from nobody = %s (uid %d), want nobody's home and uid", dir, uid)
	}
}
