package images_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	images "github.com/minibox-dev/minibox/chapters/04-images"
)

func TestDigest(t *testing.T) {
	// sha256 of the empty string, as sha256sum prints it.
	const empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got := images.FromBytes(nil); got != empty {
		t.Errorf("FromBytes(nil) = %s, want %s", got, empty)
	}
	if got := images.Digest(empty).Short(); got != "e3b0c44298fc" {
		t.Errorf("Short() = %s", got)
	}
	tests := []struct {
		d    images.Digest
		want string // "" for valid
	}{
		{empty, ""},
		{images.Digest("sha512:" + images.Digest(empty).Hex()), "only sha256"},
		{"sha256:abc", "64 hex digits"},
		{"sha256:../../../../etc/passwd/../../../../../../../../../../../../", "64 hex digits"},
		{images.Digest(strings.ToUpper(empty)), "only sha256"},
		{"sha256:E3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "not a lowercase hex digit"},
	}
	for _, tt := range tests {
		err := tt.d.Validate()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Validate(%q) = %v, want %q", tt.d, err, tt.want)
		}
	}
}

// A blob whose bytes changed is an error naming its file, whenever it is
// read: here a config, read when the image is looked up.
func TestCorruptBlobIsNamed(t *testing.T) {
	s := openStore(t)
	img, err := s.ImportDir(t.TempDir(), "empty")
	if err != nil {
		t.Fatal(err)
	}
	p := s.BlobPath(img.Manifest.Config.Digest)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-2] ^= 1 // one bit, in the JSON's last value
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = s.Image("empty")
	var mismatch *images.DigestMismatchError
	if !errors.As(err, &mismatch) {
		t.Fatalf("Image of a corrupt store: %v, want a DigestMismatchError", err)
	}
	if !strings.Contains(err.Error(), p) || mismatch.Want != img.Manifest.Config.Digest {
		t.Errorf("the error does not name the blob %s: %v", p, err)
	}
}

// A blob read through a verifying reader reads as it is, and is checked
// at its end: a changed byte is a DigestMismatchError, a wrong size an
// error, however the reads are cut (a reader may return its last bytes
// together with io.EOF).
func TestVerifyingReader(t *testing.T) {
	blob := []byte(`{"schemaVersion":2,"layers":[]}`)
	want := images.FromBytes(blob)
	changed := bytes.Clone(blob)
	changed[len(changed)/2] ^= 1
	size := int64(len(blob))
	readers := []struct {
		name string
		of   func([]byte) io.Reader
	}{
		{"whole reads", func(b []byte) io.Reader { return bytes.NewReader(b) }},
		{"a byte at a time", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
		{"the last bytes with io.EOF", func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) }},
	}
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			got, err := io.ReadAll(images.NewVerifyingReader(r.of(blob), want, size, "blobs/sha256/good"))
			if err != nil || !bytes.Equal(got, blob) {
				t.Errorf("reading the right blob: %q, %v; want its bytes and no error", got, err)
			}
			got, err = io.ReadAll(images.NewVerifyingReader(r.of(blob), want, -1, "blobs/sha256/good"))
			if err != nil || !bytes.Equal(got, blob) {
				t.Errorf("reading the right blob, size unknown (-1): %q, %v; want its bytes and no error", got, err)
			}
			_, err = io.ReadAll(images.NewVerifyingReader(r.of(changed), want, size, "blobs/sha256/bad"))
			var mismatch *images.DigestMismatchError
			if !errors.As(err, &mismatch) || mismatch.Want != want || mismatch.Got != images.FromBytes(changed) || mismatch.What != "blobs/sha256/bad" {
				t.Errorf("reading a blob with a changed byte: %v; want a DigestMismatchError naming blobs/sha256/bad, want %s, got %s", err, want, images.FromBytes(changed))
			}
			_, err = io.ReadAll(images.NewVerifyingReader(r.of(blob), want, size+1, "blobs/sha256/short"))
			if err == nil || !strings.Contains(err.Error(), "blobs/sha256/short") {
				t.Errorf("reading a blob shorter than its descriptor says: %v; want an error naming blobs/sha256/short", err)
			}
		})
	}
}
