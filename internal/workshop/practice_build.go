package workshop

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// What the go command builds in practice mode: the learner's files in
// place of the reference's, through -overlay.

// Overlay writes, into dir, the files the go command must build in place
// of the reference's, and the -overlay file that says so, whose path it
// returns. Each is the current reference with the learner's bodies of
// its exercises in it: those they passed, and in a check the one being
// checked (trying). Only the exercises' bodies are the learner's: a fix
// to the rest of the reference that a `git pull` brings is built too. A
// //line comment before each of the learner's bodies makes the
// compiler's errors name their file and line. With nothing started, it
// returns "".
func (pr *Practice) Overlay(dir string, trying *Exercise) (string, error) {
	started := []*Exercise{}
	for _, ex := range pr.Exercises {
		if pr.Started(ex) && (ex == trying || pr.Passed(ex)) {
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
		mine, err := pr.learnerSource(exs[0])
		if err != nil {
			return "", err
		}
		abs, err := filepath.Abs(filepath.Join(pr.Repo, exs[0].LearnerFile()))
		if err != nil {
			return "", err
		}
		bodies := map[string]string{}
		for _, ex := range exs {
			body, line, err := funcBodyAt(mine, ex.Func)
			if err != nil {
				return "", fmt.Errorf("%s: %w (write it back, or `workshop practice reset %s`)", ex.LearnerFile(), err, ex.ID)
			}
			if strings.HasPrefix(body, "\n") {
				body = fmt.Sprintf("\n//line %s:%d%s", abs, line+1, body)
			}
			bodies[ex.Func] = body
		}
		known, err := knownImports(ref, mine)
		if err != nil {
			return "", err
		}
		out, err := ReplaceBodies(ref, bodies, known)
		if err != nil {
			return "", fmt.Errorf("%s: %w", exs[0].LearnerFile(), err)
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

// learnerSource reads the learner's copy of ex's file, and says where it
// does not parse, with its own name and line.
func (pr *Practice) learnerSource(ex *Exercise) ([]byte, error) {
	rel := ex.LearnerFile()
	src, err := os.ReadFile(filepath.Join(pr.Repo, rel))
	if err != nil {
		return nil, err
	}
	if _, err := parser.ParseFile(token.NewFileSet(), rel, src, parser.ParseComments); err != nil {
		return nil, err
	}
	return src, nil
}

// knownImports are the packages a learner's body may use: those the
// reference file imports, and those they imported in their copy.
func knownImports(ref, mine []byte) (map[string]string, error) {
	known, err := Imports(ref)
	if err != nil {
		return nil, err
	}
	theirs, err := Imports(mine)
	if err != nil {
		return nil, err
	}
	for name, p := range theirs {
		if _, ok := known[name]; !ok {
			known[name] = p
		}
	}
	return known, nil
}

// Used lists the exercises whose learner code a build with Overlay(dir,
// nil) runs: those passed.
func (pr *Practice) Used() []*Exercise {
	var used []*Exercise
	for _, ex := range pr.Exercises {
		if pr.Started(ex) && pr.Passed(ex) {
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
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0") // static, as make builds them
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
