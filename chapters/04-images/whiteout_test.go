package images_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

func TestParseWhiteout(t *testing.T) {
	tests := []struct {
		name    string
		want    images.Whiteout
		ok      bool
		wantErr string
	}{
		{name: "etc/passwd"},
		{name: "etc/.wh.passwd", want: images.Whiteout{Dir: "etc", Target: "passwd"}, ok: true},
		{name: ".wh.tmp", want: images.Whiteout{Dir: "", Target: "tmp"}, ok: true},
		{name: "a/b/.wh..wh..opq", want: images.Whiteout{Dir: "a/b"}, ok: true},
		{name: "a/.wh..", wantErr: "names no file"},
		{name: "a/.wh.", wantErr: "names no file"},
		{name: "a/.wh...", wantErr: "names no file"},
		{name: "a/.wh..wh.x", wantErr: "names no file"},
		{name: "a/.whx", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := images.ParseWhiteout(tt.name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.ok {
				t.Fatalf("ok %v, err %v; want ok %v", ok, err, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{in: "etc/passwd", want: "etc/passwd"},
		{in: "./etc//passwd", want: "etc/passwd"},
		{in: "/etc/passwd", want: "etc/passwd"},
		{in: "///abs", want: "abs"},
		{in: "dir/", want: "dir"},
		{in: "./", want: ""},
		{in: "../x", wantErr: `".."`},
		{in: "a/../../x", wantErr: `".."`},
		{in: "a/..", wantErr: `".."`},
		{in: "/../x", wantErr: `".."`},
	}
	for _, tt := range tests {
		got, err := images.CleanName(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("CleanName(%q) = %q, %v; want an error with %s", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestWhiteoutNames turns overlayfs's marks in an upper directory into OCI
// entries, as commit does, and reads them back, as unpacking does: each
// name must mean what it was made for.
func TestWhiteoutNames(t *testing.T) {
	deleted := []struct {
		rel, want string
		back      images.Whiteout
	}{
		{"passwd", ".wh.passwd", images.Whiteout{Target: "passwd"}},
		{"etc/passwd", "etc/.wh.passwd", images.Whiteout{Dir: "etc", Target: "passwd"}},
		{"usr/lib/x.so.1", "usr/lib/.wh.x.so.1", images.Whiteout{Dir: "usr/lib", Target: "x.so.1"}},
		{"a/.hidden", "a/.wh..hidden", images.Whiteout{Dir: "a", Target: ".hidden"}},
	}
	for _, tt := range deleted {
		got := images.WhiteoutName(tt.rel)
		if got != tt.want {
			t.Errorf("WhiteoutName(%q) = %q, want %q", tt.rel, got, tt.want)
		}
		back, ok, err := images.ParseWhiteout(got)
		if err != nil || !ok || back != tt.back {
			t.Errorf("ParseWhiteout(%q) = %+v, %v, %v; want %+v: the deletion of %s", got, back, ok, err, tt.back, tt.rel)
		}
	}
	opaque := []struct {
		dir, want string
	}{
		{"cache", "cache/.wh..wh..opq"},
		{"var/cache/apt", "var/cache/apt/.wh..wh..opq"},
	}
	for _, tt := range opaque {
		got := images.OpaqueName(tt.dir)
		if got != tt.want {
			t.Errorf("OpaqueName(%q) = %q, want %q", tt.dir, got, tt.want)
		}
		back, ok, err := images.ParseWhiteout(got)
		if want := (images.Whiteout{Dir: tt.dir}); err != nil || !ok || back != want {
			t.Errorf("ParseWhiteout(%q) = %+v, %v, %v; want %+v: %s made opaque", got, back, ok, err, want, tt.dir)
		}
	}
}

// TestIsOverlayWhiteout tells overlayfs's mark of a deleted file, a
// character device 0:0, from everything else, on file infos made up as
// lstat(2) would fill them: making a real one needs root.
func TestIsOverlayWhiteout(t *testing.T) {
	tests := []struct {
		name string
		fi   fs.FileInfo
		want bool
	}{
		{"a 0:0 character device", fakeInfo{fs.ModeDevice | fs.ModeCharDevice, &syscall.Stat_t{Rdev: 0}}, true},
		{"/dev/null, 1:3", fakeInfo{fs.ModeDevice | fs.ModeCharDevice, &syscall.Stat_t{Rdev: 1<<8 | 3}}, false},
		{"a 0:0 block device", fakeInfo{fs.ModeDevice, &syscall.Stat_t{Rdev: 0}}, false},
		{"an empty file", fakeInfo{0, &syscall.Stat_t{}}, false},
		{"a directory", fakeInfo{fs.ModeDir, &syscall.Stat_t{}}, false},
		{"a character device of no known system", fakeInfo{fs.ModeDevice | fs.ModeCharDevice, nil}, false},
	}
	for _, tt := range tests {
		if got := images.IsOverlayWhiteout(tt.fi); got != tt.want {
			t.Errorf("IsOverlayWhiteout(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// fakeInfo is an fs.FileInfo with a mode and what Sys returns.
type fakeInfo struct {
	mode fs.FileMode
	sys  any
}

func (f fakeInfo) Name() string       { return "f" }
func (f fakeInfo) Size() int64        { return 0 }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fakeInfo) Sys() any           { return f.sys }

// TestOCIWhiteout reads overlayfs's marks in an upper directory as a
// commit does: a 0:0 character device is a deleted file, written as
// .wh.NAME beside it; a directory with trusted.overlay.opaque=y is opaque,
// written as .wh..wh..opq inside it; nothing else is a mark. Making the
// marks needs root.
func TestOCIWhiteout(t *testing.T) {
	testutil.RequireRoot(t)
	upper := t.TempDir()
	writeTree(t, upper, map[string]string{"etc/passwd": "root\n", "tmp/": "", "var/cache/apt/": "", "bin/sh": "-> busybox"})
	for rel, dev := range map[string]int{"gone": 0, "etc/hostname": 0, "null": int(unix.Mkdev(1, 3))} {
		if err := unix.Mknod(filepath.Join(upper, rel), unix.S_IFCHR|0o600, dev); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"tmp", "var/cache/apt"} {
		if err := unix.Setxattr(filepath.Join(upper, d), "trusted.overlay.opaque", []byte("y"), 0); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ rel, want string }{
		{"gone", ".wh.gone"},
		{"etc/hostname", "etc/.wh.hostname"},
		{"tmp", "tmp/.wh..wh..opq"},
		{"var/cache/apt", "var/cache/apt/.wh..wh..opq"},
		{"etc", ""},
		{"etc/passwd", ""},
		{"bin/sh", ""},
		{"null", ""},
	}
	for _, tt := range tests {
		p := filepath.Join(upper, tt.rel)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := images.OCIWhiteout(p, tt.rel, fi)
		if err != nil {
			t.Errorf("OCIWhiteout(%s): %v", tt.rel, err)
			continue
		}
		if got != tt.want {
			t.Errorf("OCIWhiteout(%s) = %q, want %q", tt.rel, got, tt.want)
		}
	}
}

// TestExtractOverlayWhiteouts unpacks a layer to be an overlay lowerdir:
// its OCI whiteouts become overlayfs's marks again, a 0:0 character device
// for .wh.NAME and trusted.overlay.opaque=y for .wh..wh..opq, which is how
// overlay reads them. Making them needs root.
func TestExtractOverlayWhiteouts(t *testing.T) {
	testutil.RequireRoot(t)
	layer := makeTar(t,
		dir("etc/"), reg("etc/.wh.hostname", ""),
		dir("tmp/"), reg("tmp/.wh..wh..opq", ""), reg("tmp/new", "n"),
		reg(".wh.gone", ""),
	)
	root := t.TempDir()
	if _, err := images.Extract(bytes.NewReader(layer), root, images.ExtractOptions{Whiteouts: images.OverlayWhiteouts}); err != nil {
		t.Fatal(err)
	}
	want := []string{"etc dir", "etc/hostname whiteout", "gone whiteout", "tmp dir opaque", "tmp/new file n"}
	if diff := cmp.Diff(want, tree(t, root)); diff != "" {
		t.Errorf("the layer unpacked for overlay (-want +got):\n%s", diff)
	}
}
