package chroot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

func TestParseAppletList(t *testing.T) {
	got, err := chroot.ParseAppletList([]byte("bin/ls\n\nusr/bin/awk\nsbin/./init\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bin/ls", "usr/bin/awk", "sbin/init"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseAppletList (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"/bin/ls\n", "../etc/passwd\n", "bin/../../x\n", "\n\n"} {
		if _, err := chroot.ParseAppletList([]byte(bad)); err == nil {
			t.Errorf("ParseAppletList(%q): want an error", bad)
		}
	}
}

func busybox(t *testing.T) string {
	t.Helper()
	bb, err := chroot.FindBusybox()
	if err != nil {
		t.Fatal(err)
	}
	return bb
}

func TestCheckStatic(t *testing.T) {
	if err := chroot.CheckStatic(busybox(t)); err != nil {
		t.Errorf("host busybox: %v", err)
	}
	// /bin/sh on Debian and Ubuntu is dash, dynamically linked.
	err := chroot.CheckStatic("/bin/sh")
	if err == nil || !strings.Contains(err.Error(), "dynamically linked") || !strings.Contains(err.Error(), "busybox-static") {
		t.Errorf("CheckStatic(/bin/sh) = %v, want an error naming the problem and the fix", err)
	}
	notELF := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(notELF, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := chroot.CheckStatic(notELF); err == nil || !strings.Contains(err.Error(), "not an ELF") {
		t.Errorf("CheckStatic(script) = %v, want 'not an ELF'", err)
	}
}

func TestFindBusyboxFromEnv(t *testing.T) {
	t.Setenv("MINIBOX_BUSYBOX", "/nonexistent/busybox")
	if _, err := chroot.FindBusybox(); err == nil || !strings.Contains(err.Error(), "MINIBOX_BUSYBOX") {
		t.Errorf("FindBusybox with a bad MINIBOX_BUSYBOX = %v, want an error naming the variable", err)
	}
}

func TestBuildUserland(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rootfs")
	u, err := chroot.BuildUserland(dir, busybox(t))
	if err != nil {
		t.Fatal(err)
	}
	if u.Applets < 100 {
		t.Errorf("only %d applet links; busybox-static offers hundreds", u.Applets)
	}
	// /linuxrc is busybox's init for old initrds, not a tool: no link.
	if _, err := os.Lstat(filepath.Join(dir, "linuxrc")); !os.IsNotExist(err) {
		t.Errorf("/linuxrc: %v, want no link (it is not a tool)", err)
	}
	if target, err := os.Readlink(filepath.Join(dir, "bin/sh")); err != nil || target != "/bin/busybox" {
		t.Errorf("bin/sh -> %q (%v), want a link to /bin/busybox", target, err)
	}
	if err := chroot.CheckStatic(filepath.Join(dir, "bin/busybox")); err != nil {
		t.Error(err)
	}
	passwd, err := os.ReadFile(filepath.Join(dir, "etc/passwd"))
	if err != nil || !strings.HasPrefix(string(passwd), "root:x:0:0:") {
		t.Errorf("etc/passwd = %q (%v), want root first", passwd, err)
	}
	for _, d := range []string{"proc", "sys", "dev", "tmp"} {
		entries, err := os.ReadDir(filepath.Join(dir, d))
		if err != nil || len(entries) != 0 {
			t.Errorf("/%s: %d entries (%v), want an empty directory", d, len(entries), err)
		}
	}
	// /tmp is for everyone, and sticky: no one may remove another's files.
	if fi, err := os.Stat(filepath.Join(dir, "tmp")); err != nil || fi.Mode()&(os.ModePerm|os.ModeSticky) != 0o777|os.ModeSticky {
		t.Errorf("/tmp: %v (%v), want drwxrwxrwt", fi.Mode(), err)
	}

	if _, err := chroot.BuildUserland(dir, busybox(t)); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("BuildUserland into a full directory = %v, want 'not empty'", err)
	}
}

func TestBuildUserlandLeavesNothingOnError(t *testing.T) {
	// A static busybox renamed: it is copied in, then fails to list applets
	// ("notbusybox: applet not found"), halfway through the build.
	tmp := t.TempDir()
	renamed := filepath.Join(tmp, "notbusybox")
	data, err := os.ReadFile(busybox(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(renamed, data, 0o755); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(tmp, "fresh")
	given := filepath.Join(tmp, "given")
	if err := os.Mkdir(given, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{fresh, given} {
		if _, err := chroot.BuildUserland(dir, renamed); err == nil {
			t.Fatalf("BuildUserland(%s) with a broken busybox: want an error", dir)
		}
	}
	if _, err := os.Lstat(fresh); !os.IsNotExist(err) {
		t.Errorf("after a failed build %s exists (%v); want it gone", fresh, err)
	}
	if entries, err := os.ReadDir(given); err != nil || len(entries) != 0 {
		t.Errorf("after a failed build the given directory holds %d entries (%v); want it kept, empty", len(entries), err)
	}
}
