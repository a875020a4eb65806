package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	network "github.com/minibox-dev/minibox/chapters/07-network"
)

// The tests of --network bridge run minibox in a network namespace that
// plays the host: the bridge, the veths and the routes are made there,
// and go with it. The machine's own network is never touched.

// inLab makes the box's minibox commands run in a new network namespace.
func (b *box) inLab() {
	b.t.Helper()
	ns, err := network.NewHost()
	if err != nil {
		b.t.Fatal(err)
	}
	b.lab = ns
	// The box's own cleanup was registered first, so it runs last: the
	// containers go here, through the lab, before the check and the
	// lab's end.
	b.t.Cleanup(func() {
		for _, s := range b.containers() {
			b.mb("rm", "-f", s.ID)
		}
		b.checkNetworkClean()
		b.lab = nil
		ns.Close()
	})
}

// start starts cmd, in the box's lab if it has one: a process starts in
// the network namespace of the thread that forks it.
func (b *box) start(cmd *exec.Cmd) error {
	if b.lab == nil {
		return cmd.Start()
	}
	return network.Do(b.lab, cmd.Start)
}

// checkNetworkClean fails the test if a container's address is still
// leased or its veth is still in the lab, once every container is gone.
func (b *box) checkNetworkClean() {
	b.t.Helper()
	data, err := os.ReadFile(b.paths.Root + "/network/minibox0.json")
	var f struct{ Leases map[string]string }
	if errors.Is(err, fs.ErrNotExist) {
		err = nil // no container got as far as a lease
	} else if err == nil {
		err = json.Unmarshal(data, &f)
	}
	if err != nil || len(f.Leases) > 0 {
		b.t.Errorf("the lease file at the end: %s, %v; want it with no lease", data, err)
	}
	var names []string
	err = network.Do(b.lab, func() error {
		ifs, err := net.Interfaces()
		for _, i := range ifs {
			names = append(names, i.Name)
		}
		return err
	})
	if err != nil {
		b.t.Fatal(err)
	}
	for _, n := range names {
		if n != "lo" && n != network.DefaultBridge && n != "uplink" { // uplink: the test's, to its internet
			b.t.Errorf("interface %s left behind in the lab (all: %v)", n, names)
		}
	}
}

// get asks http://addr/ for its page from the lab, the containers' host,
// and returns the body; addr is an address, with :PORT if not 80. The connection is made on the lab's thread, and
// by hand: an http.Client dials on goroutines of its own, on threads in
// the machine's own network namespace.
func (b *box) get(addr string) (string, error) {
	var c net.Conn
	if err := network.Do(b.lab, func() (err error) {
		hostport := addr
		if !strings.Contains(addr, ":") {
			hostport += ":80"
		}
		c, err = net.DialTimeout("tcp4", hostport, 2*time.Second)
		return err
	}); err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	req, err := http.NewRequest("GET", "http://"+addr+"/", nil)
	if err != nil {
		return "", err
	}
	if err := req.Write(c); err != nil {
		return "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("http://%s/: %s", addr, resp.Status)
	}
	return string(data), err
}

func (b *box) state(name string) *runtime.State {
	b.t.Helper()
	for _, s := range b.containers() {
		if s.Name == name {
			return s
		}
	}
	b.t.Fatalf("no container %s", name)
	return nil
}

// web runs a detached busybox httpd on the bridge that serves page, and
// waits until the lab gets it; it returns the container's address.
func (b *box) web(name, page string, flags ...string) string {
	b.t.Helper()
	args := append(append([]string{"run", "-d", "--name", name, "--network", "bridge"}, flags...), "busybox", "sh", "-c",
		fmt.Sprintf("mkdir /www && echo %s > /www/index.html && exec httpd -f -p 80 -h /www", page))
	b.ok(args...)
	ep := b.state(name).Endpoint
	if ep == nil {
		b.t.Fatalf("container %s on the bridge has no endpoint in its record", name)
	}
	addr, _, _ := strings.Cut(ep.Address, "/")
	var got string
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got, err = b.get(addr); err == nil {
			break
		}
	}
	if err != nil || got != page+"\n" {
		b.t.Fatalf("from the lab, %s's page: %q, %v; want %q", name, got, err, page)
	}
	return addr
}

func TestContainersOnTheBridge(t *testing.T) {
	b := newBox(t)
	b.inLab()
	addr := b.web("web", "hello-from-web")
	ep := b.state("web").Endpoint
	if ep.Address != "10.88.0.2/16" || ep.Gateway != "10.88.0.1" || !strings.HasPrefix(ep.Interface, "veth") {
		t.Errorf("web's endpoint = %+v, want 10.88.0.2/16 through 10.88.0.1, on a veth", ep)
	}
	// Another container on the bridge reaches it; one with lo alone
	// cannot.
	if out := b.ok("run", "--rm", "--network", "bridge", "busybox", "wget", "-qO-", "http://"+addr+"/"); out != "hello-from-web\n" {
		t.Errorf("a second container got %q from web, want its page", out)
	}
	// By name: the new container's /etc/hosts has web in it.
	if out := b.ok("run", "--rm", "--name", "client", "--hostname", "cl", "--network", "bridge", "busybox", "sh", "-c", "cat /etc/hosts; wget -qO- http://web/"); !strings.Contains(out, "10.88.0.3\tcl client\n10.88.0.2\tweb\nhello-from-web\n") {
		t.Errorf("a container asking for web by name:\n%s\nwant its /etc/hosts with itself and web, then web's page", out)
	}
	r := b.mb("run", "--rm", "busybox", "nc", "-w", "2", addr, "80")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "Network is unreachable") {
		t.Errorf("a container with --network none reached web: %v; want Network is unreachable", r)
	}
	second := b.web("web2", "hello-from-web2")
	if second != "10.88.0.3" {
		t.Errorf("the second server's address is %s, want the next free one, 10.88.0.3", second)
	}
	b.ok("rm", "-f", "web")
	// The address goes back: the next container takes it.
	if got := b.web("web3", "hello-from-web3"); got != addr {
		t.Errorf("after rm of web, the next container got %s, want web's %s back", got, addr)
	}
}

// TestBridgeLeaseAfterAKilledSupervisor: a supervisor killed with its
// container leaves a lease; the next command's reconcile gives it back.
func TestBridgeLeaseAfterAKilledSupervisor(t *testing.T) {
	b := newBox(t)
	b.inLab()
	b.web("web", "hello")
	s := b.state("web")
	if err := syscall.Kill(s.Supervisor, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the killed container to be recorded as exited", func() bool {
		return b.state("web").Status == runtime.Exited
	})
	data, err := os.ReadFile(b.paths.Root + "/network/minibox0.json")
	if err != nil || strings.Contains(string(data), s.ID) {
		t.Errorf("the lease file after reconcile: %s, %v; want web's lease gone", data, err)
	}
}

func TestPublishedPorts(t *testing.T) {
	b := newBox(t)
	b.inLab()
	b.web("web", "hello-through-8080", "-p", "8080:80")
	if got, err := b.get("127.0.0.1:8080"); err != nil || got != "hello-through-8080\n" {
		t.Errorf("the lab's 127.0.0.1:8080: %q, %v; want web's page", got, err)
	}
	if got := b.ok("port", "web"); got != "80/tcp -> 0.0.0.0:8080\n" {
		t.Errorf("minibox port web = %q, want 80/tcp -> 0.0.0.0:8080", got)
	}
	if ps := b.ok("ps"); !strings.Contains(ps, "0.0.0.0:8080->80/tcp") {
		t.Errorf("ps does not show the published port:\n%s", ps)
	}

	// A port taken: a clear error, and nothing left of the second.
	before := len(b.containers())
	r := b.mb("run", "-d", "--name", "second", "--network", "bridge", "-p", "8080:80", "busybox", "sleep", "100")
	if r.code != 125 || !strings.Contains(r.stderr, "address already in use") || !strings.Contains(r.stderr, "choose another with -p") {
		t.Errorf("a second -p 8080: %v; want exit 125, address already in use, and what to do", r)
	}
	if after := len(b.containers()); after != before {
		t.Errorf("%d containers after the failed run, want %d", after, before)
	}

	// No host port: the kernel chooses one, and port says which.
	b.web("any", "hello-anywhere", "-p", "127.0.0.1::80")
	line := b.ok("port", "any")
	var port int
	if _, err := fmt.Sscanf(line, "80/tcp -> 127.0.0.1:%d", &port); err != nil || port == 0 {
		t.Fatalf("minibox port any = %q, want 80/tcp -> 127.0.0.1:PORT", line)
	}
	if got, err := b.get(fmt.Sprintf("127.0.0.1:%d", port)); err != nil || got != "hello-anywhere\n" {
		t.Errorf("127.0.0.1:%d: %q, %v; want any's page", port, got, err)
	}
	b.ok("rm", "-f", "web")
	if _, err := b.get("127.0.0.1:8080"); err == nil {
		t.Error("after rm, 127.0.0.1:8080 still answers, want the port let go")
	}
}

// internet joins the lab to a namespace that plays the internet.
func (b *box) internet() {
	b.t.Helper()
	inet, err := network.NewInternet(b.lab)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { inet.Close() })
}

// TestNATToTheInternet: a container on the bridge reaches a server beyond
// the host, which sees the host's address, not the container's.
func TestNATToTheInternet(t *testing.T) {
	b := newBox(t)
	b.inLab()
	b.internet()
	out := b.ok("run", "--rm", "--network", "bridge", "busybox", "wget", "-qO-", "http://198.51.100.1/")
	if out != "you came from 198.51.100.2\n" {
		t.Errorf("the internet saw %q, want the host's address 198.51.100.2: the container's source rewritten (masquerade)", out)
	}
	r := b.mb("run", "--rm", "busybox", "nc", "-w", "2", "198.51.100.1", "80")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "Network is unreachable") {
		t.Errorf("a container with --network none reached the internet: %v", r)
	}
}
