package steps

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runShare(e *workshop.Env) error {
	s, img, err := helloStore(e)
	if err != nil {
		return err
	}
	var inodes []string
	for _, name := range []string{"one", "two"} {
		c, err := freshContainer(e, name)
		if err != nil {
			return err
		}
		e.Say("container %s of hello:", name)
		out, err := imageRun(e, s, img, c, "echo "+name+" > /mine; stat -c 'busybox inode %i' /bin/busybox")
		if err != nil {
			return err
		}
		inodes = append(inodes, out)
		e.Say("  its upperdir: %s", strings.Join(describeTree(c.Upper()), ", "))
	}
	lowers, err := s.Unpack(img)
	if err != nil {
		return err
	}
	var layersSize int64
	for _, l := range lowers {
		layersSize += duBytes(l)
	}
	e.Say("hello's %d layers, unpacked once in %s: %s", len(lowers), filepath.Join(s.Dir, "unpacked"), images.HumanSize(layersSize))
	e.Say("two containers with full copies would take %s; these take %s for both upperdirs",
		images.HumanSize(2*layersSize), images.HumanSize(duBytes(filepath.Join(e.Dir, "containers", "one", "upper"))+duBytes(filepath.Join(e.Dir, "containers", "two", "upper"))))
	if inodes[0] != inodes[1] {
		return fmt.Errorf("the two containers see different busybox files: %q, %q", inodes[0], inodes[1])
	}
	return nil
}

// duBytes is what du counts: the blocks a tree uses, in bytes.
func duBytes(root string) int64 {
	var n int64
	seen := map[uint64]bool{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			st := fi.Sys().(*syscall.Stat_t)
			if !seen[st.Ino] {
				seen[st.Ino] = true
				n += st.Blocks * 512
			}
		}
		return nil
	})
	return n
}
