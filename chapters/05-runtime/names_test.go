package runtime

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// records are containers as List returns them, for the name tests: c's
// name is a prefix of a's ID, and the damaged record has no name.
func records() []*State {
	return []*State{
		{ID: "abc1" + strings.Repeat("0", 60), Name: "web", Status: Running},
		{ID: "abd2" + strings.Repeat("1", 60), Name: "db", Status: Exited},
		{ID: "ff00" + strings.Repeat("2", 60), Name: "abc1", Status: Created},
		{ID: "0123456789abcdef", Status: Damaged, Error: "damaged record"},
	}
}

// TestFindInRecords looks containers up as docker does: by name first,
// then by full ID, then by a unique prefix of the ID.
func TestFindInRecords(t *testing.T) {
	all := records()
	tests := []struct {
		name, ref  string
		want       *State
		wantErr    string // the whole message
		wantNoSuch bool   // the error is ErrNoSuchContainer
	}{
		{name: "a name", ref: "web", want: all[0]},
		{name: "a full ID", ref: all[1].ID, want: all[1]},
		{name: "a unique prefix", ref: "ff", want: all[2]},
		{name: "a one-character prefix", ref: "0", want: all[3]},
		{name: "a name wins over an ID prefix", ref: "abc1", want: all[2]},
		{name: "a longer prefix is unique", ref: "abd", want: all[1]},
		{name: "an ambiguous prefix", ref: "ab", wantErr: "ab matches 2 containers: give more of the ID"},
		{name: "nothing", ref: "nope", wantErr: "no such container: nope (`minibox ps -a` lists them)", wantNoSuch: true},
		{name: "an empty ref matches neither the nameless record nor every ID", ref: "", wantErr: "no such container: empty name", wantNoSuch: true},
		{name: "names are case-sensitive", ref: "WEB", wantErr: "no such container: WEB (`minibox ps -a` lists them)", wantNoSuch: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := find(all, tt.ref)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("find(%q) = %v, %v; want the error %q", tt.ref, got, err, tt.wantErr)
				}
				if errors.Is(err, ErrNoSuchContainer) != tt.wantNoSuch {
					t.Errorf("errors.Is(%v, ErrNoSuchContainer) = %v, want %v", err, !tt.wantNoSuch, tt.wantNoSuch)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("find(%q) = %+v, %v; want %s", tt.ref, got, err, tt.want.ShortID())
			}
		})
	}
}

// TestFreeName keeps names unique: a name in use is refused with the fix,
// a free one is given back, and none gets a random one that is free.
func TestFreeName(t *testing.T) {
	all := records()
	if got, err := freeName(all, "api"); err != nil || got != "api" {
		t.Errorf(`freeName("api") = %q, %v; want "api"`, got, err)
	}
	_, err := freeName(all, "db")
	if want := `the name "db" is taken by container abd211111111: choose another with --name, or remove it with ` + "`minibox rm db`"; err == nil || err.Error() != want {
		t.Errorf(`freeName("db"): %v, want %s`, err, want)
	}
	// An ID prefix is no name: a container may be named like another's ID.
	if got, err := freeName(all, "ff00"); err != nil || got != "ff00" {
		t.Errorf(`freeName("ff00") = %q, %v; want "ff00"`, got, err)
	}
	for range 20 {
		got, err := freeName(all, "")
		if err != nil {
			t.Fatal(err)
		}
		a, s, ok := strings.Cut(got, "_")
		if !ok || !slices.Contains(adjectives, a) || !slices.Contains(scientists, s) {
			t.Errorf("freeName(\"\") = %q, want adjective_scientist", got)
		}
		if err := CheckName(got); err != nil {
			t.Errorf("freeName(\"\") = %q: %v", got, err)
		}
	}
}

// TestFreeNameDrawsAgain: with every adjective_scientist but one taken, a
// run without a name gets that one.
func TestFreeNameDrawsAgain(t *testing.T) {
	var all []*State
	for _, a := range adjectives {
		for _, s := range scientists {
			if name := a + "_" + s; name != "calm_curie" {
				all = append(all, &State{ID: name, Name: name})
			}
		}
	}
	// 255 of 256 names are taken: 21 draws find the free one with
	// probability 1-(255/256)^21, about 8%; after that a numbered name is
	// made. Either way, never a taken one.
	got, err := freeName(all, "")
	if err != nil {
		t.Fatal(err)
	}
	if got != "calm_curie" && !strings.HasPrefix(got, "container_") {
		t.Errorf(`freeName("") = %q with all but calm_curie taken`, got)
	}
}

// TestCheckName accepts the names docker does.
func TestCheckName(t *testing.T) {
	for _, ok := range []string{"web", "a", "7", "my.app-1_x", "Web", strings.Repeat("a", 63)} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-x", "_x", ".x", "a b", "a/b", "../x", "é", strings.Repeat("a", 64)} {
		if err := CheckName(bad); err == nil {
			t.Errorf("CheckName(%q): want an error", bad)
		}
	}
}
