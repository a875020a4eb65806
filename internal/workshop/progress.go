package workshop

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"time"
)

// Progress records which steps have passed their check, keyed by step ID
// so that renumbering the tutorial keeps a learner's progress.
type Progress struct {
	Version int                  `json:"version"`
	Passed  map[string]time.Time `json:"passed"`
	// Exercises is practice mode's record, by exercise ID.
	Exercises map[string]*ExerciseProgress `json:"exercises,omitempty"`

	path string
	// owner is who the file belongs to: under sudo, the invoking user.
	uid, gid int
}

// StateDir returns the invoking user's state directory for the workshop:
// $XDG_STATE_HOME/minibox, else ~/.local/state/minibox, where ~ is the home
// of the user who ran sudo, when run under sudo: progress belongs to the
// learner, not to root.
func StateDir() (dir string, uid, gid int, err error) {
	return stateDir(os.Getenv, os.Geteuid(), user.Lookup)
}

// stateDir is StateDir with the process's environment, euid and user
// database passed in, for tests.
func stateDir(getenv func(string) string, euid int, lookup func(string) (*user.User, error)) (dir string, uid, gid int, err error) {
	uid, gid = euid, os.Getgid()
	home := getenv("HOME")
	// Under sudo the learner is SUDO_USER; XDG_STATE_HOME, if sudo kept it,
	// is theirs too.
	if name := getenv("SUDO_USER"); euid == 0 && name != "" && name != "root" {
		u, err := lookup(name)
		if err != nil {
			return "", 0, 0, fmt.Errorf("find the home of SUDO_USER=%s: %w", name, err)
		}
		if uid, err = strconv.Atoi(u.Uid); err != nil {
			return "", 0, 0, fmt.Errorf("uid of %s: %w", name, err)
		}
		if gid, err = strconv.Atoi(u.Gid); err != nil {
			return "", 0, 0, fmt.Errorf("gid of %s: %w", name, err)
		}
		home = u.HomeDir
	}
	if x := getenv("XDG_STATE_HOME"); x != "" {
		return filepath.Join(x, "minibox"), uid, gid, nil
	}
	if home == "" {
		return "", 0, 0, fmt.Errorf("no home directory to keep progress in: set HOME or XDG_STATE_HOME")
	}
	return filepath.Join(home, ".local", "state", "minibox"), uid, gid, nil
}

// NewProgress returns empty progress, to be saved in the learner's state
// directory, without reading what is there.
func NewProgress() (*Progress, error) {
	dir, uid, gid, err := StateDir()
	if err != nil {
		return nil, err
	}
	return &Progress{Version: 1, Passed: map[string]time.Time{}, path: filepath.Join(dir, "progress.json"), uid: uid, gid: gid}, nil
}

// LoadProgress reads the learner's progress; a missing file is no progress.
func LoadProgress() (*Progress, error) {
	p, err := NewProgress()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p.path)
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("%s is damaged (%v): `workshop reset` starts afresh", p.path, err)
	}
	if p.Passed == nil {
		p.Passed = map[string]time.Time{}
	}
	return p, nil
}

// ExerciseProgress is how far the learner is with one exercise.
type ExerciseProgress struct {
	Passed time.Time `json:"passed,omitzero"`
	// Body is the sha256 of the body that passed: a pass counts for that
	// code only, not for a stub written over it or a later edit.
	Body         string `json:"body,omitempty"`
	Hints        int    `json:"hints,omitempty"`         // how many tiers of hints were shown
	SolutionSeen bool   `json:"solution_seen,omitempty"` // before passing, with --anyway
}

// Exercise returns the record of exercise id, made if there is none.
func (p *Progress) Exercise(id string) *ExerciseProgress {
	if p.Exercises == nil {
		p.Exercises = map[string]*ExerciseProgress{}
	}
	e, ok := p.Exercises[id]
	if !ok {
		e = &ExerciseProgress{}
		p.Exercises[id] = e
	}
	return e
}

// ExercisePassed reports whether exercise id has passed.
func (p *Progress) ExercisePassed(id string) bool {
	e, ok := p.Exercises[id]
	return ok && !e.Passed.IsZero()
}

// Path is the progress file's path.
func (p *Progress) Path() string { return p.path }

// Done reports whether step id has passed.
func (p *Progress) Done(id string) bool {
	_, ok := p.Passed[id]
	return ok
}

// Record notes a step's result and saves the file.
func (p *Progress) Record(id string, passed bool, at time.Time) error {
	if passed {
		p.Passed[id] = at.UTC().Truncate(time.Second)
	} else {
		delete(p.Passed, id)
	}
	return p.Save()
}

// Save writes the file atomically: a reader sees the old file or the new
// one, never half of one. Write a temporary file beside it, sync it, rename
// it over the old one.
func (p *Progress) Save() error {
	dir := filepath.Dir(p.path)
	if err := p.mkdirs(dir); err != nil {
		return err
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".progress-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := p.chown(tmp.Name()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil {
		return err
	}
	return nil
}

// mkdirs makes dir and any missing parents, each given to the learner
// when running under sudo: a root-owned ~/.local would break their tools.
func (p *Progress) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := p.mkdirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return p.chown(dir)
}

// chown gives path to the learner when running under sudo, so their next
// run without sudo can write it.
func (p *Progress) chown(path string) error {
	if os.Geteuid() != 0 || p.uid == os.Geteuid() {
		return nil
	}
	if err := os.Lchown(path, p.uid, p.gid); err != nil {
		return fmt.Errorf("give %s to uid %d: %w", path, p.uid, err)
	}
	return nil
}

// Reset forgets all progress.
func (p *Progress) Reset() error {
	p.Passed = map[string]time.Time{}
	p.Exercises = nil
	err := os.Remove(p.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
