package steps

import (
	"fmt"
	"strings"

	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// server is the shell command of a busybox httpd that serves page.
func server(page string) string {
	return "mkdir /www && echo " + page + " > /www/index.html && exec httpd -f -p 80 -h /www"
}

func runPublish(e *workshop.Env) error {
	lab, err := network.NewHost()
	if err != nil {
		return err
	}
	defer lab.Close()
	minibox(e, lab, false, "rm", "-f", "web")
	defer minibox(e, lab, false, "rm", "-f", "web")
	if _, err := mustMinibox(e, lab, "run", "-d", "--name", "web", "--network", "bridge", "-p", "8080:80",
		"busybox", "sh", "-c", server(page)); err != nil {
		return err
	}
	if err := waitForPage(lab, webAddr); err != nil {
		return err
	}
	if _, err := mustMinibox(e, lab, "port", "web"); err != nil {
		return err
	}
	out, err := inNamespace(e, "lab#", lab, "busybox", "wget", "-qO-", "http://127.0.0.1:8080/")
	if err != nil {
		return err
	}
	if strings.TrimSpace(out) != page {
		return fmt.Errorf("the host's port 8080 gave %q, want web's page %q", out, page)
	}
	if _, err := mustMinibox(e, lab, "ps"); err != nil {
		return err
	}
	if _, err := mustMinibox(e, lab, "rm", "-f", "web"); err != nil {
		return err
	}
	out, code, err := inNamespaceCode(e, "lab#", lab, "busybox", "nc", "-w", "2", "127.0.0.1", "8080")
	if err != nil {
		return err
	}
	if code == 0 || !strings.Contains(out, "Connection refused") {
		return fmt.Errorf("after rm, the host's port 8080 still answers (exit %d): %q", code, out)
	}
	return nil
}

// How many servers 7.4 runs, and the host's first port.
const (
	servers   = 5
	firstPort = 8081
)

func runMany(e *workshop.Env) error {
	lab, err := network.NewHost()
	if err != nil {
		return err
	}
	defer lab.Close()
	var names []string
	for i := 1; i <= servers; i++ {
		names = append(names, fmt.Sprintf("web%d", i))
	}
	minibox(e, lab, false, append([]string{"rm", "-f"}, names...)...)
	defer minibox(e, lab, false, append([]string{"rm", "-f"}, names...)...)
	for i, name := range names {
		if _, err := mustMinibox(e, lab, "run", "-d", "--name", name, "--network", "bridge",
			"-p", fmt.Sprintf("%d:80", firstPort+i), "busybox", "sh", "-c", server("I am "+name)); err != nil {
			return err
		}
	}
	for i := range names {
		if err := waitForPage(lab, fmt.Sprintf("10.88.0.%d", 2+i)); err != nil {
			return err
		}
	}
	if _, err := mustMinibox(e, lab, "ps"); err != nil {
		return err
	}
	loop := fmt.Sprintf("for port in $(seq %d %d); do busybox wget -qO- http://127.0.0.1:$port/; done", firstPort, firstPort+servers-1)
	out, err := inNamespace(e, "lab#", lab, "sh", "-c", loop)
	if err != nil {
		return err
	}
	for _, name := range names {
		if !strings.Contains(out, "I am "+name+"\n") {
			return fmt.Errorf("no answer from %s among the five: %q", name, out)
		}
	}
	if _, err := mustMinibox(e, lab, append([]string{"stats"}, names...)...); err != nil {
		return err
	}
	_, err = mustMinibox(e, lab, append([]string{"rm", "-f"}, names...)...)
	return err
}
