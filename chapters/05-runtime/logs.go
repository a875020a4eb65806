package runtime

import (
	"errors"
	"io"
	"os"
	"time"
)

// Logs copies container ref's output (a detached container's stdout and
// stderr, in order) to w: the rotated logs that are left, oldest first,
// then the current one (logfile.go), and those the log rotates into
// meanwhile. With follow it keeps copying what the container writes until
// it exits, as tail -f does.
func Logs(p Paths, ref string, w io.Writer, follow bool) error {
	s, err := Find(p, ref)
	if err != nil {
		return err
	}
	path := logPath(p, s.ID)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !s.Config.Detach {
		return errors.New("container " + s.Name + " ran in the foreground: its output went to the terminal, not to a log")
	}
	_, files := logLimits(s.Config)
	for n := files - 1; n > 0; n-- {
		if err := copyFile(w, rotated(path, n)); err != nil {
			return err
		}
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // nothing written yet
	}
	if err != nil {
		return err
	}
	defer func() { f.Close() }()
	for {
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
		if rotatedAway(f, path) {
			// f is whole once renamed: on to the files written after it.
			next, err := catchUp(w, f, path, files)
			if err != nil {
				return err
			}
			f.Close()
			f = next
			continue
		}
		if !follow || !supervised(p, s) {
			// One last copy: what was written before the supervisor ended;
			// and, had the log rotated meanwhile, one more round.
			if _, err := io.Copy(w, f); err != nil || !rotatedAway(f, path) {
				return err
			}
			follow = false
			continue
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// catchUp copies the logs written after f, which was rotated away: the
// kept files newer than it, oldest first (all of them, if f is no longer
// kept), then the current one, which it returns open at its end.
func catchUp(w io.Writer, f *os.File, path string, files int) (*os.File, error) {
	old, err := f.Stat()
	if err != nil {
		return nil, err
	}
	newer := files - 1
	for n := files - 1; n >= 1; n-- {
		if fi, err := os.Stat(rotated(path, n)); err == nil && os.SameFile(old, fi) {
			newer = n - 1
			break
		}
	}
	for n := newer; n >= 1; n-- {
		if err := copyFile(w, rotated(path, n)); err != nil {
			return nil, err
		}
	}
	next, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(w, next); err != nil {
		next.Close()
		return nil, err
	}
	return next, nil
}

// copyFile copies the file at path to w; a missing file is empty.
func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// rotatedAway reports whether path now names another file than f.
func rotatedAway(f *os.File, path string) bool {
	open, err1 := f.Stat()
	now, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && !os.SameFile(open, now)
}
