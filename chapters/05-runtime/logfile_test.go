package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogRotates writes more than the log may hold: no file grows past
// the limit, only maxFiles are kept, and what is kept is the newest, in
// order.
func TestLogRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "container.log")
	l, err := openLog(path, 100, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		fmt.Fprintf(l, "line %02d\n", i) // 8 bytes each: 12 to a file
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var kept strings.Builder
	for _, name := range []string{path + ".2", path + ".1", path} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 100 {
			t.Errorf("%s holds %d bytes, over the limit of 100", name, len(b))
		}
		kept.Write(b)
	}
	if _, err := os.Stat(path + ".3"); !os.IsNotExist(err) {
		t.Errorf("a fourth log file is there: %v", err)
	}
	var want strings.Builder
	for i := 24; i < 50; i++ { // 12 lines a file: 0-11, 12-23, then the 3 kept: 24-35, 36-47, 48-49
		fmt.Fprintf(&want, "line %02d\n", i)
	}
	if kept.String() != want.String() {
		t.Errorf("kept:\n%s\nwant the newest lines, in order:\n%s", kept.String(), want.String())
	}
}

// TestLogOneFile: with one file, the log starts over when full.
func TestLogOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "container.log")
	l, err := openLog(path, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(l, "12345678\n")
	fmt.Fprint(l, "abcdefgh\n")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "abcdefgh\n" {
		t.Errorf("log %q, want the last write only", b)
	}
	if _, err := os.Stat(path + ".1"); !os.IsNotExist(err) {
		t.Errorf("a second file with max-file 1: %v", err)
	}
}

// TestLogCutsLargeWrites: one write of many lines, as a pipe delivers a
// fast writer's output, is spread over files at line ends; a line longer
// than a file is cut.
func TestLogCutsLargeWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "container.log")
	l, err := openLog(path, 10, 3)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(l, "aaaa\nbbbb\ncccc\n")
	fmt.Fprint(l, "0123456789ABCDE\n")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, name := range []string{path + ".2", path + ".1", path} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
	}
	if want := []string{"cccc\n", "0123456789", "ABCDE\n"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("files %q, want %q", got, want)
	}
}

// TestCatchUpAfterRotation: a reader that holds a log file the writer has
// rotated away gets the files written after it, then the current one.
func TestCatchUpAfterRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "container.log")
	l, err := openLog(path, 6, 3)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(l, "1111\n")
	held, err := os.Open(path) // a reader at the first file
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	fmt.Fprint(l, "2222\n3333\n") // two rotations: the first file is now .2
	var got strings.Builder
	next, err := catchUp(&got, held, path, 3)
	if err != nil {
		t.Fatal(err)
	}
	next.Close()
	if got.String() != "2222\n3333\n" {
		t.Errorf("caught up %q, want the two files after the held one", got.String())
	}
	fmt.Fprint(l, "4444\n5555\n") // the held file is no longer kept
	l.Close()
	got.Reset()
	if next, err = catchUp(&got, held, path, 3); err != nil {
		t.Fatal(err)
	}
	next.Close()
	if got.String() != "3333\n4444\n5555\n" {
		t.Errorf("caught up %q, want every kept file", got.String())
	}
}

// TestLogNeverGoesMissing: while the log rotates again and again, its
// path always names a file; a reader that found none would take the log
// for empty and stop.
func TestLogNeverGoesMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "container.log")
	l, err := openLog(path, 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 3000 {
			fmt.Fprintf(l, "line %d\n", i)
		}
	}()
	for missing := 0; ; {
		select {
		case <-done:
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			if missing > 0 {
				t.Fatalf("the log's path named no file %d times while it rotated", missing)
			}
			return
		default:
			if _, err := os.Stat(path); os.IsNotExist(err) {
				missing++
			}
		}
	}
}
