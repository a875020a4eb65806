package namespaces_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestParseNamespaceLink(t *testing.T) {
	tests := []struct {
		link  string
		typ   string
		inode uint64
	}{
		{"uts:[4026531838]", "uts", 4026531838},
		{"pid_for_children:[4026532451]", "pid_for_children", 4026532451},
		{"cgroup:[1]", "cgroup", 1},
	}
	for _, tt := range tests {
		typ, inode, err := namespaces.ParseNamespaceLink(tt.link)
		if err != nil || typ != tt.typ || inode != tt.inode {
			t.Errorf("ParseNamespaceLink(%q) = %q, %d, %v; want %q, %d", tt.link, typ, inode, err, tt.typ, tt.inode)
		}
	}
	for _, bad := range []string{"", "uts", "uts:4026531838", "uts:[4026531838", ":[4026531838]", "uts:[]", "uts:[-1]", "uts:[12a]", "/proc/self/ns/uts"} {
		if _, _, err := namespaces.ParseNamespaceLink(bad); err == nil {
			t.Errorf("ParseNamespaceLink(%q): want an error", bad)
		}
	}
}

func TestReadNamespaces(t *testing.T) {
	// This process's own namespaces: no root needed.
	self, err := namespaces.ReadNamespaces(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range namespaces.NamespaceTypes {
		// stat follows the link to the namespace itself: its inode is the
		// number in the link's target.
		fi, err := os.Stat("/proc/self/ns/" + typ)
		if errors.Is(err, fs.ErrNotExist) && typ == "time" {
			continue // a kernel older than 5.6
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := fi.Sys().(*syscall.Stat_t).Ino; self[typ] != want {
			t.Errorf("ReadNamespaces(0)[%q] = %d; want %d, the inode of /proc/self/ns/%s", typ, self[typ], want, typ)
		}
	}
	if diff := cmp.Diff(self, mustReadNamespaces(t, os.Getpid())); diff != "" {
		t.Errorf("ReadNamespaces(own PID) differs from ReadNamespaces(0) (-0 +PID):\n%s", diff)
	}
	// Above the kernel's highest PID (pid_max is at most 2^22).
	if ns, err := namespaces.ReadNamespaces(1 << 30); err == nil {
		t.Errorf("ReadNamespaces of a process that does not exist = %v; want an error", ns)
	}
}

func mustReadNamespaces(t *testing.T, pid int) map[string]uint64 {
	t.Helper()
	ns, err := namespaces.ReadNamespaces(pid)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestFormatNamespaces(t *testing.T) {
	rows := []namespaces.NamespaceRow{
		{Type: "mnt", Host: 4026531841, Container: 4026532450},
		{Type: "user", Host: 4026531837, Container: 4026531837},
	}
	want := "" +
		"TYPE  HOST        CONTAINER\n" +
		"mnt   4026531841  4026532450  isolated\n" +
		"user  4026531837  4026531837  shared\n"
	if diff := cmp.Diff(want, namespaces.FormatNamespaces(rows)); diff != "" {
		t.Errorf("FormatNamespaces (-want +got):\n%s", diff)
	}
	if !rows[0].Isolated() || rows[1].Isolated() {
		t.Errorf("Isolated: mnt %v, user %v; want true, false", rows[0].Isolated(), rows[1].Isolated())
	}
}

func TestCompareNamespaces(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	tests := []struct {
		userNS bool
		shared []string
	}{
		{false, []string{"user", "time"}},
		{true, []string{"time"}},
	}
	for _, tt := range tests {
		c := hold(t, namespaces.Config{Rootfs: root, UserNS: tt.userNS}, "true")
		rows, err := namespaces.CompareNamespaces(c.Pid())
		if err != nil {
			t.Fatal(err)
		}
		var shared, types []string
		for _, r := range rows {
			types = append(types, r.Type)
			if !r.Isolated() {
				shared = append(shared, r.Type)
			}
			if r.Host == 0 || r.Container == 0 {
				t.Errorf("row %+v: want both inode numbers", r)
			}
		}
		if diff := cmp.Diff(tt.shared, shared); diff != "" {
			t.Errorf("user namespace %v: shared with the host (-want +got):\n%s\n%s", tt.userNS, diff, namespaces.FormatNamespaces(rows))
		}
		if diff := cmp.Diff(namespaces.NamespaceTypes, types); diff != "" {
			t.Errorf("types (-want +got):\n%s", diff)
		}
		if out := c.release(t); strings.TrimSpace(out) != "" {
			t.Errorf("the container printed %q", out)
		}
	}
}
