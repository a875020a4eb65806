package chroot_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func jailed(t *testing.T, root string, argv ...string) (string, error) {
	t.Helper()
	cmd, err := chroot.JailCommand(root, argv...)
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestJailSeesOnlyTheUserland(t *testing.T) {
	testutil.RequireRoot(t)
	root := testutil.BusyboxRootfs(t)

	out, err := jailed(t, root, "ls", "-a", "/")
	if err != nil {
		t.Fatalf("ls / in the jail: %v: %s", err, out)
	}
	entries, _ := os.ReadDir(root)
	want := []string{".", ".."}
	for _, e := range entries {
		want = append(want, e.Name())
	}
	got := strings.Fields(out)
	sort.Strings(want)
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ls -a / in the jail (-want +got):\n%s", diff)
	}

	out, err = jailed(t, root, "cat", "/etc/hostname")
	if err != nil || out != "minibox\n" {
		t.Errorf("cat /etc/hostname in the jail = %q, %v; want the jail's own file", out, err)
	}

	// A file just outside the jail, by its host path: not there inside.
	secret := filepath.Join(filepath.Dir(root), "secret")
	if err := os.WriteFile(secret, []byte("host only\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = jailed(t, root, "cat", secret)
	if err == nil || !strings.Contains(out, "No such file") {
		t.Errorf("cat %s in the jail = %q, %v; want No such file", secret, out, err)
	}

	out, err = jailed(t, root, "pwd")
	if err != nil || out != "/\n" {
		t.Errorf("pwd in the jail = %q, %v; want / (chdir after chroot)", out, err)
	}
}

func TestJailCommandBadInput(t *testing.T) {
	root := testutil.BusyboxRootfs(t)
	tests := []struct {
		name string
		root string
		argv []string
		want string
	}{
		{"no command", root, nil, "no command given"},
		{"missing root", filepath.Join(root, "nope"), []string{"sh"}, "no such file"},
		{"root is a file", filepath.Join(root, "etc/passwd"), []string{"sh"}, "not a directory"},
		{"command not in the jail", root, []string{"bash"}, "bash: command not found in the jail"},
		{"path not in the jail", root, []string{"/usr/bin/python3"}, "not found inside the jail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chroot.JailCommand(tt.root, tt.argv...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("JailCommand = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// enterJail changes the whole process, so the test runs it in a process of
// its own: the test binary, re-executed (reexec.go).
const enterJailEntry = "minibox-test-enter-jail"

func init() { chroot.Register(enterJailEntry, enterJailMain) }

type jailOrders struct{ Root, HostFile string }

// jailView is what the jailed process saw.
type jailView struct {
	AtRoot   bool   // its working directory is the jail's "/"
	Hostname string // /etc/hostname, or the error reading it
	HostFile string // the error reading a host file outside the jail
}

func enterJailMain() {
	var o jailOrders
	if err := chroot.Orders(&o); err != nil {
		chroot.Fail(err, 1)
	}
	if err := chroot.EnterJail(o.Root); err != nil {
		chroot.Fail(err, 1)
	}
	dot, err := chroot.StatID(".")
	if err != nil {
		chroot.Fail(err, 1)
	}
	root, err := chroot.StatID("/")
	if err != nil {
		chroot.Fail(err, 1)
	}
	v := jailView{AtRoot: dot == root}
	hostname, err := os.ReadFile("/etc/hostname")
	v.Hostname = string(hostname)
	if err != nil {
		v.Hostname = err.Error()
	}
	_, err = os.ReadFile(o.HostFile)
	v.HostFile = fmt.Sprint(err)
	if err := chroot.Reply(v); err != nil {
		fmt.Fprintln(os.Stderr, "jailed process: reply to the parent:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func TestEnterJail(t *testing.T) {
	testutil.RequireRoot(t)
	root := testutil.BusyboxRootfs(t)
	secret := filepath.Join(filepath.Dir(root), "secret")
	if err := os.WriteFile(secret, []byte("host only\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := chroot.Self(enterJailEntry)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	child, err := chroot.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	var v jailView
	replied, err := false, child.Send(jailOrders{Root: root, HostFile: secret})
	if err == nil {
		replied, err = child.Reply(&v)
	}
	waitErr := cmd.Wait()
	switch {
	case err != nil:
		t.Fatalf("the jailed process: %v", err)
	case !replied:
		t.Fatalf("the jailed process: %v: %s", waitErr, bytes.TrimSpace(stderr.Bytes()))
	}
	if v.Hostname != "minibox\n" {
		t.Errorf("/etc/hostname in the jail = %q; want the userland's \"minibox\"", v.Hostname)
	}
	if !strings.Contains(v.HostFile, "no such file") {
		t.Errorf("reading %s in the jail gave %q; want no such file", secret, v.HostFile)
	}
	if !v.AtRoot {
		t.Errorf("in the jail the working directory is not the jail's /: it was left outside the new root")
	}
}
