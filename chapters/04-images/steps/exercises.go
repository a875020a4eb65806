package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "img.overlay", Step: "images.overlay", Minutes: 10,
			Tests: []string{"TestOverlayOptions"},
			Todo: "Write the data of overlayfs's mount(2): lowerdir= the lower directories joined by ':' with the top one first " +
				"(o.Lower is bottom first, as a manifest lists layers), then upperdir= and workdir= unless Upper is \"\", " +
				"then redirect_dir=off,metacopy=off,index=off, all joined by ','. " +
				"Refuse no lower directory, a path holding ':' or ',', and options longer than a page: mount(2) cannot carry them.",
			Hints: []string{
				"overlay reads lowerdir from the top of the stack down: the first directory listed hides the ones after it. A manifest lists layers the other way, bottom first, so reverse them.",
				"The options are in the kernel's Documentation/filesystems/overlayfs.rst (\"Multiple lower layers\", \"Redirect dir\", \"Metadata only copy up\", \"Inode index\"). mount(2) takes them as its data argument, at most a page: unix.Getpagesize().",
				"reverse o.Lower into top; opts := []string{\"lowerdir=\" + strings.Join(top, \":\")}; if o.Upper != \"\" { opts = append(opts, \"upperdir=\"+o.Upper, \"workdir=\"+o.Work) }; refuse any path with strings.ContainsAny(p, \":,\"); append the three =off options; data := strings.Join(opts, \",\"); refuse len(data) >= unix.Getpagesize()",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.overlay is not written yet`, Hint: "The stub is still there: replace its return with the options string."},
				{Output: `lowerdir=/l/base:/l/top`, Hint: "The lowerdirs are in the manifest's order, bottom first: overlay wants the top one first. Reverse them."},
				{Output: `Options\(\{.*\}\) succeeded`, Hint: "A bad overlay got options: with no lower directory, or a path holding ':' or ',' (overlay would cut the path there), return an error."},
				{Output: `Options\(\) = .*want`, Hint: "Compare with the wanted string: the order of the options, ':' between lowerdirs, ',' between options, and the three =off options at the end."},
			},
		},
		{
			ID: "img.layer", Step: "images.layers", Minutes: 10,
			Tests: []string{"TestLayerRoundTrip"},
			Todo: "Write the tree at dir to w as a layer, a tar (WriteTar) gzip-compressed (newParallelGzip), and return its Layer: " +
				"Digest, the sha256 of the compressed bytes (the blob's name), DiffID, the sha256 of the uncompressed tar (the config's rootfs.diff_ids), " +
				"and Size, the compressed size. Hash both streams as they are written, with newDigester and io.MultiWriter, rather than reading the layer again. " +
				"Pass shift on to WriteTar: a user namespace's owners, moved back (chapter 6).",
			Hints: []string{
				"There are two streams: the tar that WriteTar writes, and its gzip, which goes to w. Each has its own sha256: put a digester beside each, on the tar's way into gzip and on gzip's way out to w.",
				"The OCI image-spec says which is which: descriptor.md (a blob's digest is over its bytes as stored, compressed), config.md (rootfs.diff_ids are over the uncompressed tars), layer.md (the tar itself). A digester (digest.go) is an io.Writer that hashes and counts; io.MultiWriter writes to several at once.",
				"compressed := newDigester(); zw := newParallelGzip(io.MultiWriter(w, compressed)); diffID := newDigester(); err := WriteTar(io.MultiWriter(zw, diffID), dir, shift...); then close zw, keeping its error if WriteTar had none; return Layer{Digest: compressed.Digest(), DiffID: diffID.Digest(), Size: compressed.n}",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.layer is not written yet`, Hint: "The stub is still there: replace its return with the tar, the gzip and the two digests."},
				{Output: `unexpected EOF|gzip: invalid`, Hint: "The gzip stream is cut short: close the gzip writer before you return (closing writes its last block), and return its error."},
				{Output: `digest sha256:\S*, but the blob hashes to|diff ID sha256:\S*, but the tar hashes to`, Hint: "A digest does not match its stream: Digest hashes the compressed bytes that reach w, DiffID the tar before gzip. Swapped, or taken before the gzip writer was closed?"},
				{Output: `size \d+, blob \d+ bytes`, Hint: "Size is the number of compressed bytes written to w: the digester on that stream counts them (its n)."},
			},
		},
		{
			ID: "img.commit-whiteouts", Step: "images.whiteouts", Minutes: 10, Root: true,
			Tests: []string{"TestOCIWhiteout", "TestOverlayCopyUpWhiteoutOpaque"},
			Todo: "Say which OCI entry stands for overlayfs's mark at p, named rel in the layer: a deleted file, a character device 0:0, is .wh.NAME beside it; " +
				"a directory with the xattr trusted.overlay.opaque=y is DIR/.wh..wh..opq inside it; anything else is no mark, \"\". " +
				"A commit writes that entry in the mark's place: a tar cannot carry a 0:0 device portably, and overlay's xattr means nothing to other runtimes.",
			Hints: []string{
				"Two marks, two tests: the file's type and device number first, then, for a directory only, an extended attribute. whiteout.go has a helper for each test and one for each OCI name.",
				"The kernel's Documentation/filesystems/overlayfs.rst (\"whiteouts and opaque directories\") describes overlay's marks; the OCI image-spec's layer.md (\"Whiteouts\", \"Opaque Whiteout\") the .wh. names. isOverlayWhiteout checks for the 0:0 device in fi's Stat_t; isOpaqueDir reads the xattr with lgetxattr(2), which does not follow a symlink.",
				"if isOverlayWhiteout(fi) { return whiteoutName(rel), nil }; if !fi.IsDir() { return \"\", nil }; opaque, err := isOpaqueDir(p); if err != nil || !opaque { return \"\", err }; return opaqueName(rel), nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.commit-whiteouts is not written yet`, Hint: "The stub is still there: replace its return with the two tests and the two names."},
				{Output: `OCIWhiteout\((gone|etc/hostname)\) = .*, want ".*\.wh\.`, Hint: "A deleted file is a character device 0:0: its OCI whiteout is its name with .wh. in front, in the same directory (etc/.wh.hostname), as whiteoutName makes it."},
				{Output: `OCIWhiteout\((tmp|var/cache/apt)\) = `, Hint: "An opaque directory has trusted.overlay.opaque=\"y\" (isOpaqueDir reads it); its marker goes inside it, DIR/.wh..wh..opq (opaqueName), not beside it."},
				{Output: `OCIWhiteout\(\S+\) = "[^"]+", want ""`, Hint: "Only those two are marks: a directory without the xattr, a file, a symlink and any other device (/dev/null is 1:3) stand for themselves, \"\"."},
			},
		},
		{
			ID: "img.unpack-whiteouts", Step: "images.whiteouts", Minutes: 10, Root: true,
			Tests: []string{"TestExtractOverlayWhiteouts"},
			Todo: "Make overlayfs's mark for the OCI whiteout wo in the directory open as dirfd: for .wh.NAME (wo.Target is NAME), " +
				"a character device 0:0 named NAME, with mknodat(2); for .wh..wh..opq (wo.Target is \"\"), the xattr trusted.overlay.opaque=\"y\" " +
				"on that directory, with fsetxattr(2). A layer unpacked so is a lowerdir that overlay reads as the layer meant: the deleted names hidden, the opaque directory hiding what is below it.",
			Hints: []string{
				"dirfd is the whiteout's own directory in both cases: the device goes in it, by name, relative to dirfd; the xattr goes on it. Work from the fd, never a path: the layer is untrusted, and a path could lead through a symlink.",
				"mknodat(2) is unix.Mknodat(dirfd, name, unix.S_IFCHR, 0), device 0 being 0:0; fsetxattr(2) is unix.Fsetxattr(fd, overlayOpaqueXattr, []byte(\"y\"), 0). Both need root (CAP_MKNOD; CAP_SYS_ADMIN for trusted.*). How overlay reads them: the kernel's Documentation/filesystems/overlayfs.rst, \"whiteouts and opaque directories\".",
				"if wo.Target == \"\" { if err := unix.Fsetxattr(dirfd, overlayOpaqueXattr, []byte(\"y\"), 0); err != nil { return fmt.Errorf(\"mark /%s opaque: %w\", wo.Dir, err) }; return nil }; if err := unix.Mknodat(dirfd, wo.Target, unix.S_IFCHR, 0); err != nil { return fmt.Errorf(\"make the overlay whiteout %s: %w\", wo.Target, err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.unpack-whiteouts is not written yet`, Hint: "The stub is still there: replace its return with the mknodat and the fsetxattr."},
				{Output: `"(etc/hostname|gone) (file|Dc)`, Hint: "A whiteout for overlay is a character device numbered 0:0: mknodat with mode unix.S_IFCHR and device 0, not an empty file, nor another device."},
				{Output: `"tmp dir"`, Hint: "tmp is not opaque: for a whiteout with no Target, set the xattr trusted.overlay.opaque to \"y\" on the directory dirfd is open on (fsetxattr)."},
				{Output: `"hostname whiteout"`, Hint: "The device landed in the wrong directory: make it relative to dirfd (mknodat), the whiteout's own directory."},
			},
		},
		{
			ID: "img.commit", Step: "images.commit", Minutes: 15,
			Tests: []string{"TestCommit", "TestFindTagListRemove"},
			Todo: "Commit the directory upper as a new image on base, tagged ref: under the store's lock, write upper as a layer blob (putLayer), " +
				"then add an image (addImage) whose layers are base's plus the new one, and whose config is base's with the layer's DiffID added to rootfs.diff_ids, " +
				"a history item (created now, by createdBy) added, and created set to now. Nothing of the base is copied: the new manifest names the base's blobs by digest. " +
				"Pass shift on to putLayer (a user namespace's owners, chapter 6).",
			Hints: []string{
				"An image is a list of layers plus a config: the commit's list is the base's with one more at the end, its config the base's with one more diff ID and one more history item. Copy the slices before appending: base is shared, and two commits on one base must not write into each other's arrays.",
				"The OCI image-spec: manifest.md (layers, bottom first, by descriptor; Layer.Descriptor gives the new one's) and config.md (rootfs.diff_ids, one per layer in the same order; history, with created and created_by). s.lock() makes changes to the store take turns (flock(2)).",
				"unlock, err := s.lock(); defer unlock(); layer, err := s.putLayer(upper, shift...); cfg := base.Config; now := time.Now().UTC().Truncate(time.Second); cfg.Created = &now; cfg.RootFS.DiffIDs = append(append([]Digest{}, base.Config.RootFS.DiffIDs...), layer.DiffID); the same for cfg.History with HistoryItem{Created: &now, CreatedBy: createdBy}, and for the layers with layer.Descriptor(); return s.addImage(ref, cfg, layers)",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.commit is not written yet`, Hint: "The stub is still there: replace its return with the layer and the new image."},
				{Output: `returned a (manifest|config) other than the one it stored`, Hint: "The second commit changed the first: both appended to the base's slices, which share one array when it has room. Append to a copy, append(append([]Digest{}, base.Config.RootFS.DiffIDs...), layer.DiffID), and the same for the history and the layers."},
				{Output: `top diff ID is`, Hint: "The config lists a layer by its diff ID, the sha256 of its uncompressed tar (layer.DiffID), not by its blob's digest."},
				{Output: `bottom (layers|diff IDs) are not the base's|layers and \d+ diff IDs, want`, Hint: "The new image keeps all of the base's layers and diff IDs, in order, and adds exactly one of each at the end."},
				{Output: `finds .*want the commit's|no image "(one|two|app:v1)"`, Hint: "Tag the new image: addImage(ref, ...) names it ref in index.json."},
				{Output: `history \[`, Hint: "Add one history item to the base's: Created, now, and CreatedBy, createdBy."},
			},
		},
		{
			ID: "img.history", Step: "images.history", Minutes: 10,
			Tests: []string{"TestHistory"},
			Todo: "Return img's history, newest first: one entry per item of the config's history, with the manifest's next layer (its digest and size) unless the item is empty_layer, " +
				"then an entry for each layer left without an item. A history that names more layers than the manifest has is an error: the image does not hold together.",
			Hints: []string{
				"Walk the config's history and the manifest's layers together, oldest first, with a layer index that moves on only for items that made a layer. Reverse at the end: history is shown newest first, like git log.",
				"The OCI image-spec's config.md, \"history\": created, created_by, and empty_layer (\"this history entry did not create a filesystem diff\"). The manifest's layers are bottom first (manifest.md). h.Created is a pointer, nil when the item has no time.",
				"layer := 0; for _, h := range img.Config.History { e := HistoryEntry{CreatedBy: h.CreatedBy}; if h.Created != nil { e.Created = *h.Created }; if !h.EmptyLayer { if layer >= len(img.Manifest.Layers) { return nil, fmt.Errorf(...) }; e.Layer, e.Size = the layer's Digest and Size; layer++ }; out = append(out, e) }; then an entry per layer left; then reverse out",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.history is not written yet`, Hint: "The stub is still there: replace its return with the walk over the history."},
				{Output: `more items than layers|index out of range`, Hint: "When the history names more layers than the manifest has, return an error saying so (\"... more layers than its manifest has ...\") instead of reading past the end."},
				{Output: `one item per layer, newest first: History`, Hint: "The entries come oldest first, as the config lists them: reverse the list before returning it."},
				{Output: `an empty_layer item has no layer`, Hint: "An item with EmptyLayer set made no layer: it gets no Layer or Size, and the next item takes the layer it did not."},
				{Output: `layers without an item still show`, Hint: "Some tools write no history: after the last item, each layer left gets an entry of its own, with only its Layer and Size."},
				{Output: `an item without a time`, Hint: "Created is a pointer: nil when the item has no time, and the entry's Created then stays the zero time."},
			},
		},
		{
			ID: "img.share", Step: "images.share", Minutes: 10,
			Tests: []string{"TestUnpackSharesLayers"},
			Todo: "Return the directories of img's layers, bottom first, unpacking each only if it is not there yet: a layer lives in s.UnpackedDir of its diff ID " +
				"(the config's rootfs.diff_ids[i]), and s.unpackLayer unpacks one there; pass shift on to both (a user namespace's copies, chapter 6). Then two images with the same layer, and every container of them, share one directory on disk.",
			Hints: []string{
				"A diff ID names a layer's content, so the directory named by it is the same layer whichever image asks for it: if the directory is there, the work is done.",
				"The i-th layer of the manifest (img.Manifest.Layers[i], its blob) goes with the i-th diff ID (img.Config.RootFS.DiffIDs[i]), as the OCI image-spec's config.md says; overlay takes one lowerdir per layer. os.Stat (stat(2)) tells whether the directory is there.",
				"for i, desc := range img.Manifest.Layers { diffID := img.Config.RootFS.DiffIDs[i]; dir := s.UnpackedDir(diffID, shift...); if _, err := os.Stat(dir); err != nil { if err := s.unpackLayer(desc, diffID, dir, shift...); err != nil { return nil, err } }; dirs = append(dirs, dir) }; return dirs, nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.share is not written yet`, Hint: "The stub is still there: replace its return with the loop over the layers."},
				{Output: `its blob gone`, Hint: "Unpack unpacked the base's layer again: look for its directory first (os.Stat of s.UnpackedDir(diffID)), and unpack only a layer whose directory is missing."},
				{Output: `Unpack\((base|app)\): want`, Hint: "One directory per layer, bottom first as the manifest lists them, each s.UnpackedDir of the layer's diff ID (img.Config.RootFS.DiffIDs[i]), not of its blob's digest."},
			},
		},
		{
			ID: "img.digest", Step: "images.digest", Minutes: 10,
			Tests: []string{"TestVerifyingReader", "TestCorruptBlobIsNamed", "TestCorruptLayerIsNamed"},
			Todo: "Read from v.r into p and hash what was read (v.d); at the blob's end (io.EOF), return a *DigestMismatchError if its digest is not v.want, " +
				"and an error if the bytes read are not v.size (unless it is -1). Checking a blob against its name as it is read is what turns a corrupt or tampered blob into an error, not a different container.",
			Hints: []string{
				"Every byte read must be hashed, those that come back together with io.EOF too: a Reader may return n > 0 and io.EOF from one call. Compare only at the end, once the whole blob is hashed.",
				"The OCI image-spec's descriptor.md, \"Digests\": a digest is the hash of the bytes, and content should be verified against it before use; \"size\" must match as well. io.Reader's contract (go doc io.Reader) says how n and err come together. v.d is a digester: Write hashes and counts (v.d.n), Digest gives the result.",
				"n, err := v.r.Read(p); v.d.Write(p[:n]); if errors.Is(err, io.EOF) { if got := v.d.Digest(); got != v.want { return n, &DigestMismatchError{What: v.what, Want: v.want, Got: got} }; if v.size >= 0 && v.d.n != v.size { return n, fmt.Errorf(...) } }; return n, err",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise img\.digest is not written yet`, Hint: "The stub is still there: replace its return with the read, the hash and the check at the end."},
				{Output: `reading the right blob`, Hint: "The right blob failed: hash p[:n], not all of p, on every read, the last one too, even when it comes with io.EOF; and check only at io.EOF."},
				{Output: `reading a blob with a changed byte`, Hint: "A changed byte got through: at io.EOF, compare v.d.Digest() with v.want and return &DigestMismatchError{What: v.what, Want: v.want, Got: what you hashed}."},
				{Output: `shorter than its descriptor`, Hint: "A blob of the wrong size got through: at io.EOF, unless v.size is -1, compare the bytes hashed (v.d.n) with v.size, and name v.what in the error."},
			},
		},
	}
}
