package workshop

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/minibox-dev/minibox/tutorial"
)

// pagesWith returns the real tutorial pages with one page's text changed.
func pagesWith(t *testing.T, name string, change func(string) string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	names, _ := fs.Glob(tutorial.Pages, "*.md")
	for _, n := range names {
		data, err := fs.ReadFile(tutorial.Pages, n)
		if err != nil {
			t.Fatal(err)
		}
		if n == name {
			data = []byte(change(string(data)))
		}
		m[n] = &fstest.MapFile{Data: data}
	}
	return m
}

// chrootSteps stands for chapter 1's steps package: three steps by the
// IDs that tutorial/01-chroot.md marks. The engine is tested on its own;
// the tutorial's tests join the real steps with the real pages.
func chrootSteps() []ChapterSteps {
	steps := func() []*Step {
		var s []*Step
		for _, id := range []string{"chroot.userland", "chroot.jail", "chroot.escape"} {
			s = append(s, &Step{ID: id})
		}
		return s
	}
	return []ChapterSteps{{Number: 1, Steps: steps}}
}

func TestLoadJoinsStepsAndPages(t *testing.T) {
	w, err := Load(tutorial.Pages, chrootSteps())
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.Find("1.2")
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "chroot.jail" || st.Title != "Into the jail" || st.Chapter.Number != 1 {
		t.Errorf("step 1.2 = %s %q in chapter %d", st.ID, st.Title, st.Chapter.Number)
	}
	if byID, _ := w.Find("chroot.jail"); byID != st {
		t.Errorf("Find by ID and by number differ")
	}
	if _, err := w.Find("9.9"); err == nil || !strings.Contains(err.Error(), "workshop list") {
		t.Errorf("Find(9.9) = %v, want an error pointing at `workshop list`", err)
	}
	if _, err := w.FindChapter(42); err == nil {
		t.Errorf("FindChapter(42): want an error")
	}
	if len(w.Chapters) != 1 {
		t.Errorf("loaded %d chapters, want only the one given steps", len(w.Chapters))
	}
}

func TestLoadFailsOnChaptersWithoutPages(t *testing.T) {
	twice := append(chrootSteps(), chrootSteps()...)
	if _, err := Load(tutorial.Pages, twice); err == nil || !strings.Contains(err.Error(), "chapter 1 is given twice") {
		t.Errorf("Load with chapter 1 twice = %v, want an error", err)
	}
	none := []ChapterSteps{{Number: 42, Steps: func() []*Step { return nil }}}
	if _, err := Load(tutorial.Pages, none); err == nil || !strings.Contains(err.Error(), "tutorial/42-*.md") {
		t.Errorf("Load with a chapter without a page = %v, want an error naming the page", err)
	}
}

func TestLoadFailsWhenStepsAndPagesDrift(t *testing.T) {
	tests := []struct {
		name   string
		change func(string) string
		want   string
	}{
		{"a step without its section", func(s string) string {
			i := strings.Index(s, "## 1.3 ")
			return s[:i]
		}, "step 1.3 (chroot.escape) has no section"},
		{"a section without a step", func(s string) string {
			return s + "\n## 1.4 Extra\n<!-- step: chroot.extra -->\n"
		}, "has no step in the runner"},
		{"sections swapped", func(s string) string {
			s = strings.Replace(s, "<!-- step: chroot.jail -->", "<!-- step: X -->", 1)
			s = strings.Replace(s, "<!-- step: chroot.escape -->", "<!-- step: chroot.jail -->", 1)
			return strings.Replace(s, "<!-- step: X -->", "<!-- step: chroot.escape -->", 1)
		}, "is marked as step \"chroot.escape\", but step 1.2 is \"chroot.jail\""},
		{"a wrong number", func(s string) string {
			return strings.Replace(s, "## 1.2 Into the jail", "## 1.5 Into the jail", 1)
		}, "numbered 1.5, want 1.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(pagesWith(t, "01-chroot.md", tt.change), chrootSteps())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
