package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A container record that cannot be read (a disk that filled up, a hand
// edit) is shown and removable, and blocks what it would make a guess:
// taking a name, removing an image.
func TestDamagedRecord(t *testing.T) {
	b := newBox(t)
	b.ok("run", "--name", "good", "busybox", "true")
	id := strings.Repeat("d", 64)
	dir := filepath.Join(b.paths.Root, "containers", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(`{"ID": "ddd`), 0o644); err != nil {
		t.Fatal(err)
	}

	r := b.mb("ps", "-a")
	if r.code != 0 || !strings.Contains(r.stdout, "dddddddddddd") || !strings.Contains(r.stdout, "Damaged record") ||
		!strings.Contains(r.stdout, "good") {
		t.Errorf("ps -a lists both containers, the damaged one as such: %v", r)
	}
	if !strings.Contains(r.stderr, "container dddddddddddd: ") || !strings.Contains(r.stderr, "minibox rm dddddddddddd") {
		t.Errorf("ps -a says what is damaged and how to remove it: %v", r)
	}
	for _, args := range [][]string{
		{"run", "--name", "new", "busybox", "true"},
		{"rmi", "busybox"},
	} {
		r := b.mb(args...)
		if r.code != 125 || !strings.Contains(r.stderr, "container dddddddddddd has a damaged record") ||
			!strings.Contains(r.stderr, "minibox rm dddddddddddd") {
			t.Errorf("minibox %s: %v, want exit 125 naming the damaged record and the fix", strings.Join(args, " "), r)
		}
	}
	if got := b.ok("rm", "dddd"); got != "dddd\n" {
		t.Errorf("rm dddd printed %q", got)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("after rm, %s is still there (%v)", dir, err)
	}
	b.ok("run", "--rm", "--name", "new", "busybox", "true")
}
