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

	path string
	// owner is who the file belongs to: under sudo, the invoking user.
	uid, gid int
}

// StateDir returns the invoking user's state directory for the workshop:
// $XDG_STATE_HOME/minibox, else ~/.local/state/minibox, where ~ is the home
// of the user who ran sudo, when run under sudo: progress belongs to the
// learner, not to root.
func StateDir() (dir string, uid, gid int, err error) {
	uid, gid = os.Getuid(), os.Getgid()
	if x := os.Getenv("XDG_STATE_HOME"); x != "" {
		return filepath.Join(x, "minibox"), uid, gid, nil
	}
	home, err := os.UserHomeDir()
	if name := os.Getenv("SUDO_USER"); os.Geteuid() == 0 && name != "" && name != "root" {
		u, lerr := user.Lookup(name)
		if lerr != nil {
			return "", 0, 0, fmt.Errorf("find the home of SUDO_USER=%s: %w", name, lerr)
		}
		home, err = u.HomeDir, nil
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
	}
	if err != nil {
		return "", 0, 0, fmt.Errorf("no home directory to keep progress in (set XDG_STATE_HOME): %w", err)
	}
	return filepath.Join(home, ".local", "state", "minibox"), uid, gid, nil
}

// LoadProgress reads the learner's progress; a missing file is no progress.
func LoadProgress() (*Progress, error) {
	dir, uid, gid, err := StateDir()
	if err != nil {
		return nil, err
	}
	p := &Progress{Version: 1, Passed: map[string]time.Time{}, path: filepath.Join(dir, "progress.json"), uid: uid, gid: gid}
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
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

// chown gives the file, and the directories made for it, to the learner
// when running under sudo, so their next run without sudo can write it.
func (p *Progress) chown(file string) error {
	if os.Geteuid() != 0 || p.uid == 0 {
		return nil
	}
	dir := filepath.Dir(p.path)
	for _, path := range []string{file, dir, filepath.Dir(dir)} {
		if err := os.Lchown(path, p.uid, p.gid); err != nil {
			return fmt.Errorf("give %s to uid %d: %w", path, p.uid, err)
		}
	}
	return nil
}

// Reset forgets all progress.
func (p *Progress) Reset() error {
	p.Passed = map[string]time.Time{}
	err := os.Remove(p.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
