package runtime

import (
	"errors"
	"io"
	"os"
	"time"
)

// Logs copies container ref's output (a detached container's stdout and
// stderr, in order) to w. With follow it keeps copying what the container
// writes until it exits, as tail -f does.
func Logs(p Paths, ref string, w io.Writer, follow bool) error {
	s, err := Find(p, ref)
	if err != nil {
		return err
	}
	f, err := os.Open(logPath(p, s.ID))
	if errors.Is(err, os.ErrNotExist) {
		if !s.Config.Detach {
			return errors.New("container " + s.Name + " ran in the foreground: its output went to the terminal, not to a log")
		}
		return nil // nothing written yet
	}
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
		if !follow || !supervised(p, s) {
			// One last copy: what was written before the supervisor ended.
			_, err := io.Copy(w, f)
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
