package steps

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runWhiteouts(e *workshop.Env) error {
	s, base, err := imageStore(e)
	if err != nil {
		return err
	}
	c, err := freshContainer(e, "whiteouts")
	if err != nil {
		return err
	}
	if _, err := imageRun(e, s, base, c, "rm /etc/hostname; rm -r /tmp; mkdir /tmp; touch /tmp/new"); err != nil {
		return err
	}
	e.Say("the container's upperdir, overlay's way:")
	for _, l := range describeTree(c.Upper()) {
		e.Say("  %s", l)
	}
	var layer bytes.Buffer
	if _, err := images.WriteLayer(&layer, c.Upper()); err != nil {
		return err
	}
	names, err := layerNames(bytes.NewReader(layer.Bytes()))
	if err != nil {
		return err
	}
	e.Say("the same changes as a layer, OCI's way (tar -tz):")
	for _, n := range names {
		e.Say("  %s", n)
	}
	back := filepath.Join(e.Dir, "whiteouts-unpacked")
	if err := os.RemoveAll(back); err != nil {
		return err
	}
	if err := os.MkdirAll(back, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(back)
	if _, err := images.Extract(bytes.NewReader(layer.Bytes()), back, images.ExtractOptions{Whiteouts: images.OverlayWhiteouts}); err != nil {
		return err
	}
	e.Say("unpacked for overlay, overlay's way again:")
	unpacked := describeTree(back)
	for _, l := range unpacked {
		e.Say("  %s", l)
	}
	if got, want := strings.Join(names, " "), "etc/ etc/.wh.hostname tmp/ tmp/.wh..wh..opq tmp/new"; got != want {
		return fmt.Errorf("the layer holds %q, want %q", got, want)
	}
	if strings.Join(unpacked, "|") != strings.Join(describeTree(c.Upper()), "|") {
		return errors.New("unpacking the layer did not give back the upperdir")
	}
	return nil
}

// layerNames lists the entries of a gzip layer, as tar -tz does.
func layerNames(r io.Reader) ([]string, error) {
	cmd := exec.Command("tar", "-tz")
	cmd.Stdin = r
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("tar -tz: %w", err)
	}
	return strings.Fields(string(out)), nil
}
