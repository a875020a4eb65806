package images_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// A layer written from a tree and extracted again gives the same tree; its
// digest and diff ID are the sha256 of its compressed and uncompressed
// bytes; writing the same tree twice gives the same bytes.
func TestLayerRoundTrip(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, map[string]string{
		"etc/hostname": "box\n",
		"bin/sh":       "-> busybox",
		"bin/busybox":  "ELF",
		"empty/":       "",
		"big":          string(bytes.Repeat([]byte("0123456789abcdef"), 300000)), // several gzip members
	})
	if err := os.Link(filepath.Join(src, "bin/busybox"), filepath.Join(src, "bin/ls")); err != nil {
		t.Fatal(err)
	}
	var blob bytes.Buffer
	layer, err := images.WriteLayer(&blob, src)
	if err != nil {
		t.Fatal(err)
	}
	if got := images.FromBytes(blob.Bytes()); got != layer.Digest {
		t.Errorf("digest %s, but the blob hashes to %s", layer.Digest, got)
	}
	if layer.Size != int64(blob.Len()) {
		t.Errorf("size %d, blob %d bytes", layer.Size, blob.Len())
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got := images.FromBytes(plain); got != layer.DiffID {
		t.Errorf("diff ID %s, but the tar hashes to %s", layer.DiffID, got)
	}
	var again bytes.Buffer
	if _, err := images.WriteLayer(&again, src); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(blob.Bytes(), again.Bytes()) {
		t.Errorf("the same tree written twice gave different layers")
	}
	wantNames := []string{"big", "bin/", "bin/busybox", "bin/ls -> bin/busybox", "bin/sh -> busybox", "empty/", "etc/", "etc/hostname"}
	if diff := cmp.Diff(wantNames, tarNames(t, bytes.NewReader(blob.Bytes()))); diff != "" {
		t.Errorf("layer entries (-want +got):\n%s", diff)
	}

	dst := t.TempDir()
	if _, err := images.Extract(bytes.NewReader(blob.Bytes()), dst, images.ExtractOptions{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tree(t, src), tree(t, dst)); diff != "" {
		t.Errorf("extracted tree (-want +got):\n%s", diff)
	}
	// GNU tar and gzip read the multi-member gzip as one stream.
	if _, err := exec.LookPath("tar"); err == nil {
		cmd := exec.Command("tar", "-tzf", "-")
		cmd.Stdin = bytes.NewReader(blob.Bytes())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("tar -tzf: %v\n%s", err, out)
		}
	}
}
