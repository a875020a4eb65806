package runtime

import (
	"fmt"
	"io"
	"os"

	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// A container's parts, as its record gives them: its overlay, its hostname
// and its standard streams; and, once it has exited, its final record
// (supervisor.go).

func overlayOf(p Paths, id string, lowers []string) images.Overlay {
	c := &images.Container{Dir: p.Container(id)}
	return c.Overlay(lowers)
}

// Hostname is the container's hostname: the one asked for, or its short
// ID, as Docker's. Chapter 7 names the container by it in /etc/hosts.
func (s *State) Hostname() string {
	if s.Config.Hostname != "" {
		return s.Config.Hostname
	}
	return s.ShortID()
}

// containerIO returns the container's standard streams: the supervisor's
// own in the foreground, its log when detached (one writer for both, so
// that one pipe carries them in order). closeIO returns the log's error.
func containerIO(p Paths, s *State) (stdin io.Reader, stdout, stderr io.Writer, closeIO func() error, err error) {
	if !s.Config.Detach {
		return os.Stdin, os.Stdout, os.Stderr, func() error { return nil }, nil
	}
	size, files := logLimits(s.Config)
	log, err := openLog(logPath(p, s.ID), size, files)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		log.Close()
		return nil, nil, nil, nil, err
	}
	return devnull, log, log, func() error { devnull.Close(); return log.Close() }, nil
}

// logLimits are the log's size and count, the defaults where cfg has none.
func logLimits(cfg Config) (maxSize int64, maxFiles int) {
	maxSize, maxFiles = cfg.LogMaxSize, cfg.LogMaxFiles
	if maxSize == 0 {
		maxSize = DefaultLogMaxSize
	}
	if maxFiles == 0 {
		maxFiles = DefaultLogMaxFiles
	}
	return maxSize, maxFiles
}

// finish saves the final record, or removes the container for --rm.
func finish(p Paths, s *State) error {
	if s.Config.Remove {
		if err := removeContainer(p, s.ID); err != nil {
			return fmt.Errorf("remove the container (--rm): %w", err)
		}
		return nil
	}
	if err := s.Save(p); err != nil {
		return fmt.Errorf("record its exit: %w", err)
	}
	return nil
}
