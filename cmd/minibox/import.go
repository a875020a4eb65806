package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var importCommand = &cli.Command{
	Name:      "import",
	Usage:     "make an image of a directory or a tarball of one (a root filesystem), or of an OCI layout or archive (--oci)",
	ArgsUsage: "SOURCE IMAGE",
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "oci", Usage: "SOURCE is an OCI image layout (a directory) or archive (a tar): import its image tagged `TAG`"},
	},
	Action: func(c *cli.Context) error {
		if err := args(c, 2, 2); err != nil {
			return err
		}
		src, ref := c.Args().Get(0), c.Args().Get(1)
		store, err := runtime.OpenImages(runtime.DefaultPaths())
		if err != nil {
			return err
		}
		fi, err := os.Stat(src)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("import %s: no such file or directory: give a directory or a tarball of a root filesystem", src)
		}
		if err != nil {
			return err
		}
		abs, err := filepath.Abs(src)
		if err != nil {
			return err
		}
		var digest fmt.Stringer
		switch tag := c.String("oci"); {
		case tag != "" && fi.IsDir():
			img, err := store.ImportLayout(abs, tag, ref)
			if err != nil {
				return err
			}
			digest = img.Digest
		case tag != "":
			f, err := os.Open(abs)
			if err != nil {
				return err
			}
			defer f.Close()
			img, err := store.ImportArchive(f, tag, ref)
			if err != nil {
				return err
			}
			digest = img.Digest
		case fi.IsDir():
			img, err := store.ImportDir(abs, ref)
			if err != nil {
				return err
			}
			digest = img.Digest
		default:
			f, err := os.Open(abs)
			if err != nil {
				return err
			}
			defer f.Close()
			img, err := store.ImportTar(f, ref, "minibox import "+abs)
			if err != nil {
				return err
			}
			digest = img.Digest
		}
		fmt.Println(digest)
		return nil
	},
}
