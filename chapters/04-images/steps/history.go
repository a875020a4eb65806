package steps

import (
	"fmt"
	"strings"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runHistoryStep(e *workshop.Env) error {
	s, img, err := helloStore(e)
	if err != nil {
		return err
	}
	hist, err := img.History()
	if err != nil {
		return err
	}
	e.Shell("host$", "history hello", images.FormatHistory(hist))
	changes, err := s.ImageChanges(img)
	if err != nil {
		return err
	}
	var lines []string
	for _, c := range changes {
		lines = append(lines, c.String())
	}
	e.Shell("host$", "diff hello", strings.Join(lines, "\n"))
	if len(hist) != 2 || hist[0].Layer != img.Manifest.Layers[1].Digest {
		return fmt.Errorf("the history has %d entries, want 2, the newest on hello's own layer", len(hist))
	}
	if got, want := strings.Join(lines, ","), "C /etc,D /etc/hostname,A /hello"; got != want {
		return fmt.Errorf("the diff is %q, want %q", got, want)
	}
	return nil
}
