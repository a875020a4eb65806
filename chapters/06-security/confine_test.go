package security_test

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	security "github.com/minibox-dev/minibox/chapters/06-security"
	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

// rootfsWithProbe is a busybox userland with this test binary in it as
// /bin/minibox-probe: the attacks' probe (probe.go).
func rootfsWithProbe(t *testing.T) string {
	t.Helper()
	root := testutil.BusyboxRootfs(t)
	// The container has no shared libraries: the probe must need none.
	if bin, err := elf.Open("/proc/self/exe"); err != nil {
		t.Fatal(err)
	} else {
		for _, p := range bin.Progs {
			if p.Type == elf.PT_INTERP {
				t.Fatal("this test binary is linked dynamically, and cannot run in a busybox container: does the package import one that needs cgo (os/user, net)?")
			}
		}
		bin.Close()
	}
	self, err := os.Open("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	probe, err := os.OpenFile(filepath.Join(root, "bin", security.ProbeEntry), os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(probe, self); err != nil {
		t.Fatal(err)
	}
	if err := probe.Close(); err != nil {
		t.Fatal(err)
	}
	return root
}

// inContainer runs sh -c script in a container on root, confined by p
// (nil: not at all), and returns its output. The script must succeed.
func inContainer(t *testing.T, root string, p *security.Profile, script string) string {
	t.Helper()
	cfg := namespaces.Config{Rootfs: root, Args: []string{"sh", "-c", script}}
	if p != nil {
		conf, err := p.Confinement()
		if err != nil {
			t.Fatal(err)
		}
		cfg.Confine = conf
	}
	var out bytes.Buffer
	cfg.Stdout, cfg.Stderr = &out, &out
	code, err := namespaces.Run(cfg)
	if err != nil || code != 0 {
		t.Fatalf("sh -c %q: exit %d, %v:\n%s", script, code, err, out.String())
	}
	return out.String()
}

// statusLine returns the value of the /proc/self/status line key in out.
func statusLine(out, key string) string {
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "(no " + key + " line)"
}

func TestDefaultProfileConfines(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfsWithProbe(t)
	def := security.Default()
	out := inContainer(t, root, &def, "minibox-probe status")
	for key, want := range map[string]string{
		"CapEff": "00000000a80425fb", "CapPrm": "00000000a80425fb", "CapBnd": "00000000a80425fb",
		"CapInh": "0000000000000000", "CapAmb": "0000000000000000",
		"NoNewPrivs": "1", "Seccomp": "2",
	} {
		if got := statusLine(out, key); got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
	}
}

// TestAttacksBeforeAndAfter runs each attack in an unconfined container,
// where it must get through (or the test proves nothing), then in a
// default one, where it must be refused. A kernel built without a call
// (kexec, modules) cannot show its attack; the filter refuses it anyway.
func TestAttacksBeforeAndAfter(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfsWithProbe(t)
	attacks := []struct{ probe, before string }{
		{"open-write /proc/sys/kernel/core_pattern", "allowed"},
		{"mount", "allowed (EINVAL after the permission check)"},
		{"new-userns", "allowed"},
		{"kexec_load", "allowed (EINVAL after the permission check)"},
		{"init_module", "allowed (ENOEXEC after the permission check)"},
		{"keyctl", "allowed"},
		{"clock_adjtime", "allowed (EINVAL after the permission check)"},
	}
	var script strings.Builder
	for _, a := range attacks {
		script.WriteString("minibox-probe " + a.probe + "\n")
	}
	def := security.Default()
	before := strings.Split(strings.TrimSpace(inContainer(t, root, nil, script.String())), "\n")
	after := strings.Split(strings.TrimSpace(inContainer(t, root, &def, script.String())), "\n")
	if len(before) != len(attacks) || len(after) != len(attacks) {
		t.Fatalf("want %d lines before and after, got:\n%s\n--\n%s", len(attacks), strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
	shown := 0
	for i, a := range attacks {
		name, _, _ := strings.Cut(a.probe, " ")
		switch want := name + ": " + a.before; {
		case before[i] == want:
			shown++
		case strings.HasPrefix(before[i], name+": absent (ENOSYS)"):
			t.Logf("%s: this kernel has no such call; the attack cannot be shown here", name)
		default:
			t.Errorf("unconfined: %q, want %q (the attack must work without the defences)", before[i], want)
		}
		if !strings.HasPrefix(after[i], name+": refused (") {
			t.Errorf("default profile: %q, want it refused", after[i])
		}
	}
	if shown < 5 {
		t.Errorf("only %d of %d attacks worked unconfined: the test shows too little", shown, len(attacks))
	}
}

// TestMaskedAndReadonlyPaths checks each masked path this kernel has: it
// has content in an unconfined container and none in a default one.
func TestMaskedAndReadonlyPaths(t *testing.T) {
	testutil.RequireRoot(t)
	root := testutil.BusyboxRootfs(t)
	// Bytes of a file, entries of a directory.
	size := func(path string) string {
		return fmt.Sprintf("if [ -d %[1]s ]; then ls -A %[1]s | wc -l; else head -c 100 %[1]s | wc -c; fi", path)
	}
	var script strings.Builder
	var present []string
	for _, path := range security.DefaultMaskedPaths {
		if _, err := os.Stat(path); err == nil {
			present = append(present, path)
			script.WriteString(size(path) + "\n")
		}
	}
	if len(present) < 3 {
		t.Fatalf("only %v of the masked paths are on this kernel", present)
	}
	def := security.Default()
	before := strings.Fields(inContainer(t, root, nil, script.String()))
	after := strings.Fields(inContainer(t, root, &def, script.String()))
	nonEmpty := 0
	for i, path := range present {
		if before[i] != "0" {
			nonEmpty++
		}
		if after[i] != "0" {
			t.Errorf("%s: %s bytes or entries in a default container, want 0", path, after[i])
		}
	}
	if nonEmpty == 0 {
		t.Errorf("no masked path has content unconfined (%v): the test shows nothing", present)
	}
	out := inContainer(t, root, &def, `
		grep -c . /proc/sys/kernel/ostype
		grep ' /proc/sys ' /proc/self/mountinfo | grep -c ' ro,'
		(exec 3>>/proc/sys/kernel/core_pattern) || echo refused`)
	if !strings.HasPrefix(out, "1\n1\n") || !strings.Contains(out, "Read-only file system") || !strings.HasSuffix(out, "refused\n") {
		t.Errorf("want /proc/sys readable, mounted read-only, and core_pattern not writable; got:\n%s", out)
	}
}

func TestPrivilegedGivesEverything(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfsWithProbe(t)
	p := security.Privileged()
	out := inContainer(t, root, &p, "minibox-probe status; minibox-probe new-userns")
	// Every capability this test has (root here may lack some, such as
	// SYS_RESOURCE on these machines).
	self, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statusLine(out, "CapBnd"), statusLine(string(self), "CapPrm"); got != want {
		t.Errorf("CapBnd %s under --privileged, want every capability minibox has, %s", got, want)
	}
	if statusLine(out, "Seccomp") != "0" || !strings.Contains(out, "new-userns: allowed") {
		t.Errorf("--privileged has a filter:\n%s", out)
	}
}

func TestAddedAndDroppedCapabilities(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfsWithProbe(t)
	p, err := security.FromOptions(security.Options{CapDrop: []string{"ALL"}, CapAdd: []string{"SYS_ADMIN"}, SecurityOpts: []string{"seccomp=unconfined"}})
	if err != nil {
		t.Fatal(err)
	}
	out := inContainer(t, root, &p, "minibox-probe status; minibox-probe mount; minibox-probe open-write /proc/sys/kernel/core_pattern")
	if got := statusLine(out, "CapEff"); got != "0000000000200000" {
		t.Errorf("CapEff %s, want SYS_ADMIN alone (bit 21)", got)
	}
	// SYS_ADMIN kept and no filter: mount gets past its check. The paths
	// stay masked and read-only.
	for _, want := range []string{"mount: allowed (EINVAL after the permission check)", "open-write: refused (EROFS)"} {
		if !strings.Contains(out, want) {
			t.Errorf("with SYS_ADMIN alone and no filter, want %q in:\n%s", want, out)
		}
	}
}

// TestNoTypingIntoTheTerminal: a container handed a terminal it does not
// own (as `minibox run` without -t hands it the caller's) cannot push
// input into it with TIOCSTI. The terminal is one the test makes, so that
// what a successful attack types lands nowhere else.
func TestNoTypingIntoTheTerminal(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfsWithProbe(t)
	for _, tc := range []struct {
		name string
		p    security.Profile
		want string
	}{
		{"privileged", security.Privileged(), "tiocsti: allowed"},
		{"default", security.Default(), "tiocsti: refused (EPERM)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, slave := openPty(t)
			defer master.Close()
			defer slave.Close()
			conf, err := tc.p.Confinement()
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code, err := namespaces.Run(namespaces.Config{Rootfs: root, Args: []string{"minibox-probe", "tiocsti"},
				Confine: conf, Stdin: slave, Stdout: &out, Stderr: &out})
			if err != nil || code != 0 {
				t.Fatalf("exit %d, %v: %s", code, err, out.String())
			}
			if got := strings.TrimSpace(out.String()); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}

// openPty opens a new pseudo-terminal pair, neither end this process's
// controlling terminal.
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestDeviceRules: in a container that may create device files (MKNOD)
// and read the kernel's log (SYSLOG), the device cgroup alone refuses to
// open a device outside the allowed list, on cgroup v1 (devices.allow)
// or v2 (the BPF program), and lets /dev/null work.
func TestDeviceRules(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfsWithProbe(t)
	p, err := security.FromOptions(security.Options{CapAdd: []string{"SYSLOG"}})
	if err != nil {
		t.Fatal(err)
	}
	conf, err := p.Confinement()
	if err != nil {
		t.Fatal(err)
	}
	script := "rm -f /tmp/kmsg; mknod /tmp/kmsg c 1 11 && minibox-probe open-read /tmp/kmsg; echo x > /dev/null && echo null works"
	for _, tc := range []struct {
		name  string
		rules bool
		want  string
	}{
		{"without rules", false, "open-read: allowed\nnull works\n"},
		{"with the default rules", true, "open-read: refused (EPERM)\nnull works\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cg, err := cgroups.New("devices-test")
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := cg.Remove(); err != nil {
					t.Error(err)
				}
			}()
			if tc.rules {
				c, err := conf.Confiner()
				if err != nil {
					t.Fatal(err)
				}
				// As chapter 5's supervisor calls it (runtime.CgroupConfiner).
				cc := c.(interface {
					ConfineCgroup(json.RawMessage, cgroups.Cgroup) error
				})
				if err := cc.ConfineCgroup(conf.Settings, cg); err != nil {
					t.Fatal(err)
				}
			}
			var out bytes.Buffer
			code, err := namespaces.Run(namespaces.Config{Rootfs: root, Args: []string{"sh", "-c", script},
				Confine: conf, Started: cg.Add, Stdout: &out, Stderr: &out})
			if err != nil || code != 0 {
				t.Fatalf("exit %d, %v: %s", code, err, out.String())
			}
			if out.String() != tc.want {
				t.Errorf("%q, want %q", out.String(), tc.want)
			}
		})
	}
}

func TestParseDeviceRule(t *testing.T) {
	for _, s := range security.DefaultDevices {
		r, err := security.ParseDeviceRule(s)
		if err != nil || r.String() != s {
			t.Errorf("ParseDeviceRule(%q) = %v, %v; want it back", s, r, err)
		}
	}
	for _, s := range []string{"", "x 1:3 rwm", "c 1 rwm", "c 1:3", "c 1:3 rwx", "c a:3 r", "cc 1:3 r"} {
		if _, err := security.ParseDeviceRule(s); err == nil || !strings.Contains(err.Error(), "want TYPE MAJOR:MINOR ACCESS") {
			t.Errorf("ParseDeviceRule(%q): %v, want an error that shows the form", s, err)
		}
	}
}
