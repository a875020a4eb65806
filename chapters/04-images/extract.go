package images

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// Extract unpacks a layer (a tar, gzip-compressed or not) into dir, and
// never writes outside dir, whatever the layer says: see resolve.go. Every
// directory on the way to an entry is resolved inside dir; the entry itself
// is made with the *at syscalls relative to that directory, never through a
// symlink.

// WhiteoutMode says what Extract does with OCI whiteouts.
type WhiteoutMode int

const (
	// ApplyWhiteouts deletes what a whiteout names from dir: for unpacking
	// the layers of an image, one on top of the other, into one rootfs.
	ApplyWhiteouts WhiteoutMode = iota
	// OverlayWhiteouts turns whiteouts into overlayfs's marks (a 0:0
	// character device, the opaque xattr): for unpacking one layer on its
	// own, to be an overlay lowerdir. Needs root.
	OverlayWhiteouts
)

// ExtractOptions tune Extract.
type ExtractOptions struct {
	Whiteouts WhiteoutMode
	// Devices allows device nodes. Without it they are skipped: a layer
	// that carries /dev/sda would hand a container the host's disk.
	Devices bool
	// Shift, if set, moves every owner into a user namespace's range
	// (idshift.go).
	Shift IDShift
}

// ExtractResult says what Extract did.
type ExtractResult struct {
	Entries int      // tar entries read
	Skipped []string // entries not made, each with the reason
}

// Extract unpacks the tar stream r (plain or gzip) into dir, which must
// exist. Owners are set only when running as root.
func Extract(r io.Reader, dir string, opts ExtractOptions) (*ExtractResult, error) {
	return extract(r, dir, opts, io.Discard)
}

// extract is Extract that also writes the uncompressed tar to tee, for
// hashing (the layer's diff ID). It reads r to its end, so that a digest
// checked at end of file (verifyingReader) is checked.
func extract(r io.Reader, dir string, opts ExtractOptions, tee io.Writer) (*ExtractResult, error) {
	r, closeR, err := decompress(r, tee)
	if err != nil {
		return nil, err
	}
	defer closeR()
	root, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("extract into %s: %w", dir, err)
	}
	defer unix.Close(root)
	if !opts.Shift.IsZero() && os.Geteuid() != 0 {
		return nil, fmt.Errorf("extract into %s: shifting the owners for a user namespace needs root, which sets them", dir)
	}
	x := &extractor{
		root: root, opts: opts, chown: os.Geteuid() == 0,
		res: &ExtractResult{}, cacheFd: -1, buf: make([]byte, 256<<10),
		written: map[string]bool{},
	}
	defer x.uncache()
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			// Past the tar's end marker: padding, and the end of the blob.
			if _, err := io.Copy(io.Discard, r); err != nil {
				return x.res, fmt.Errorf("extract into %s: read the layer: %w", dir, err)
			}
			break
		}
		if err != nil {
			return x.res, fmt.Errorf("extract into %s: read the tar: %w", dir, err)
		}
		x.res.Entries++
		if err := x.entry(hdr, tr); err != nil {
			return x.res, fmt.Errorf("extract %s into %s: %w", hdr.Name, dir, err)
		}
	}
	if err := x.finish(); err != nil {
		return x.res, fmt.Errorf("extract into %s: %w", dir, err)
	}
	return x.res, nil
}

// decompress sniffs gzip's magic number and undoes it if present. The
// decompression runs in its own goroutine, ahead of the file writes, as
// `tar -xzf` runs gzip in a process of its own.
func decompress(r io.Reader, tee io.Writer) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 1<<20)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, nil, fmt.Errorf("read the layer: %w", err)
	}
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return io.TeeReader(br, tee), func() {}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, fmt.Errorf("read the layer's gzip header: %w", err)
	}
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		_, err := io.Copy(io.MultiWriter(bw, tee), zr)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	return bufio.NewReaderSize(pr, 1<<20), func() { pr.Close() }, nil
}
