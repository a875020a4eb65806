package images

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// An OCI image layout is a directory anyone can read without minibox:
//
//	oci-layout          {"imageLayoutVersion": "1.0.0"}
//	index.json          the manifests, each tagged by the annotation
//	                    org.opencontainers.image.ref.name
//	blobs/sha256/<hex>  every manifest, config and layer, named by digest
//
// The store is one; so is an exported image. Blobs are written under a
// temporary name and renamed when their digest is known, and index.json is
// replaced by rename: a reader never sees half a file.

// Layout is an OCI image layout directory.
type Layout struct {
	Dir string
}

// InitLayout makes dir an empty OCI image layout, or checks that it is one.
func InitLayout(dir string) (*Layout, error) {
	l := &Layout{Dir: dir}
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
		return nil, fmt.Errorf("make the image layout %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "oci-layout")); errors.Is(err, fs.ErrNotExist) {
		if err := writeJSONFile(filepath.Join(dir, "oci-layout"), layoutFile{Version: layoutVersion}); err != nil {
			return nil, err
		}
		if err := l.writeIndex(Index{SchemaVersion: 2, MediaType: MediaTypeIndex, Manifests: []Descriptor{}}); err != nil {
			return nil, err
		}
	}
	return OpenLayout(dir)
}

// OpenLayout opens an existing OCI image layout.
func OpenLayout(dir string) (*Layout, error) {
	var lf layoutFile
	b, err := os.ReadFile(filepath.Join(dir, "oci-layout"))
	if err != nil {
		return nil, fmt.Errorf("%s is not an OCI image layout: %w", dir, err)
	}
	if err := json.Unmarshal(b, &lf); err != nil {
		return nil, fmt.Errorf("%s/oci-layout: %w", dir, err)
	}
	if lf.Version != layoutVersion {
		return nil, fmt.Errorf("%s/oci-layout: version %q, minibox reads %q", dir, lf.Version, layoutVersion)
	}
	return &Layout{Dir: dir}, nil
}

// BlobPath returns where the blob d lives.
func (l *Layout) BlobPath(d Digest) string {
	return filepath.Join(l.Dir, "blobs", "sha256", d.Hex())
}

// ReadIndex reads index.json.
func (l *Layout) ReadIndex() (Index, error) {
	var idx Index
	b, err := os.ReadFile(filepath.Join(l.Dir, "index.json"))
	if err != nil {
		return idx, fmt.Errorf("read the image index: %w", err)
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		return idx, fmt.Errorf("%s/index.json: %w", l.Dir, err)
	}
	for _, m := range idx.Manifests {
		if err := m.Digest.Validate(); err != nil {
			return idx, fmt.Errorf("%s/index.json: %w", l.Dir, err)
		}
	}
	return idx, nil
}

func (l *Layout) writeIndex(idx Index) error {
	return writeJSONFile(filepath.Join(l.Dir, "index.json"), idx)
}

// writeJSONFile replaces path with v as JSON, atomically.
func writeJSONFile(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// PutBlob stores what write writes as a blob and returns its digest and
// size. A blob already there is kept: same digest, same bytes.
func (l *Layout) PutBlob(write func(w io.Writer) error) (Digest, int64, error) {
	dir := filepath.Join(l.Dir, "blobs", "sha256")
	tmp, err := os.CreateTemp(dir, ".tmp-")
	if err != nil {
		return "", 0, fmt.Errorf("store a blob: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	d := newDigester()
	err = write(io.MultiWriter(tmp, d))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), l.BlobPath(d.Digest()))
	}
	if err != nil {
		return "", 0, fmt.Errorf("store a blob in %s: %w", l.Dir, err)
	}
	return d.Digest(), d.n, nil
}

// PutJSON stores v as a JSON blob of the given media type.
func (l *Layout) PutJSON(mediaType string, v any) (Descriptor, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Descriptor{}, err
	}
	d, n, err := l.PutBlob(func(w io.Writer) error { _, err := w.Write(b); return err })
	return Descriptor{MediaType: mediaType, Digest: d, Size: n}, err
}

// OpenBlob opens the blob desc names. Reading it to the end checks its
// digest and size: a corrupt blob is an error that names its file.
func (l *Layout) OpenBlob(desc Descriptor) (io.ReadCloser, error) {
	if err := desc.Digest.Validate(); err != nil {
		return nil, err
	}
	p := l.BlobPath(desc.Digest)
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", desc.Digest, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{newVerifyingReader(f, desc.Digest, desc.Size, p), f}, nil
}

// ReadBlob reads and checks a whole (small) blob.
func (l *Layout) ReadBlob(desc Descriptor) ([]byte, error) {
	rc, err := l.OpenBlob(desc)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, rc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadJSON reads, checks and decodes a JSON blob.
func (l *Layout) ReadJSON(desc Descriptor, v any) error {
	b, err := l.ReadBlob(desc)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("blob %s (%s): %w", desc.Digest, desc.MediaType, err)
	}
	return nil
}
