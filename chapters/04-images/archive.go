package images

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// An image leaves the store as an OCI image layout directory, or as an OCI
// archive (the same directory in a tar), with its blobs copied byte for
// byte: the same manifest, the same digest, the same image. It comes back
// the same way, from minibox or from any tool that writes OCI (skopeo,
// umoci, buildah). Every blob is checked against its digest on the way.

// Export writes img into the layout directory dir (made if missing),
// tagged name.
func (l *Layout) Export(img *Image, dir, name string) error {
	dst, err := InitLayout(dir)
	if err != nil {
		return err
	}
	for _, desc := range img.blobs() {
		if err := copyBlob(l, dst, desc); err != nil {
			return fmt.Errorf("export %s: %w", img.Digest, err)
		}
	}
	return dst.setTag(NormalizeRef(name), img.desc)
}

// blobs lists the image's blobs, the manifest last.
func (img *Image) blobs() []Descriptor {
	return append(append([]Descriptor{img.Manifest.Config}, img.Manifest.Layers...), img.desc)
}

// copyBlob copies one blob from src to dst, checking it.
func copyBlob(src, dst *Layout, desc Descriptor) error {
	if _, err := os.Stat(dst.BlobPath(desc.Digest)); err == nil {
		return nil // same name, same bytes
	}
	r, err := src.OpenBlob(desc)
	if err != nil {
		return err
	}
	defer r.Close()
	_, _, err = dst.PutBlob(func(w io.Writer) error { _, err := io.Copy(w, r); return err })
	return err
}

// ExportArchive writes img to w as an OCI archive: a tar of a layout.
func (l *Layout) ExportArchive(img *Image, w io.Writer, name string) error {
	tw := tar.NewWriter(w)
	mtime := time.Unix(0, 0)
	dirs := []string{"blobs/", "blobs/sha256/"}
	for _, d := range dirs {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d, Mode: 0o755, ModTime: mtime}); err != nil {
			return err
		}
	}
	for _, desc := range img.blobs() {
		r, err := l.OpenBlob(desc)
		if err != nil {
			return err
		}
		err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "blobs/sha256/" + desc.Digest.Hex(), Mode: 0o644, Size: desc.Size, ModTime: mtime})
		if err == nil {
			_, err = io.Copy(tw, r)
		}
		r.Close()
		if err != nil {
			return fmt.Errorf("export %s: %w", img.Digest, err)
		}
	}
	desc := img.desc
	desc.Annotations = map[string]string{AnnotationRefName: NormalizeRef(name)}
	files := []struct {
		name string
		v    any
	}{
		{"oci-layout", layoutFile{Version: layoutVersion}},
		{"index.json", Index{SchemaVersion: 2, MediaType: MediaTypeIndex, Manifests: []Descriptor{desc}}},
	}
	for _, f := range files {
		b, err := json.Marshal(f.v)
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: 0o644, Size: int64(len(b)), ModTime: mtime})
		}
		if err == nil {
			_, err = tw.Write(b)
		}
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

// ImportLayout copies the image ref ("" for a layout's only image) from the
// layout directory dir into the store, tagged as newRef.
func (s *Store) ImportLayout(dir, ref, newRef string) (*Image, error) {
	src, err := OpenLayout(dir)
	if err != nil {
		return nil, err
	}
	if ref == "" {
		if ref, err = src.onlyImage(); err != nil {
			return nil, err
		}
	}
	img, err := src.Image(ref)
	if err != nil {
		return nil, err
	}
	for _, l := range img.Manifest.Layers {
		switch l.MediaType {
		case MediaTypeLayerGz, MediaTypeLayer, mediaTypeDockerLayerGz:
		default:
			return nil, fmt.Errorf("import %s: layer %s is %s; minibox reads gzip or plain tar layers", ref, l.Digest, l.MediaType)
		}
	}
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	for _, desc := range img.blobs() {
		if err := copyBlob(src, s.Layout, desc); err != nil {
			return nil, fmt.Errorf("import %s from %s: %w", ref, dir, err)
		}
	}
	if newRef == "" {
		newRef = ref
	}
	newRef = NormalizeRef(newRef)
	if err := checkRef(newRef); err != nil {
		return nil, err
	}
	if err := s.setTag(newRef, img.desc); err != nil {
		return nil, err
	}
	img.Name = newRef
	return img, nil
}

// onlyImage returns the ref of a layout's only image, or its digest.
func (l *Layout) onlyImage() (string, error) {
	idx, err := l.ReadIndex()
	if err != nil {
		return "", err
	}
	if len(idx.Manifests) != 1 {
		return "", fmt.Errorf("%s holds %d images: say which one to import", l.Dir, len(idx.Manifests))
	}
	if name := idx.Manifests[0].Annotations[AnnotationRefName]; name != "" {
		return name, nil
	}
	return string(idx.Manifests[0].Digest), nil
}

// ImportArchive imports an OCI archive, unpacked first by the safe
// extractor into a temporary layout.
func (s *Store) ImportArchive(r io.Reader, ref, newRef string) (*Image, error) {
	dir, err := os.MkdirTemp(s.Dir, ".tmp-archive-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if _, err := Extract(r, dir, ExtractOptions{}); err != nil {
		return nil, fmt.Errorf("import the OCI archive: %w", err)
	}
	return s.ImportLayout(dir, ref, newRef)
}
