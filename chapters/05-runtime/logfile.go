package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// A detached container's output goes to its log, through its supervisor:
// the container writes into a pipe, and the supervisor copies what comes
// out into container.log. Written by the container itself, the file could
// grow until the disk is full, the host's disk too. The supervisor keeps
// it under LogMaxSize: when the next write would pass it, the file is
// renamed container.log.1 (the older ones shift to .2, ...), the oldest
// beyond LogMaxFiles is removed, and a new one is started. `minibox logs`
// reads them all, oldest first.

// Log rotation's defaults, as `--log-opt max-size=10m --log-opt max-file=3`.
const (
	DefaultLogMaxSize  = 10 << 20
	DefaultLogMaxFiles = 3
)

// logFile is a container's log, rotated. Write never fails: a container
// must not die because its log could not be written; the first error is
// kept, for the record.
type logFile struct {
	path     string
	maxSize  int64
	maxFiles int

	mu   sync.Mutex
	f    *os.File
	size int64
	err  error
}

// openLog opens (or goes on with) the log at path.
func openLog(path string, maxSize int64, maxFiles int) (*logFile, error) {
	l := &logFile{path: path, maxSize: maxSize, maxFiles: maxFiles}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *logFile) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.f, l.size = f, fi.Size()
	return nil
}

// Write writes p, rotating as often as it takes.
func (l *logFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(p)
	for len(p) > 0 && l.f != nil { // no file: a rotation failed, and said so
		chunk := l.fitting(p)
		if len(chunk) == 0 {
			l.keep(l.rotate())
			continue
		}
		written, err := l.f.Write(chunk)
		l.size += int64(written)
		if err != nil {
			l.keep(err)
			break
		}
		p = p[len(chunk):]
	}
	return n, nil
}

// fitting is what of p goes into the current file: all of it if it fits;
// else its lines that fit; else nothing (a rotation first), but for a
// line longer than a whole file, cut where the new file is full.
func (l *logFile) fitting(p []byte) []byte {
	if l.maxSize <= 0 || l.size+int64(len(p)) <= l.maxSize {
		return p
	}
	room := l.maxSize - l.size
	if room <= 0 {
		return nil
	}
	fit := p[:room]
	if nl := bytes.LastIndexByte(fit, '\n'); nl >= 0 {
		return fit[:nl+1]
	}
	if l.size == 0 {
		return fit
	}
	return nil
}

func (l *logFile) keep(err error) {
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("container log: %w", err)
	}
}

// rotate shifts path.N to path.N+1, drops what is beyond maxFiles, makes
// the current file path.1, and starts path anew. path itself never goes
// missing, or a reader could take the log for empty: the current file
// gets its second name by link(2), and the new one replaces it by
// rename(2), in one step.
func (l *logFile) rotate() error {
	if err := l.f.Close(); err != nil {
		return err
	}
	l.f = nil
	if l.maxFiles > 1 {
		err := os.Remove(rotated(l.path, l.maxFiles-1))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for n := l.maxFiles - 2; n >= 1; n-- {
			err := os.Rename(rotated(l.path, n), rotated(l.path, n+1))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		if err := os.Link(l.path, rotated(l.path, 1)); err != nil {
			return err
		}
	}
	fresh := l.path + ".new"
	f, err := os.OpenFile(fresh, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	if err := os.Rename(fresh, l.path); err != nil {
		f.Close()
		return err
	}
	l.f, l.size = f, 0
	return nil
}

// rotated is the name of the nth log: path itself for 0, path.n after.
func rotated(path string, n int) string {
	if n == 0 {
		return path
	}
	return fmt.Sprintf("%s.%d", path, n)
}

// Err is the first error the log met, if any.
func (l *logFile) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close closes the log and returns the first error it met.
func (l *logFile) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.keep(l.f.Close())
		l.f = nil
	}
	return l.err
}
