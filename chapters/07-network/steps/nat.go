package steps

import (
	"fmt"
	"strings"

	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/minibox-dev/minibox/internal/workshop"
)

func runNAT(e *workshop.Env) error {
	lab, err := network.NewHost()
	if err != nil {
		return err
	}
	defer lab.Close()
	inet, err := network.NewInternet(lab)
	if err != nil {
		return err
	}
	defer inet.Close()
	e.Say("lab# plays the host, and a second namespace the internet: a web server at %s, on the lab's uplink", network.InternetAddr.Addr())
	waitUp(lab, "uplink")
	for _, argv := range [][]string{
		{"ip", "-4", "-br", "addr", "show", "dev", "uplink"},
		{"cat", "/proc/sys/net/ipv4/ip_forward"},
	} {
		if _, err := inNamespace(e, "lab#", lab, argv...); err != nil {
			return err
		}
	}
	url := fmt.Sprintf("http://%s/", network.InternetAddr.Addr())
	out, err := mustMinibox(e, lab, "run", "--rm", "--network", "bridge", "busybox", "wget", "-qO-", url)
	if err != nil {
		return err
	}
	if want := "you came from " + network.UplinkHost.Addr().String(); strings.TrimSpace(out) != want {
		return fmt.Errorf("the internet saw %q, want %q: the container's address rewritten to the host's", out, want)
	}
	for _, argv := range [][]string{
		{"cat", "/proc/sys/net/ipv4/ip_forward"},
		{"nft", "list", "table", "ip", network.NATTable},
	} {
		if _, err := inNamespace(e, "lab#", lab, argv...); err != nil {
			return err
		}
	}
	return nil
}
