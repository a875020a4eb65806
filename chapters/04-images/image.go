package images

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

// An image is a manifest (a config and an ordered list of layers), named in
// the index by one or more tags. The manifest's digest is the image's
// identity: it covers the config's digest, which covers every layer's diff
// ID, so no bit of the image can change without changing it.

// Image is an image in a layout.
type Image struct {
	Name     string // the tag it was found by, "busybox:latest"; "" if by digest
	Digest   Digest // the manifest's digest: the image's identity
	Manifest Manifest
	Config   Config

	desc Descriptor // how an index points at the manifest
}

// ID is the short form of the digest, as `list` shows it.
func (img *Image) ID() string { return img.Digest.Short() }

// Size is the sum of the compressed layers.
func (img *Image) Size() int64 {
	var n int64
	for _, l := range img.Manifest.Layers {
		n += l.Size
	}
	return n
}

// ErrNoImage is in the error of a reference that names no image.
var ErrNoImage = errors.New("no image")

// Image finds an image by name ("busybox", "busybox:latest"), by digest
// ("sha256:..."), or by the start of its digest's hex, at least 4 digits.
func (l *Layout) Image(ref string) (*Image, error) {
	idx, err := l.ReadIndex()
	if err != nil {
		return nil, err
	}
	name := NormalizeRef(ref)
	var found *Descriptor
	for i, m := range idx.Manifests {
		tag := m.Annotations[AnnotationRefName]
		byID := len(ref) >= 4 && (m.Digest == Digest(ref) || strings.HasPrefix(m.Digest.Hex(), ref))
		// Other tools tag plain "latest" or "v1": the exact ref matches too.
		if tag == name || tag == ref || byID {
			if found != nil && found.Digest != m.Digest {
				return nil, fmt.Errorf("image %q is ambiguous: give more of the digest", ref)
			}
			found = &idx.Manifests[i]
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w %q in %s: `list` shows the images there", ErrNoImage, ref, l.Dir)
	}
	img, err := l.loadImage(*found)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", ref, err)
	}
	if tag := found.Annotations[AnnotationRefName]; tag == name || tag == ref {
		img.Name = tag
	}
	return img, nil
}

// loadImage reads (and so checks) an image's manifest and config.
func (l *Layout) loadImage(desc Descriptor) (*Image, error) {
	if desc.MediaType == MediaTypeIndex {
		return nil, fmt.Errorf("%s is an image index (several platforms); minibox reads single-platform images: copy one with skopeo copy --override-arch", desc.Digest)
	}
	img := &Image{Digest: desc.Digest, desc: Descriptor{MediaType: MediaTypeManifest, Digest: desc.Digest, Size: desc.Size}}
	if err := l.ReadJSON(desc, &img.Manifest); err != nil {
		return nil, err
	}
	if err := l.ReadJSON(img.Manifest.Config, &img.Config); err != nil {
		return nil, err
	}
	if n, m := len(img.Config.RootFS.DiffIDs), len(img.Manifest.Layers); n != m {
		return nil, fmt.Errorf("manifest %s has %d layers but its config lists %d diff IDs", desc.Digest, m, n)
	}
	for _, d := range append(img.Config.RootFS.DiffIDs, layerDigests(img.Manifest)...) {
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("manifest %s: %w", desc.Digest, err)
		}
	}
	return img, nil
}

func layerDigests(m Manifest) []Digest {
	var ds []Digest
	for _, l := range m.Layers {
		ds = append(ds, l.Digest)
	}
	return ds
}

// Summary is one line of `list`.
type Summary struct {
	Name    string
	Digest  Digest
	Layers  int
	Size    int64
	Created time.Time
}

// List lists the tagged images, by name.
func (l *Layout) List() ([]Summary, error) {
	idx, err := l.ReadIndex()
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, m := range idx.Manifests {
		name := m.Annotations[AnnotationRefName]
		if name == "" {
			continue
		}
		img, err := l.loadImage(m)
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", name, err)
		}
		sum := Summary{Name: name, Digest: img.Digest, Layers: len(img.Manifest.Layers), Size: img.Size()}
		if img.Config.Created != nil {
			sum.Created = *img.Config.Created
		}
		out = append(out, sum)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// FormatList formats a list of images as a table, as `docker images` does.
func FormatList(list []Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-24s %-12s %6s %10s\n", "NAME", "ID", "LAYERS", "SIZE")
	for _, s := range list {
		fmt.Fprintf(&b, "%-24s %-12s %6d %10s\n", s.Name, s.Digest.Short(), s.Layers, HumanSize(s.Size))
	}
	return b.String()
}

// HumanSize prints a byte count as du -h does, in KiB, MiB, GiB.
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f%ciB", float64(n)/float64(div), "KMGT"[exp])
}

// newConfig is the config of a fresh base image.
func newConfig(created time.Time) Config {
	return Config{
		Created:      &created,
		Architecture: runtime.GOARCH,
		OS:           "linux",
		Config: RunConfig{
			Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
			Cmd: []string{"/bin/sh"},
		},
		RootFS: RootFS{Type: "layers", DiffIDs: []Digest{}},
	}
}

// addImage stores cfg and a manifest of layers, and tags it ref (a tag
// moves: the image it named before keeps its other tags, if any).
func (l *Layout) addImage(ref string, cfg Config, layers []Descriptor) (*Image, error) {
	ref = NormalizeRef(ref)
	if err := checkRef(ref); err != nil {
		return nil, err
	}
	cdesc, err := l.PutJSON(MediaTypeConfig, cfg)
	if err != nil {
		return nil, err
	}
	m := Manifest{SchemaVersion: 2, MediaType: MediaTypeManifest, Config: cdesc, Layers: layers}
	if m.Layers == nil {
		m.Layers = []Descriptor{}
	}
	mdesc, err := l.PutJSON(MediaTypeManifest, m)
	if err != nil {
		return nil, err
	}
	if err := l.setTag(ref, mdesc); err != nil {
		return nil, err
	}
	return &Image{Name: ref, Digest: mdesc.Digest, Manifest: m, Config: cfg, desc: mdesc}, nil
}

// setTag points ref at the manifest desc in index.json. The caller holds
// the store's lock, if any.
func (l *Layout) setTag(ref string, desc Descriptor) error {
	idx, err := l.ReadIndex()
	if err != nil {
		return err
	}
	kept := idx.Manifests[:0]
	for _, m := range idx.Manifests {
		if m.Annotations[AnnotationRefName] != ref {
			kept = append(kept, m)
		}
	}
	desc.Annotations = map[string]string{AnnotationRefName: ref}
	idx.Manifests = append(kept, desc)
	idx.SchemaVersion, idx.MediaType = 2, MediaTypeIndex
	return l.writeIndex(idx)
}

// Tag gives the image src a second name, dst. Nothing is copied: a tag is
// one line in index.json.
func (s *Store) Tag(src, dst string) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	img, err := s.Image(src)
	if err != nil {
		return err
	}
	dst = NormalizeRef(dst)
	if err := checkRef(dst); err != nil {
		return err
	}
	return s.setTag(dst, img.desc)
}

// Command is what a container of img runs, given the arguments of the run,
// as docker does it: the image's Entrypoint, then args, or the image's Cmd
// when args is empty. With neither, it is empty: nothing to run.
func (img *Image) Command(args []string) []string {
	c := img.Config.Config
	if len(args) == 0 {
		args = c.Cmd
	}
	return append(slices.Clone(c.Entrypoint), args...)
}
