package images

import "time"

// The OCI image format, as the few structs this chapter needs. The
// specification (github.com/opencontainers/image-spec) is short: an image is
// a manifest that names a config and an ordered list of layers, each by a
// descriptor (media type, digest, size); an image layout is a directory of
// such blobs plus an index that names the manifests. Writing the structs out
// shows every field minibox reads or writes, and nothing more.

// Media types, the "MIME types" of OCI blobs.
const (
	MediaTypeIndex    = "application/vnd.oci.image.index.v1+json"
	MediaTypeManifest = "application/vnd.oci.image.manifest.v1+json"
	MediaTypeConfig   = "application/vnd.oci.image.config.v1+json"
	MediaTypeLayerGz  = "application/vnd.oci.image.layer.v1.tar+gzip"
	MediaTypeLayer    = "application/vnd.oci.image.layer.v1.tar"
	// Docker's media types, which skopeo and others may still write.
	mediaTypeDockerLayerGz = "application/vnd.docker.image.rootfs.diff.tar.gzip"
)

// AnnotationRefName names a manifest in an index: the tag, like
// "busybox:latest". skopeo's and umoci's oci:DIR:TAG looks it up.
const AnnotationRefName = "org.opencontainers.image.ref.name"

// Descriptor points at a blob: what it is, its digest and its size.
type Descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      Digest            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    *Platform         `json:"platform,omitempty"`
}

// Platform says which OS and CPU an image is for.
type Platform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
}

// Index is index.json: the entry point of an image layout.
type Index struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType,omitempty"`
	Manifests     []Descriptor `json:"manifests"`
}

// Manifest is an image: its config and its layers, bottom first.
type Manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType,omitempty"`
	Config        Descriptor        `json:"config"`
	Layers        []Descriptor      `json:"layers"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// Config is the image's configuration blob.
type Config struct {
	Created      *time.Time    `json:"created,omitempty"`
	Architecture string        `json:"architecture"`
	OS           string        `json:"os"`
	Config       RunConfig     `json:"config"`
	RootFS       RootFS        `json:"rootfs"`
	History      []HistoryItem `json:"history,omitempty"`
}

// RunConfig is what a container of the image runs by default.
type RunConfig struct {
	Env        []string          `json:"Env,omitempty"`
	Entrypoint []string          `json:"Entrypoint,omitempty"`
	Cmd        []string          `json:"Cmd,omitempty"`
	WorkingDir string            `json:"WorkingDir,omitempty"`
	Labels     map[string]string `json:"Labels,omitempty"`
}

// RootFS lists the layers' diff IDs: the digests of the *uncompressed* tars,
// bottom first. A layer's digest changes with its compression; its diff ID
// does not.
type RootFS struct {
	Type    string   `json:"type"` // always "layers"
	DiffIDs []Digest `json:"diff_ids"`
}

// HistoryItem is one line of `history`: what made a layer. An item with
// EmptyLayer set made no layer (a change to the config only).
type HistoryItem struct {
	Created    *time.Time `json:"created,omitempty"`
	CreatedBy  string     `json:"created_by,omitempty"`
	Comment    string     `json:"comment,omitempty"`
	EmptyLayer bool       `json:"empty_layer,omitempty"`
}

// layoutFile is the content of the oci-layout file.
type layoutFile struct {
	Version string `json:"imageLayoutVersion"`
}

const layoutVersion = "1.0.0"
