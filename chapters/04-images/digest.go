package images

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
)

// A Digest names content by its hash, "sha256:" and 64 hex digits, as git
// names an object: the same bytes have the same name everywhere, and a
// changed byte is a different name. A blob in the store lives at
// blobs/sha256/<hex>, so its path is its identity, and reading it checks it.
type Digest string

// FromBytes returns the digest of b.
func FromBytes(b []byte) Digest {
	sum := sha256.Sum256(b)
	return Digest("sha256:" + hex.EncodeToString(sum[:]))
}

// Hex returns the digest without its "sha256:".
func (d Digest) Hex() string { return strings.TrimPrefix(string(d), "sha256:") }

// Short returns the first 12 hex digits, as docker shows image IDs.
func (d Digest) Short() string {
	h := d.Hex()
	if len(h) > 12 {
		h = h[:12]
	}
	return h
}

// Validate checks the form, so that a digest read from a file can safely
// become a path under blobs/.
func (d Digest) Validate() error {
	h, ok := strings.CutPrefix(string(d), "sha256:")
	if !ok {
		return fmt.Errorf("digest %q: only sha256 digests are supported", d)
	}
	if len(h) != 64 {
		return fmt.Errorf("digest %q: want 64 hex digits, have %d", d, len(h))
	}
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("digest %q: %q is not a lowercase hex digit", d, c)
		}
	}
	return nil
}

// digester hashes what is written to it.
type digester struct {
	h hash.Hash
	n int64
}

func newDigester() *digester { return &digester{h: sha256.New()} }

func (d *digester) Write(p []byte) (int, error) {
	d.n += int64(len(p))
	return d.h.Write(p)
}

func (d *digester) Digest() Digest {
	return Digest("sha256:" + hex.EncodeToString(d.h.Sum(nil)))
}

// DigestMismatchError is a blob whose content does not match its name: a
// corrupt or tampered store.
type DigestMismatchError struct {
	What string // the blob's path, or what it was read for
	Want Digest
	Got  Digest
}

func (e *DigestMismatchError) Error() string {
	return fmt.Sprintf("%s is corrupt: its content hashes to %s, not %s; remove the image and import it again", e.What, e.Got, e.Want)
}

// verifyingReader hashes everything read through it and, at end of file,
// fails unless the hash and size are what was expected: a corrupt blob is
// an error that names it, never silently used.
type verifyingReader struct {
	r    io.Reader
	d    *digester
	want Digest
	size int64 // -1: unknown
	what string
}

func newVerifyingReader(r io.Reader, want Digest, size int64, what string) *verifyingReader {
	return &verifyingReader{r: r, d: newDigester(), want: want, size: size, what: what}
}

// Read reads on from the blob, hashing what it reads. At the end of the
// blob it compares the hash and the size with what the descriptor says:
// the one place a blob's name is checked against its bytes.
//
//workshop:exercise img.digest
func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.d.Write(p[:n])
	if errors.Is(err, io.EOF) {
		if got := v.d.Digest(); got != v.want {
			return n, &DigestMismatchError{What: v.what, Want: v.want, Got: got}
		}
		if v.size >= 0 && v.d.n != v.size {
			return n, fmt.Errorf("%s: %d bytes, but its descriptor says %d", v.what, v.d.n, v.size)
		}
	}
	return n, err
}

func (d Digest) String() string { return string(d) }
