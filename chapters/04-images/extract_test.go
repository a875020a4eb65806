package images_test

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// Two layers applied one over the other: the second changes a file,
// deletes one, and makes a directory opaque (its old content gone, its new
// content kept). No root needed.
func TestExtractAppliesWhiteouts(t *testing.T) {
	root := t.TempDir()
	base := makeTar(t,
		dir("etc/"), reg("etc/hostname", "base\n"), reg("etc/passwd", "root\n"),
		dir("opt/"), reg("opt/old", "old"), dir("opt/sub/"), reg("opt/sub/deep", "deep"),
		symlink("bin", "usr/bin"), dir("usr/"), dir("usr/bin/"), reg("usr/bin/tool", "v1"),
	)
	delta := makeTar(t,
		reg("etc/hostname", "delta\n"), reg("etc/.wh.passwd", ""),
		dir("opt/"), reg("opt/.wh..wh..opq", ""), reg("opt/new", "new"),
		reg("usr/bin/.wh.tool", ""), reg("usr/bin/tool", "v2"), // same layer: the file stays
		reg(".wh.missing", ""),
	)
	for _, layer := range [][]byte{base, gzipped(t, delta)} {
		if _, err := images.Extract(bytes.NewReader(layer), root, images.ExtractOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"bin -> usr/bin",
		"etc dir", "etc/hostname file delta\n",
		"opt dir", "opt/new file new",
		"usr dir", "usr/bin dir", "usr/bin/tool file v2",
	}
	if diff := cmp.Diff(want, tree(t, root)); diff != "" {
		t.Errorf("tree after two layers (-want +got):\n%s", diff)
	}
}

// maliciousLayers is the corpus: each layer tries to write, link or delete
// outside the target. abs is an absolute path outside the target that the
// layers aim at. Each must fail, or be neutralised (land inside).
func maliciousLayers(t testing.TB, abs string) map[string][]byte {
	t.Helper()
	rel := strings.TrimPrefix(abs, "/")
	up := strings.Repeat("../", 20)
	return map[string][]byte{
		"dotdot":                        makeTar(t, reg("../outside/pwned", "x")),
		"dotdot deep":                   makeTar(t, reg("a/../../outside/pwned", "x")),
		"absolute name":                 makeTar(t, reg(abs+"/pwned", "x")),
		"symlink to dotdot, write":      makeTar(t, symlink("lib", up+rel), reg("lib/pwned", "x")),
		"absolute symlink, write":       makeTar(t, symlink("lib", abs), reg("lib/pwned", "x")),
		"symlink to root, write":        makeTar(t, symlink("up", "/"), reg("up/"+rel+"/pwned", "x")),
		"symlink chain":                 makeTar(t, symlink("a", "b"), symlink("b", up), reg("a/"+rel+"/pwned", "x")),
		"symlink then dir entry":        makeTar(t, symlink("d", abs), dir("d/"), reg("d/pwned", "x")),
		"symlink overwritten by a file": makeTar(t, symlink("secret", abs+"/secret"), reg("secret", "x")),
		"hard link dotdot":              makeTar(t, hardlink("l", "../outside/secret")),
		"hard link absolute":            makeTar(t, hardlink("l", abs+"/secret")),
		"hard link through symlink":     makeTar(t, symlink("up", up), hardlink("l", "up/"+rel+"/secret"), reg("l", "x")),
		"whiteout dotdot":               makeTar(t, reg("../outside/.wh.secret", "")),
		"whiteout dotdot name":          makeTar(t, reg("a/.wh..", "")),
		"whiteout through symlink":      makeTar(t, symlink("w", abs), reg("w/.wh.secret", "")),
		"opaque through symlink":        makeTar(t, symlink("w", abs), reg("w/.wh..wh..opq", "")),
		"opaque through dotdot symlink": makeTar(t, symlink("w", up+rel), reg("w/.wh..wh..opq", "")),
		"block device":                  makeTar(t, entry{name: "sda", typ: tar.TypeBlock}),
		"char device":                   makeTar(t, entry{name: "mem", typ: tar.TypeChar}),
		"dir replaced by symlink":       makeTar(t, dir("d/"), symlink("d", abs), reg("d/pwned", "x")),
		"setuid file stays inside":      makeTar(t, entry{name: "sh", body: "x", mode: 0o4755}),
	}
}

// sandbox is a target directory beside an "outside" directory holding a
// secret: what a malicious layer aims at.
type sandbox struct {
	base, target, outside string
}

func newSandbox(t testing.TB) *sandbox {
	t.Helper()
	base := t.TempDir()
	s := &sandbox{base: base, target: filepath.Join(base, "target"), outside: filepath.Join(base, "outside")}
	writeTree(t, base, map[string]string{"outside/secret": "secret", "target/": ""})
	return s
}

// outsideTree is everything under base but the target.
func (s *sandbox) outsideTree(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, line := range tree(t, s.base) {
		if !strings.HasPrefix(line, "target") {
			out = append(out, line)
		}
	}
	return out
}

func TestExtractNeverWritesOutside(t *testing.T) {
	names := []string{}
	for name := range maliciousLayers(t, "/x") {
		names = append(names, name)
	}
	for _, mode := range []struct {
		name    string
		openat2 bool
	}{{"openat2", true}, {"fallback", false}} {
		t.Run(mode.name, func(t *testing.T) {
			defer images.UseOpenat2(mode.openat2)()
			for _, name := range names {
				t.Run(name, func(t *testing.T) {
					s := newSandbox(t)
					layer := maliciousLayers(t, s.outside)[name]
					before := s.outsideTree(t)
					res, err := images.Extract(bytes.NewReader(layer), s.target, images.ExtractOptions{})
					t.Logf("err: %v; skipped: %v", err, res.Skipped)
					if diff := cmp.Diff(before, s.outsideTree(t)); diff != "" {
						t.Errorf("the layer changed what is outside the target (-before +after):\n%s", diff)
					}
					if strings.Contains(name, "device") && (err != nil || len(res.Skipped) != 1) {
						t.Errorf("a device node: %v, skipped %v; want it skipped", err, res.Skipped)
					}
					if strings.HasPrefix(name, "dotdot") || strings.HasSuffix(name, "dotdot") || strings.HasSuffix(name, "dotdot name") {
						if err == nil {
							t.Errorf("a \"..\" in a name was accepted")
						}
					}
				})
			}
		})
	}
}

// FuzzExtract feeds the extractor arbitrary tars, starting from the
// malicious corpus: whatever it does, it must not change anything outside
// its target (nor panic).
func FuzzExtract(f *testing.F) {
	probe := newSandbox(f)
	for _, layer := range maliciousLayers(f, probe.outside) {
		f.Add(layer)
	}
	f.Add(makeTar(f, dir("a/"), reg("a/b", "c"), hardlink("a/l", "a/b"), reg("a/.wh.b", ""), reg("a/.wh..wh..opq", "")))
	f.Fuzz(func(t *testing.T, layer []byte) {
		s := &sandbox{base: probe.base, target: filepath.Join(probe.base, "target"), outside: probe.outside}
		os.RemoveAll(s.target)
		os.Mkdir(s.target, 0o755)
		before := []string{"outside dir", "outside/secret file secret"}
		images.Extract(bytes.NewReader(layer), s.target, images.ExtractOptions{})
		if diff := cmp.Diff(before, s.outsideTree(t)); diff != "" {
			t.Errorf("the layer changed what is outside the target (-before +after):\n%s", diff)
		}
	})
}

// TestExtractKeepsSpecialModeBits: a setuid program (su, passwd, ping in
// real images), a setgid one, and a sticky /tmp come out of a layer with
// their bits. As root the owner is set too, and chown(2) clears the setuid
// and setgid bits of a regular file: the mode must be set after it.
func TestExtractKeepsSpecialModeBits(t *testing.T) {
	root := t.TempDir()
	layer := makeTar(t,
		entry{name: "bin/", typ: tar.TypeDir, mode: 0o755},
		entry{name: "bin/su", body: "#!/bin/sh\n", mode: 0o4755},
		entry{name: "bin/wall", body: "#!/bin/sh\n", mode: 0o2755},
		entry{name: "tmp/", typ: tar.TypeDir, mode: 0o1777},
	)
	if _, err := images.Extract(bytes.NewReader(layer), root, images.ExtractOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{
		"bin/su":   0o755 | os.ModeSetuid,
		"bin/wall": 0o755 | os.ModeSetgid,
		"tmp":      0o777 | os.ModeSticky | os.ModeDir,
	} {
		fi, err := os.Lstat(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky | os.ModeDir); got != want {
			t.Errorf("%s: mode %v, want %v", name, got, want)
		}
	}
}
