package images_test

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"golang.org/x/sys/unix"
)

// TestLayerNeverFollowsASwappedSymlink plays the commit attack: while the
// layer is written, "the container" swaps its directory d for a symlink
// to a host directory and back, as fast as it can. No layer may ever hold
// the host's file; a write may fail, saying the tree changed.
func TestLayerNeverFollowsASwappedSymlink(t *testing.T) {
	base := t.TempDir()
	host := filepath.Join(base, "host")
	upper := filepath.Join(base, "upper")
	for _, d := range []string{host, filepath.Join(upper, "real")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(host, "canary"), []byte("HOST-SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(upper, "real", "mine"), []byte("container's"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Files the walk reads before it reaches d: time for d to change
	// between the walker's look at upper and its look into d.
	if err := os.Mkdir(filepath.Join(upper, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if err := os.WriteFile(filepath.Join(upper, "a", strings.Repeat("f", 1+i%50)+string(rune('a'+i/50))), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := filepath.Join(upper, "d")
	if err := os.Rename(filepath.Join(upper, "real"), d); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	done := make(chan struct{})
	link := filepath.Join(upper, ".link")
	if err := os.Symlink(host, link); err != nil {
		t.Fatal(err)
	}
	go func() { // the container: d a directory, then a symlink to the host, ...
		defer close(done)
		for !stop.Load() {
			// One atomic swap of the two names: d is always there.
			unix.Renameat2(unix.AT_FDCWD, d, unix.AT_FDCWD, link, unix.RENAME_EXCHANGE)
		}
	}()
	defer func() { stop.Store(true); <-done }()

	written, failed := 0, 0
	for range 200 {
		var layer bytes.Buffer
		if err := images.WriteTar(&layer, upper); err != nil {
			failed++
			continue
		}
		written++
		tr := tar.NewReader(&layer)
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(tr)
			if strings.Contains(hdr.Name, "canary") || bytes.Contains(body, []byte("HOST-SECRET")) {
				t.Fatalf("the layer holds the host's file: %s", hdr.Name)
			}
		}
	}
	t.Logf("%d layers written, %d refused because the tree changed", written, failed)
}

// TestLayerCopyRefusesASwappedFile: a regular file that became a FIFO (or
// another file) between the walk and the copy is an error, at once: the
// open must not wait for a FIFO's writer, and must not copy a file the
// walk never saw.
func TestLayerCopyRefusesASwappedFile(t *testing.T) {
	dir := t.TempDir()
	file, fifo := filepath.Join(dir, "file"), filepath.Join(dir, "fifo")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	var seen syscall.Stat_t
	if err := syscall.Lstat(file, &seen); err != nil {
		t.Fatal(err)
	}
	if err := images.CopyReplaced(file, &seen); err != nil {
		t.Fatalf("the file the walk saw: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- images.CopyReplaced(fifo, &seen) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "was replaced") {
			t.Errorf("copy of a file swapped for a FIFO: %v, want a was-replaced error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("copy of a file swapped for a FIFO waits for a writer")
	}
	other := filepath.Join(dir, "other")
	if err := os.WriteFile(other, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := images.CopyReplaced(other, &seen); err == nil {
		t.Error("copy of another file than the walk saw: no error")
	}
}
