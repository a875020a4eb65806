package images

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// The store is an OCI image layout under $MINIBOX_ROOT/images, so skopeo
// and umoci read it as they read any layout (oci:/var/lib/minibox/images:busybox:latest),
// plus what only minibox needs beside it:
//
//	unpacked/<diff_id hex>/   each layer unpacked once, an overlay lowerdir
//	                          shared by every container of every image using it
//	lock                      flock(2)ed by every change, so that concurrent
//	                          commands take turns

// Store is minibox's image store.
type Store struct {
	*Layout
}

// DefaultRoot is MINIBOX_ROOT's default.
const DefaultRoot = "/var/lib/minibox"

// Root is where minibox keeps what it makes: $MINIBOX_ROOT, or DefaultRoot.
func Root() string {
	if root := os.Getenv("MINIBOX_ROOT"); root != "" {
		return root
	}
	return DefaultRoot
}

// DefaultStoreDir is $MINIBOX_ROOT/images.
func DefaultStoreDir() string { return filepath.Join(Root(), "images") }

// OpenStore opens the store in dir, making it if it is not there. The
// store is root's alone (mode 0700): its unpacked layers hold the images'
// files with their owners and modes, setuid programs included, and a user
// of the host who could reach them could run those, or read what a
// container committed.
func OpenStore(dir string) (*Store, error) {
	l, err := InitLayout(dir)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open the image store: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "unpacked"), 0o755); err != nil {
		return nil, fmt.Errorf("open the image store: %w", err)
	}
	return &Store{Layout: l}, nil
}

// UnpackedDir is where the layer with this diff ID is unpacked, or its copy
// shifted for a user namespace.
func (s *Store) UnpackedDir(diffID Digest, shift ...IDShift) string {
	return filepath.Join(s.Dir, "unpacked", diffID.Hex()+oneShift(shift).suffix())
}

// lock takes the store's lock until unlock is called. Readers do not
// lock: every file they read is replaced by rename, never rewritten.
func (s *Store) lock() (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(s.Dir, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock the image store: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock the image store: %w", err)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}

// NormalizeRef adds ":latest" to a name without a tag, as docker does.
func NormalizeRef(ref string) string {
	if strings.HasPrefix(ref, "sha256:") {
		return ref
	}
	if i := strings.LastIndex(ref, ":"); i < 0 || strings.Contains(ref[i:], "/") {
		return ref + ":latest"
	}
	return ref
}

// checkRef refuses a name that OCI's ref.name grammar (and so skopeo and
// umoci) would refuse.
func checkRef(ref string) error {
	if ref == "" {
		return fmt.Errorf("an empty image name")
	}
	for _, c := range ref {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("-._:@+/", c)
		if !ok {
			return fmt.Errorf("image name %q: %q is not allowed; use letters, digits and - . _ : / @ +", ref, c)
		}
	}
	if strings.HasPrefix(ref, "sha256:") {
		return fmt.Errorf("image name %q: a name cannot look like a digest", ref)
	}
	return nil
}
