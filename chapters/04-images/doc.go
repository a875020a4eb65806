// Package images is chapter 4 of the minibox workshop: layered images.
//
// An image is a base userland plus deltas, versioned like git. Each delta
// is a layer: a tar of the files one change added or modified, with a
// whiteout for each file it deleted (whiteout.go), gzip-compressed and named
// by the sha256 of its bytes (layer.go, digest.go). An image is a config
// (what to run, and the layers' diff IDs) and a manifest (the config and
// the layers, in order), kept with the layers in an OCI image layout
// (spec.go, layout.go, image.go), the format skopeo, umoci, podman and
// docker read. Running an image merges its layers with overlayfs
// (overlay.go): each layer unpacked once and shared (unpack.go), the
// container's writes in an upperdir of its own, which a commit turns into
// the next layer (commit.go). history.go, diff.go and gc.go are git's log,
// diff and gc for images; importer.go and archive.go bring images in and
// out.
//
// Unpacking a layer is where a runtime meets untrusted input: extract.go
// and resolve.go never write outside their target, whatever the tar says.
//
// Every overlay is mounted in a private mount namespace of its own, in a
// re-executed copy of the program (mountns.go), never in the host's: the
// mounts vanish with the process. run.go starts chapter 2's container from
// there. Do not use this package to run untrusted images: chapter 3's
// limits are not applied, and chapter 2's container is root.
//
// Syscalls: mount(2) of overlay, with MS_PRIVATE first; clone(2) with
// CLONE_NEWNS; openat2(2) with RESOLVE_IN_ROOT; mkdirat(2), openat(2),
// symlinkat(2), linkat(2), mknodat(2), fchownat(2), utimensat(2);
// setxattr(2) of trusted.overlay.opaque; flock(2).
//
// Tutorial: tutorial/04-images.md
package images
