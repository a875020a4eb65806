package steps

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime/steps"
	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// minibox runs the minibox binary in the lab, shows it at the lab#
// prompt, and returns its output and exit code. A process starts in the
// network namespace of the thread that forks it: network.Do's.
func minibox(e *workshop.Env, lab *os.File, show bool, args ...string) (string, int, error) {
	bin, err := runtime.MiniboxBin()
	if err != nil {
		return "", 0, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), labState(e)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = network.Do(lab, cmd.Start)
	if err == nil {
		err = cmd.Wait()
	}
	if show {
		e.Shell("lab#", "minibox "+workshop.ShellQuote(args), out.String())
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode(), nil
	}
	return out.String(), 0, err
}

// labState is the environment of the lab's minibox: state of its own,
// under the workshop's directory, as the lab is a host of its own. The
// learner's containers, and their leases on the real host's bridge, are
// neither seen nor touched.
func labState(e *workshop.Env) []string {
	dir := filepath.Join(e.Dir, "network-lab")
	return []string{"MINIBOX_ROOT=" + dir, "MINIBOX_RUN=" + filepath.Join(dir, "run")}
}

// mustMinibox is minibox, shown, that must exit 0.
func mustMinibox(e *workshop.Env, lab *os.File, args ...string) (string, error) {
	out, code, err := minibox(e, lab, true, args...)
	if err == nil && code != 0 {
		err = fmt.Errorf("minibox %s exited %d: %s", strings.Join(args, " "), code, out)
	}
	return out, err
}

// The page web serves, and the address the pool gives the first container.
const (
	page    = "hello from web"
	webAddr = "10.88.0.2"
)

func runBridge(e *workshop.Env) error {
	lab, err := network.NewHost()
	if err != nil {
		return err
	}
	defer lab.Close()
	minibox(e, lab, false, "rm", "-f", "web") // from an earlier try, if any
	defer minibox(e, lab, false, "rm", "-f", "web")
	e.Say("a new network namespace, lab#, plays the host: minibox runs there")
	if _, err := mustMinibox(e, lab, "run", "-d", "--name", "web", "--network", "bridge", "busybox", "sh", "-c",
		"mkdir /www && echo "+page+" > /www/index.html && exec httpd -f -p 80 -h /www"); err != nil {
		return err
	}
	if err := waitForPage(lab, webAddr); err != nil {
		return err
	}
	waitUp(lab, network.DefaultBridge)
	for _, argv := range [][]string{
		{"ip", "-4", "-br", "addr", "show", "dev", network.DefaultBridge},
		{"ip", "-br", "link", "show", "master", network.DefaultBridge},
	} {
		if _, err := inNamespace(e, "lab#", lab, argv...); err != nil {
			return err
		}
	}
	if _, err := mustMinibox(e, lab, "run", "--rm", "--network", "bridge", "busybox", "route", "-n"); err != nil {
		return err
	}
	out, err := mustMinibox(e, lab, "run", "--rm", "--name", "client", "--network", "bridge", "busybox", "sh", "-c", "cat /etc/hosts; wget -qO- http://web/")
	if err != nil {
		return err
	}
	if !strings.HasSuffix(out, "\t"+"web\n"+page+"\n") {
		return fmt.Errorf("another container on the bridge, asking for web by name, got %q; want web in its /etc/hosts, then %q", out, page)
	}
	if out, err = inNamespace(e, "lab#", lab, "busybox", "wget", "-qO-", "http://"+webAddr+"/"); err != nil {
		return err
	}
	if strings.TrimSpace(out) != page {
		return fmt.Errorf("the host got %q from web, want %q", out, page)
	}
	out, code, err := minibox(e, lab, true, "run", "--rm", "--network", "none", "busybox", "nc", "-w", "2", webAddr, "80")
	if err != nil {
		return err
	}
	if code == 0 || !strings.Contains(out, "Network is unreachable") {
		return fmt.Errorf("a container with --network none reached web (exit %d): %q", code, out)
	}
	if _, err := mustMinibox(e, lab, "rm", "-f", "web"); err != nil {
		return err
	}
	out, err = inNamespace(e, "lab#", lab, "ip", "-br", "link", "show", "master", network.DefaultBridge)
	if err != nil {
		return err
	}
	if strings.TrimSpace(out) != "" {
		return fmt.Errorf("web's veth is still on the bridge after rm: %q", out)
	}
	return nil
}

// waitForPage waits, up to 10 s, for the server at addr to take a
// connection from the lab: run -d returns once the container runs, before
// httpd listens. (Not with busybox wget: 1.35's crashes when refused.)
func waitForPage(lab *os.File, addr string) error {
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		err = network.Do(lab, func() error {
			c, err := net.DialTimeout("tcp4", addr+":80", time.Second)
			if err == nil {
				c.Close()
			}
			return err
		})
		if err == nil {
			return nil
		}
	}
	return fmt.Errorf("web did not answer on %s within 10 s: %w", addr, err)
}
