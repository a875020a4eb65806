package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A record that cannot be read is listed as Damaged, not skipped: the user
// sees it, `minibox rm` finds it by ID, and Create and rmi refuse to guess
// past it. No root needed: records are files.
func TestListShowsDamagedRecords(t *testing.T) {
	p := Paths{Root: t.TempDir(), Run: t.TempDir()}
	good := &State{ID: strings.Repeat("a", 64), Name: "web", Created: time.Now().UTC(), Status: Exited}
	damaged := strings.Repeat("d", 64)
	killedCreate := strings.Repeat("c", 64) // a directory without a record
	for _, id := range []string{good.ID, damaged, killedCreate} {
		if err := os.MkdirAll(p.Container(id), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := good.Save(p); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.Container(damaged), "state.json"), []byte(`{"ID": "dd`), 0o644); err != nil {
		t.Fatal(err)
	}

	all, err := List(p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range all {
		got = append(got, s.ShortID()+" "+string(s.Status))
	}
	if diff := cmp.Diff([]string{"aaaaaaaaaaaa exited", "dddddddddddd damaged"}, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if s, err := find(all, "dddd"); err != nil || s.ID != damaged {
		t.Errorf("find(dddd) = %v, %v; want the damaged record", s, err)
	}
	if got := describeStatus(all[1]); got != "Damaged record" {
		t.Errorf("describeStatus = %q", got)
	}
	err = checkNoDamaged(all)
	if err == nil || !strings.Contains(err.Error(), "minibox rm dddddddddddd") || !strings.Contains(err.Error(), "damaged record") {
		t.Errorf("checkNoDamaged = %v, want an error naming the record and the fix", err)
	}
	if err := checkNoDamaged(all[:1]); err != nil {
		t.Errorf("checkNoDamaged without a damaged record = %v", err)
	}
}
