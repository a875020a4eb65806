package images

import (
	"archive/tar"
	"io"
	"syscall"
)

// Unexported parts the tests reach, by these names.
var (
	ParseWhiteout      = parseWhiteout
	WhiteoutName       = whiteoutName
	OpaqueName         = opaqueName
	IsOverlayWhiteout  = isOverlayWhiteout
	CleanName          = cleanName
	OCIWhiteout        = ociWhiteout
	NewVerifyingReader = newVerifyingReader
)

// Whiteout is whiteout, for the tests.
type Whiteout = whiteout

// UseOpenat2 turns openat2 on or off (off: the fallback walk) and returns
// a function that restores it.
func UseOpenat2(on bool) (restore func()) {
	old := useOpenat2
	useOpenat2 = on
	return func() { useOpenat2 = old }
}

// CopyReplaced runs the layer writer's file copy on path, as if the walk
// had seen it as the regular file seen: what a commit does when a file is
// swapped between the walk and the copy.
func CopyReplaced(path string, seen *syscall.Stat_t) error {
	t := &tarWriter{tw: tar.NewWriter(io.Discard), links: map[[2]uint64]string{}, buf: make([]byte, 4096)}
	return t.copyFile(path, "swapped", 0, seen)
}
