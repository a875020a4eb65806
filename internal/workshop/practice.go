package workshop

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Practice mode keeps the learner's code out of the reference's way. The
// learner's copy of a file lives beside it in the chapter's _practice
// folder, which git ignores (so a `git pull` never conflicts with it) and
// go ignores (a folder whose name starts with "_" is no package). The
// reference is never changed, so it cannot be lost. The go command builds
// with the learner's files in place of the reference's through its
// -overlay flag:
//
//	chapters/02-namespaces/uts.go            the reference
//	chapters/02-namespaces/_practice/uts.go  the learner's copy
//
// A chapter can be practised while the chapters before it stay the
// reference: a class can start at chapter N.

// practiceDir is the folder of a chapter's learner files.
const practiceDir = "_practice"

// Practice is practice mode on the repository at Repo.
type Practice struct {
	Repo      string
	Exercises []*Exercise
	Progress  *Progress
}

// LearnerFile is the learner's copy of ex's file, relative to Repo.
func (ex *Exercise) LearnerFile() string {
	return filepath.Join(ex.Dir, practiceDir, filepath.Base(ex.File))
}

// Find returns the exercise named id.
func (pr *Practice) Find(id string) (*Exercise, error) {
	for _, ex := range pr.Exercises {
		if ex.ID == id {
			return ex, nil
		}
	}
	return nil, fmt.Errorf("no exercise %q: `workshop practice list` shows them all", id)
}

// Started reports whether the learner has a copy of ex's file.
func (pr *Practice) Started(ex *Exercise) bool {
	_, err := os.Stat(filepath.Join(pr.Repo, ex.LearnerFile()))
	return err == nil
}

// Active reports whether any exercise has been started.
func (pr *Practice) Active() bool {
	for _, ex := range pr.Exercises {
		if pr.Started(ex) {
			return true
		}
	}
	return false
}

// Passed reports whether ex passed with the body the learner's file has
// now.
func (pr *Practice) Passed(ex *Exercise) bool {
	e, ok := pr.Progress.Exercises[ex.ID]
	if !ok || e.Passed.IsZero() {
		return false
	}
	sum, err := pr.bodySum(ex)
	return err == nil && sum == e.Body
}

// bodySum is the sha256 of the learner's body of ex, spaces at its ends
// trimmed.
func (pr *Practice) bodySum(ex *Exercise) (string, error) {
	src, err := os.ReadFile(filepath.Join(pr.Repo, ex.LearnerFile()))
	if err != nil {
		return "", err
	}
	body, err := FuncBody(src, ex.Func)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", sha256.Sum256([]byte(strings.TrimSpace(body)))), nil
}

// Next is the first started exercise not yet passed, in learning order,
// or nil.
func (pr *Practice) Next() *Exercise {
	for _, ex := range pr.Exercises {
		if pr.Started(ex) && !pr.Passed(ex) {
			return ex
		}
	}
	return nil
}

// ChapterExercises returns chapter n's exercises.
func (pr *Practice) ChapterExercises(n int) []*Exercise {
	var exs []*Exercise
	for _, ex := range pr.Exercises {
		if ex.Chapter == n {
			exs = append(exs, ex)
		}
	}
	return exs
}

// byFile groups exercises by the reference file they are in.
func byFile(exs []*Exercise) (map[string][]*Exercise, []string) {
	m := map[string][]*Exercise{}
	var files []string
	for _, ex := range exs {
		if _, ok := m[ex.File]; !ok {
			files = append(files, ex.File)
		}
		m[ex.File] = append(m[ex.File], ex)
	}
	sort.Strings(files)
	return m, files
}

// StubFile returns the reference file with the bodies of exs (all in that
// file) replaced by their stubs: the learner's starting point.
func (pr *Practice) StubFile(file string, exs []*Exercise) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(pr.Repo, file))
	if err != nil {
		return nil, err
	}
	bodies := map[string]string{}
	for _, ex := range exs {
		b, err := StubBody(src, ex.Func, ex)
		if err != nil {
			return nil, fmt.Errorf("exercise %s: %w", ex.ID, err)
		}
		bodies[ex.Func] = b
	}
	known, err := Imports(src)
	if err != nil {
		return nil, err
	}
	return ReplaceBodies(src, bodies, known)
}

// Start gives the learner their copies of chapter n's files, with the
// exercises stubbed. A copy that exists is kept: it may hold their work.
// It returns the files written and those kept.
func (pr *Practice) Start(n int) (written, kept []string, err error) {
	exs := pr.ChapterExercises(n)
	if len(exs) == 0 {
		return nil, nil, fmt.Errorf("chapter %d has no exercises: `workshop practice list` shows which chapters do", n)
	}
	groups, files := byFile(exs)
	for _, file := range files {
		dst := groups[file][0].LearnerFile()
		if _, err := os.Stat(filepath.Join(pr.Repo, dst)); err == nil {
			kept = append(kept, dst)
			continue
		}
		src, err := pr.StubFile(file, groups[file])
		if err != nil {
			return written, kept, err
		}
		if err := pr.writeLearnerFile(dst, src); err != nil {
			return written, kept, err
		}
		written = append(written, dst)
	}
	return written, kept, nil
}

// writeLearnerFile writes a file of the learner's, theirs even under sudo.
func (pr *Practice) writeLearnerFile(rel string, data []byte) error {
	path := filepath.Join(pr.Repo, rel)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := pr.Progress.chown(dir); err != nil {
		return err
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := pr.Progress.chown(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// Reset puts the stub of ex back in the learner's file, keeping the rest
// of their file as it is, and forgets that ex passed.
func (pr *Practice) Reset(ex *Exercise) error {
	if !pr.Started(ex) {
		return fmt.Errorf("exercise %s is not started: `workshop practice start %d` starts its chapter", ex.ID, ex.Chapter)
	}
	ref, err := os.ReadFile(filepath.Join(pr.Repo, ex.File))
	if err != nil {
		return err
	}
	stub, err := StubBody(ref, ex.Func, ex)
	if err != nil {
		return err
	}
	mine, err := os.ReadFile(filepath.Join(pr.Repo, ex.LearnerFile()))
	if err != nil {
		return err
	}
	known, err := Imports(ref)
	if err != nil {
		return err
	}
	out, err := ReplaceBodies(mine, map[string]string{ex.Func: stub}, known)
	if err != nil {
		return fmt.Errorf("%s: %w (fix the file, or delete it and start again)", ex.LearnerFile(), err)
	}
	// What they wrote is kept beside it, in case they want it back.
	if err := pr.writeLearnerFile(ex.LearnerFile()+".before-reset", mine); err != nil {
		return err
	}
	if err := pr.writeLearnerFile(ex.LearnerFile(), out); err != nil {
		return err
	}
	e := pr.Progress.Exercise(ex.ID)
	e.Passed, e.Body = time.Time{}, ""
	return pr.Progress.Save()
}

// IDs lists exercises' IDs, joined for a sentence.
func IDs(exs []*Exercise) string {
	ids := make([]string, len(exs))
	for i, ex := range exs {
		ids[i] = ex.ID
	}
	return strings.Join(ids, ", ")
}
