// Package steps holds the workshop's steps of chapter 7, networking. Their
// text is in tutorial/07-network.md; package chapters lists them.
//
// No step touches the machine's own network: each makes network
// namespaces of its own, one that plays the host ("lab#" on the page) and
// one for each container, and shows the commands it runs in them through
// util-linux's nsenter. They end with the step, and everything in them.
package steps

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/vishvananda/netlink"
)

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{ID: "net.veth", Root: true, Run: runVeth,
			Check: "a ping crossed the veth pair, from the container's namespace to the host's end",
			Hint:  "ip -br link in each namespace: the pair's ends name each other (eth0@if2, veth-c1@if2)"},
		{ID: "net.bridge", Root: true, Run: runBridge,
			Check: "a container on the bridge served a page to another container, which asked for it by name, and to the host; its veth went with rm",
			Hint:  "ip -br link show master minibox0 lists the bridge's ports; minibox inspect NAME shows the container's Endpoint"},
		{ID: "net.publish", Root: true, Run: runPublish,
			Check: "the host's port 8080 led to the container's port 80, and was let go with rm",
			Hint:  "minibox port NAME lists a container's published ports; the supervisor listens on them (ls -l /proc/SUPERVISOR/fd)"},
		{ID: "net.many", Root: true, Run: runMany,
			Check: "five servers of one image, each on port 80 of its own network, answered on five ports of the host",
			Hint:  "each container has its own network namespace, so each has a port 80 of its own; only the host's ports must differ"},
		{ID: "net.nat", Root: true, Run: runNAT,
			Check: "a container reached a server beyond the host, which saw the host's address: NAT rewrote the container's",
			Hint:  "nft list table ip minibox shows the rules and their counters; cat /proc/sys/net/ipv4/ip_forward must say 1"},
	}
}

// inNamespace runs argv in the network namespace ns through nsenter,
// shows it at prompt with its output, and returns the output. It must
// exit 0.
func inNamespace(e *workshop.Env, prompt string, ns *os.File, argv ...string) (string, error) {
	out, code, err := inNamespaceCode(e, prompt, ns, argv...)
	if err == nil && code != 0 {
		err = fmt.Errorf("%s exited %d", workshop.ShellQuote(argv), code)
	}
	return out, err
}

// inNamespaceCode is inNamespace that returns the exit code, whatever it is.
func inNamespaceCode(e *workshop.Env, prompt string, ns *os.File, argv ...string) (string, int, error) {
	// nsenter opens /proc/self/fd/3: its own copy of ns, inherited.
	cmd := exec.Command("nsenter", append([]string{"--net=/proc/self/fd/3", "--"}, argv...)...)
	cmd.ExtraFiles = []*os.File{ns}
	out, err := cmd.CombinedOutput()
	e.Shell(prompt, workshop.ShellQuote(argv), string(out))
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode(), nil
	}
	if err != nil {
		return string(out), 0, fmt.Errorf("%s: %w", workshop.ShellQuote(argv), err)
	}
	return string(out), 0, nil
}

// namespaces makes n network namespaces; close closes them all, which
// ends them and every interface in them.
func namespaces(n int) (nss []*os.File, close func(), err error) {
	close = func() {
		for _, ns := range nss {
			ns.Close()
		}
	}
	for range n {
		ns, err := network.NewNamespace()
		if err != nil {
			close()
			return nil, nil, err
		}
		nss = append(nss, ns)
	}
	return nss, close, nil
}

func runVeth(e *workshop.Env) error {
	nss, closeAll, err := namespaces(2)
	if err != nil {
		return err
	}
	defer closeAll()
	lab, container := nss[0], nss[1]
	e.Say("two new network namespaces: lab# plays the host, container# is a container's")
	if _, err := inNamespace(e, "container#", container, "ip", "-br", "link"); err != nil {
		return err
	}
	if err := addVeth(lab, container); err != nil {
		return err
	}
	e.Say("network.AddVeth: a veth pair, veth-c1 in the lab, its peer made in the container's namespace as eth0")
	if _, err := inNamespace(e, "lab#", lab, "ip", "-br", "link", "show", "type", "veth"); err != nil {
		return err
	}
	if _, err := inNamespace(e, "container#", container, "ip", "-br", "link", "show", "type", "veth"); err != nil {
		return err
	}
	for _, c := range []struct {
		prompt string
		ns     *os.File
		argv   []string
	}{
		{"lab#", lab, []string{"ip", "addr", "add", "10.99.0.1/30", "dev", "veth-c1"}},
		{"lab#", lab, []string{"ip", "link", "set", "veth-c1", "up"}},
		{"container#", container, []string{"ip", "addr", "add", "10.99.0.2/30", "dev", "eth0"}},
		{"container#", container, []string{"ip", "link", "set", "eth0", "up"}},
	} {
		if _, err := inNamespace(e, c.prompt, c.ns, c.argv...); err != nil {
			return err
		}
	}
	out, err := inNamespace(e, "container#", container, "busybox", "ping", "-c", "1", "-W", "5", "10.99.0.1")
	if err != nil {
		return err
	}
	if !strings.Contains(out, "1 packets received") {
		return fmt.Errorf("the ping did not come back across the veth: %q", out)
	}
	waitUp(container, "eth0")
	_, err = inNamespace(e, "container#", container, "ip", "-4", "-br", "addr", "show", "dev", "eth0")
	return err
}

// addVeth is the step's call of the exercise: the pair, by netlink.
func addVeth(lab, container *os.File) error {
	h, err := network.Handle(lab)
	if err != nil {
		return err
	}
	defer h.Close()
	return network.AddVeth(h, "veth-c1", network.ContainerEnd, container)
}

// waitUp waits, up to 5 s, until the interface name in ns says it is up.
// The kernel sets a link's state asynchronously, up to a second after its
// carrier comes: `ip -br` would show DOWN, or UNKNOWN, for a moment.
func waitUp(ns *os.File, name string) {
	h, err := network.Handle(ns)
	if err != nil {
		return
	}
	defer h.Close()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if link, err := h.LinkByName(name); err == nil && link.Attrs().OperState == netlink.OperUp {
			return
		}
	}
}
