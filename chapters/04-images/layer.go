package images

import (
	"archive/tar"
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// A layer is one delta: the files a change added or modified, and a
// whiteout for each it deleted, as a tar, gzip-compressed. It is named by
// the sha256 of its compressed bytes (its digest, the blob's file name) and
// the image config lists it by the sha256 of the uncompressed tar (its
// diff ID), which survives recompression.

// Layer is a written layer blob.
type Layer struct {
	Digest Digest // sha256 of the compressed bytes: the blob's name
	DiffID Digest // sha256 of the uncompressed tar: the config's rootfs.diff_ids
	Size   int64  // compressed size in bytes
}

// Descriptor returns the manifest's entry for the layer.
func (l Layer) Descriptor() Descriptor {
	return Descriptor{MediaType: MediaTypeLayerGz, Digest: l.Digest, Size: l.Size}
}

// WriteLayer writes the tree at dir to w as a layer: a tar (see WriteTar),
// gzip-compressed in parallel (gzip.go). With a shift, dir is a user
// namespace's and the tar has its owners as the container saw them.
//
//workshop:exercise img.layer
func WriteLayer(w io.Writer, dir string, shift ...IDShift) (Layer, error) {
	compressed := newDigester()
	zw := newParallelGzip(io.MultiWriter(w, compressed))
	diffID := newDigester()
	err := WriteTar(io.MultiWriter(zw, diffID), dir, shift...)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Layer{}, err
	}
	return Layer{Digest: compressed.Digest(), DiffID: diffID.Digest(), Size: compressed.n}, nil
}

// WriteTar writes the tree at dir as an uncompressed layer tar, in name
// order, so the same tree always gives the same bytes: owners by number
// only, times to the second, no access times. overlayfs's marks become OCI
// whiteouts (whiteout.go); files with several links become one file and
// hard links to it. Sockets are skipped: a tar cannot hold one.
func WriteTar(w io.Writer, dir string, shift ...IDShift) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	tw := tar.NewWriter(bw)
	t := &tarWriter{tw: tw, dir: dir, links: map[[2]uint64]string{}, buf: make([]byte, 256<<10), shift: oneShift(shift)}
	err := walkNoFollow(dir, t.add)
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write a layer of %s: %w", dir, err)
	}
	return nil
}

type tarWriter struct {
	tw    *tar.Writer
	dir   string
	links map[[2]uint64]string // (device, inode) of files seen with nlink > 1
	buf   []byte
	shift IDShift // the owners are a user namespace's: shift them back
}

// add writes the file that walkNoFollow found at p (rel in the layer).
func (t *tarWriter) add(p, rel string, fi fs.FileInfo) error {
	wh, err := ociWhiteout(p, rel, fi)
	if err != nil {
		return err
	}
	if wh != "" && !fi.IsDir() {
		return t.empty(wh, fi.ModTime()) // a deleted file: its whiteout, in its place
	}
	if fi.Mode()&fs.ModeSocket != 0 {
		return nil
	}
	link := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(p); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return err
	}
	hdr.Name = rel
	if fi.IsDir() {
		hdr.Name += "/" // as tar writes directories
	}
	hdr.Uname, hdr.Gname = "", ""
	if hdr.Uid, hdr.Gid, err = t.shift.ToContainer(hdr.Uid, hdr.Gid); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	hdr.ModTime = fi.ModTime().Truncate(time.Second)
	hdr.AccessTime, hdr.ChangeTime = time.Time{}, time.Time{}
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().IsRegular() && st.Nlink > 1 {
		key := [2]uint64{uint64(st.Dev), st.Ino}
		if first, ok := t.links[key]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
			return t.tw.WriteHeader(hdr)
		}
		t.links[key] = rel
	}
	if err := t.tw.WriteHeader(hdr); err != nil {
		return err
	}
	switch {
	case fi.IsDir():
		if wh == "" {
			return nil
		}
		return t.empty(wh, fi.ModTime()) // an opaque directory: its marker, inside it
	case fi.Mode().IsRegular():
		return t.copyFile(p, rel, hdr.Size, st)
	}
	return nil
}

// empty writes an empty regular file: a whiteout.
func (t *tarWriter) empty(name string, mtime time.Time) error {
	return t.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, ModTime: mtime.Truncate(time.Second)})
}

// copyFile copies the file at p (rel in the layer), which the walk saw as
// st. O_NOFOLLOW: had the file become a symlink since, the open fails;
// O_NONBLOCK: had it become a FIFO, the open does not wait for a writer;
// and what was opened must be the file the walk saw.
func (t *tarWriter) copyFile(p, rel string, size int64, st *syscall.Stat_t) error {
	f, err := os.OpenFile(p, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	defer f.Close()
	var now unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &now); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if now.Mode&unix.S_IFMT != unix.S_IFREG || now.Ino != st.Ino || now.Dev != uint64(st.Dev) {
		return fmt.Errorf("%s was replaced while the layer was being written: stop what changes it and commit again", rel)
	}
	n, err := io.CopyBuffer(t.tw, struct{ io.Reader }{f}, t.buf)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if n != size {
		return fmt.Errorf("%s changed size while it was being written (%d bytes, then %d): stop what writes to it and commit again", rel, size, n)
	}
	return nil
}
