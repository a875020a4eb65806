package steps

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runLayers(e *workshop.Env) error {
	dir := filepath.Join(e.Dir, "images")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	s, img, err := imageStore(e)
	if err != nil {
		return err
	}
	names, err := workshop.DirNames(s.Dir)
	if err != nil {
		return err
	}
	e.Shell("host$", "ls "+s.Dir, strings.Join(names, " "))
	idx, err := os.ReadFile(filepath.Join(s.Dir, "index.json"))
	if err != nil {
		return err
	}
	e.Shell("host$", "cat index.json", string(idx))
	layer := img.Manifest.Layers[0]
	e.Say("manifest %s:", img.Digest)
	e.Say("  config %s", img.Manifest.Config.Digest)
	e.Say("  layer  %s  %s  %s", layer.Digest, images.HumanSize(layer.Size), layer.MediaType)
	e.Say("config: os %s, architecture %s, cmd %v", img.Config.OS, img.Config.Architecture, img.Config.Config.Cmd)
	e.Say("  rootfs.diff_ids: %s", img.Config.RootFS.DiffIDs[0])
	blob := s.BlobPath(layer.Digest)
	sum, err := exec.Command("sha256sum", blob).Output()
	if err != nil {
		return fmt.Errorf("sha256sum: %w", err)
	}
	e.Shell("host$", "sha256sum blobs/sha256/"+layer.Digest.Short()+"...", string(sum))
	unzipped, err := exec.Command("sh", "-c", "gzip -dc < "+blob+" | sha256sum").Output()
	if err != nil {
		return fmt.Errorf("gzip -dc | sha256sum: %w", err)
	}
	e.Shell("host$", "gzip -dc < blobs/sha256/"+layer.Digest.Short()+"... | sha256sum", string(unzipped))
	if !strings.HasPrefix(string(sum), layer.Digest.Hex()) {
		return fmt.Errorf("the layer blob hashes to %s, not its name %s", strings.Fields(string(sum))[0], layer.Digest.Hex())
	}
	if !strings.HasPrefix(string(unzipped), img.Config.RootFS.DiffIDs[0].Hex()) {
		return errors.New("the uncompressed layer does not hash to its diff ID")
	}
	return nil
}
