package steps

import (
	"fmt"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runCommitStep(e *workshop.Env) error {
	s, base, err := imageStore(e)
	if err != nil {
		return err
	}
	c, err := freshContainer(e, "hello-build")
	if err != nil {
		return err
	}
	if _, err := imageRun(e, s, base, c, helloScript); err != nil {
		return err
	}
	img, err := s.Commit(base, c.Upper(), "hello", "sh -c '"+helloScript+"'")
	if err != nil {
		return err
	}
	e.Shell("host$", "commit hello-build as hello", img.Digest.String())
	list, err := s.List()
	if err != nil {
		return err
	}
	e.Shell("host$", "list", images.FormatList(list))
	c2, err := freshContainer(e, "hello-run")
	if err != nil {
		return err
	}
	out, err := imageRun(e, s, img, c2, "cat /hello; test -e /etc/hostname || echo no /etc/hostname")
	if err != nil {
		return err
	}
	if out != "hello from a layer\nno /etc/hostname\n" {
		return fmt.Errorf("the new container printed %q, want the committed /hello", out)
	}
	return nil
}
