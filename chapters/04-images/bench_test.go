// Benchmarks, built only for `make bench`: `go test -tags bench`. As
// tests that skip, they would pass CI by skipping.

//go:build bench

package images_test

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// The speed of unpacking and committing, against GNU tar doing the same
// work: `tar -xzf` of the same layer, and `tar -czf` of the same tree.
// The data is ~100 MB of mixed files made by makeBenchTree in a temporary
// directory, removed at the end.

// makeBenchTree writes about 100 MB: 8000 small files of text-like content
// in 200 directories (30 MB), 8 large files half text half random (64 MB),
// and 1000 symlinks.
func makeBenchTree(tb testing.TB, dir string) {
	tb.Helper()
	rng := rand.New(rand.NewSource(1))
	words := strings.Fields("container image layer overlay whiteout digest manifest config namespace cgroup mount pivot root busybox kernel process tar gzip sha256 the a of and to in is")
	text := func(n int) []byte {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(words[rng.Intn(len(words))])
			b.WriteByte(" \n"[rng.Intn(2)])
		}
		return []byte(b.String()[:n])
	}
	for d := 0; d < 200; d++ {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", d))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		for f := 0; f < 40; f++ {
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%02d.txt", f)), text(1024+rng.Intn(6*1024)), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
		for l := 0; l < 5; l++ {
			if err := os.Symlink(fmt.Sprintf("f%02d.txt", l), filepath.Join(sub, fmt.Sprintf("l%d", l))); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for i := 0; i < 8; i++ {
		big := append(text(4<<20), make([]byte, 4<<20)...)
		rng.Read(big[4<<20:])
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("big%d.bin", i)), big, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// benchData is the tree and its layer, made once per benchmark.
func benchData(tb testing.TB) (tree, layer string) {
	tb.Helper()
	dir := tb.TempDir()
	tree, layer = filepath.Join(dir, "tree"), filepath.Join(dir, "layer.tar.gz")
	makeBenchTree(tb, tree)
	commitMinibox(tb, tree, layer)
	return tree, layer
}

func unpackMinibox(tb testing.TB, layer, dst string) {
	f, err := os.Open(layer)
	if err == nil {
		_, err = images.Extract(f, dst, images.ExtractOptions{})
		f.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
}

func unpackTar(tb testing.TB, layer, dst string) {
	if out, err := exec.Command("tar", "-xzf", layer, "-C", dst).CombinedOutput(); err != nil {
		tb.Fatalf("tar -xzf: %v\n%s", err, out)
	}
}

func commitMinibox(tb testing.TB, tree, out string) {
	f, err := os.Create(out)
	if err == nil {
		_, err = images.WriteLayer(f, tree)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		tb.Fatal(err)
	}
}

func commitTar(tb testing.TB, tree, out string) {
	if b, err := exec.Command("tar", "-czf", out, "-C", tree, ".").CombinedOutput(); err != nil {
		tb.Fatalf("tar -czf: %v\n%s", err, b)
	}
}

// timeIt runs fn n times, each into a fresh target that is removed after,
// and returns the fastest run.
func timeIt(tb testing.TB, n int, fn func(dst string)) time.Duration {
	best := time.Duration(1<<63 - 1)
	for i := 0; i < n; i++ {
		dst, err := os.MkdirTemp(tb.TempDir(), "run-")
		if err != nil {
			tb.Fatal(err)
		}
		start := time.Now()
		fn(dst)
		if d := time.Since(start); d < best {
			best = d
		}
		os.RemoveAll(dst)
	}
	return best
}

func benchmark(b *testing.B, fn func(tb testing.TB, src, dst string), useLayer bool) {
	tree, layer := benchData(b)
	src := tree
	if useLayer {
		src = layer
	}
	fi, _ := os.Stat(layer)
	b.SetBytes(fi.Size())
	for b.Loop() {
		b.StopTimer()
		dst, err := os.MkdirTemp(b.TempDir(), "run-")
		if err != nil {
			b.Fatal(err)
		}
		out := dst
		if !useLayer {
			out = filepath.Join(dst, "layer.tar.gz")
		}
		b.StartTimer()
		fn(b, src, out)
		b.StopTimer()
		os.RemoveAll(dst)
		b.StartTimer()
	}
}

func BenchmarkUnpackMinibox(b *testing.B) { benchmark(b, unpackMinibox, true) }
func BenchmarkUnpackGNUTar(b *testing.B)  { benchmark(b, unpackTar, true) }
func BenchmarkCommitMinibox(b *testing.B) { benchmark(b, commitMinibox, false) }
func BenchmarkCommitGNUTar(b *testing.B)  { benchmark(b, commitTar, false) }

// TestCompareWithTar prints minibox's times beside GNU tar's, the best of
// three runs each, and their ratio (below 1: minibox is faster). It runs
// only when asked, from `make bench` (the bench build tag).
func TestCompareWithTar(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Fatal("GNU tar is not installed: apt-get install tar")
	}
	tree, layer := benchData(t)
	fi, err := os.Stat(layer)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("layer: %s compressed", images.HumanSize(fi.Size()))
	const runs = 3
	report := func(what string, mini, tar time.Duration) {
		line := fmt.Sprintf("%s: minibox %d ms, tar %d ms, ratio %.2f", what, mini.Milliseconds(), tar.Milliseconds(), float64(mini)/float64(tar))
		fmt.Println(line)
		t.Log(line)
	}
	report("unpack",
		timeIt(t, runs, func(dst string) { unpackMinibox(t, layer, dst) }),
		timeIt(t, runs, func(dst string) { unpackTar(t, layer, dst) }))
	report("commit",
		timeIt(t, runs, func(dst string) { commitMinibox(t, tree, filepath.Join(dst, "l.tgz")) }),
		timeIt(t, runs, func(dst string) { commitTar(t, tree, filepath.Join(dst, "l.tgz")) }))
}
