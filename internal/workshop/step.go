package workshop

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Step is one thing a learner does and checks.
type Step struct {
	ID    string // stable, e.g. "chroot.jail"; progress is keyed by it
	Root  bool   // needs root
	Check string // what passing means, one line: shown after ✓ or ✗
	Hint  string // what to look at when the check fails
	// Run does the step, printing what happens to e.Out, and returns nil
	// only if its check passed.
	Run func(e *Env) error

	// From the tutorial page, filled in by Load.
	Number  string // "1.2"
	Title   string
	Section Section
	Chapter *Chapter
}

// Chapter is a tutorial page and its steps, in order.
type Chapter struct {
	Number int
	Title  string
	Page   *Page
	Steps  []*Step
}

// Workshop is every chapter, joined with its page.
type Workshop struct {
	Chapters []*Chapter
}

// ChapterSteps is what a chapter's steps package gives the engine: the
// chapter's number and its steps, in order. Steps makes them anew at each
// call, since Load fills in their places on the page.
type ChapterSteps struct {
	Number int
	Steps  func() []*Step
	// Exercises, if the chapter has some, are the functions of its code
	// that the learner writes in practice mode, in learning order.
	Exercises func() []*Exercise
}

// Load joins the chapters' steps with the tutorial pages in pages and
// fails when they disagree: a step without a section, a section without a
// step, or a section whose number is not the step's place in its chapter.
// A page with no chapter's steps (a guide) is left out.
func Load(pages fs.FS, chapters []ChapterSteps) (*Workshop, error) {
	chapterSteps := map[int][]*Step{}
	for _, c := range chapters {
		if _, dup := chapterSteps[c.Number]; dup {
			return nil, fmt.Errorf("chapter %d is given twice", c.Number)
		}
		chapterSteps[c.Number] = c.Steps()
	}
	names, err := fs.Glob(pages, "[0-9][0-9]-*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	w := &Workshop{}
	seen := map[int]bool{}
	for _, name := range names {
		text, err := fs.ReadFile(pages, name)
		if err != nil {
			return nil, err
		}
		page, err := ParsePage(name, string(text))
		if err != nil {
			return nil, err
		}
		steps, ok := chapterSteps[page.Chapter]
		if !ok {
			continue // a page without steps (a guide) is fine
		}
		if seen[page.Chapter] {
			return nil, fmt.Errorf("%s: a second page for chapter %d", name, page.Chapter)
		}
		seen[page.Chapter] = true
		ch := &Chapter{Number: page.Chapter, Title: page.Title, Page: page}
		if err := ch.join(steps); err != nil {
			return nil, err
		}
		w.Chapters = append(w.Chapters, ch)
	}
	for _, c := range chapters {
		if !seen[c.Number] {
			return nil, fmt.Errorf("chapter %d has steps but no tutorial page tutorial/%02d-*.md", c.Number, c.Number)
		}
	}
	return w, nil
}

func (ch *Chapter) join(steps []*Step) error {
	name := ch.Page.File
	secs := ch.Page.Sections
	for i, st := range steps {
		want := fmt.Sprintf("%d.%d", ch.Number, i+1)
		if i >= len(secs) {
			return fmt.Errorf("%s: step %s (%s) has no section: add \"## %s Title\" with <!-- step: %s --> under it", name, want, st.ID, want, st.ID)
		}
		sec := secs[i]
		if sec.StepID != st.ID {
			return fmt.Errorf("%s:%d: section %s is marked as step %q, but step %s is %q", name, sec.Line, sec.Number, sec.StepID, want, st.ID)
		}
		if sec.Number != want {
			return fmt.Errorf("%s:%d: section of step %s is numbered %s, want %s", name, sec.Line, st.ID, sec.Number, want)
		}
		st.Number, st.Title, st.Section, st.Chapter = sec.Number, sec.Title, sec, ch
		ch.Steps = append(ch.Steps, st)
	}
	if len(secs) > len(steps) {
		extra := secs[len(steps)]
		return fmt.Errorf("%s:%d: section %s (step %q) has no step in the runner", name, extra.Line, extra.Number, extra.StepID)
	}
	return nil
}

// Steps returns every step of every chapter, in order.
func (w *Workshop) Steps() []*Step {
	var all []*Step
	for _, ch := range w.Chapters {
		all = append(all, ch.Steps...)
	}
	return all
}

// Find returns the step with this ID ("chroot.jail") or number ("1.2").
func (w *Workshop) Find(name string) (*Step, error) {
	for _, st := range w.Steps() {
		if st.ID == name || st.Number == name {
			return st, nil
		}
	}
	return nil, fmt.Errorf("no step %q: `workshop list` shows every step with its number and ID", name)
}

// FindChapter returns chapter n.
func (w *Workshop) FindChapter(n int) (*Chapter, error) {
	var have []string
	for _, ch := range w.Chapters {
		if ch.Number == n {
			return ch, nil
		}
		have = append(have, fmt.Sprint(ch.Number))
	}
	return nil, fmt.Errorf("no chapter %d: the chapters are %s", n, strings.Join(have, ", "))
}
