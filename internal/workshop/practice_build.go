package workshop

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// What the go command builds in practice mode: the learner's files in
// place of the reference's, through -overlay.

// Overlay writes, into dir, the files the go command must build in place
// of the reference's, and the -overlay file that says so, whose path it
// returns. Each learner file goes in as the learner wrote it, except that
// the exercises they have not passed get the reference's body back, so
// that what runs works: in a check, the exercise being checked (trying)
// keeps the learner's body. With no learner file, it returns "".
func (pr *Practice) Overlay(dir string, trying *Exercise) (string, error) {
	started := []*Exercise{}
	for _, ex := range pr.Exercises {
		if pr.Started(ex) {
			started = append(started, ex)
		}
	}
	if len(started) == 0 {
		return "", nil
	}
	groups, files := byFile(started)
	replace := map[string]string{}
	for i, file := range files {
		exs := groups[file]
		ref, err := os.ReadFile(filepath.Join(pr.Repo, file))
		if err != nil {
			return "", err
		}
		mine, err := os.ReadFile(filepath.Join(pr.Repo, exs[0].LearnerFile()))
		if err != nil {
			return "", err
		}
		bodies := map[string]string{}
		for _, ex := range exs {
			if ex == trying || pr.Progress.ExercisePassed(ex.ID) {
				continue
			}
			b, err := FuncBody(ref, ex.Func)
			if err != nil {
				return "", err
			}
			bodies[ex.Func] = b
		}
		out := mine
		if len(bodies) > 0 {
			known, err := Imports(ref)
			if err != nil {
				return "", err
			}
			if out, err = ReplaceBodies(mine, bodies, known); err != nil {
				// The learner's file does not parse: build it as it is,
				// and let the compiler say where.
				out = mine
			}
		}
		gen := filepath.Join(dir, fmt.Sprintf("%02d-%s", i, filepath.Base(file)))
		if err := os.WriteFile(gen, out, 0o644); err != nil {
			return "", err
		}
		replace[filepath.Join(pr.Repo, file)] = gen
	}
	data, err := json.MarshalIndent(struct{ Replace map[string]string }{replace}, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	return path, os.WriteFile(path, data, 0o644)
}

// Used lists the exercises whose learner code a build with Overlay(dir,
// nil) runs: those passed.
func (pr *Practice) Used() []*Exercise {
	var used []*Exercise
	for _, ex := range pr.Exercises {
		if pr.Started(ex) && pr.Progress.ExercisePassed(ex.ID) {
			used = append(used, ex)
		}
	}
	return used
}

// LearnerFiles lists the learner's files that exist, relative to Repo.
func (pr *Practice) LearnerFiles() ([]string, error) {
	var files []string
	seen := map[string]bool{}
	for _, ex := range pr.Exercises {
		f := ex.LearnerFile()
		if seen[f] {
			continue
		}
		seen[f] = true
		if _, err := os.Stat(filepath.Join(pr.Repo, f)); err == nil {
			files = append(files, f)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return files, nil
}

// Build builds the workshop and minibox from the learner's code, into
// Repo/bin/practice, and returns that directory: the exercises passed run
// the learner's bodies, the others the reference's.
func (pr *Practice) Build(goBin string) (string, error) {
	tmp, err := os.MkdirTemp("", "minibox-practice-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	overlay, err := pr.Overlay(tmp, nil)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(pr.Repo, "bin", "practice")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := pr.Progress.chown(dir); err != nil {
		return "", err
	}
	args := []string{"build", "-o", dir + "/"}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	cmd := exec.Command(goBin, append(args, "./cmd/workshop", "./cmd/minibox")...)
	cmd.Dir = pr.Repo
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build from your code: %v\n%s", err, out)
	}
	for _, name := range []string{"workshop", "minibox"} {
		if err := pr.Progress.chown(filepath.Join(dir, name)); err != nil {
			return "", err
		}
	}
	return dir, nil
}
