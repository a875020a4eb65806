package security

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	"golang.org/x/sys/unix"
)

// A device file is only a name for a (type, major, minor) triple: whoever
// may create one (CAP_MKNOD, which Docker's set keeps) can name the host's
// disks, and open them, whatever /dev holds. The device cgroup decides
// which triples the group's processes may open (r, w) or create (m):
//
//   - cgroup v1 has a controller for it: the group's devices.deny and
//     devices.allow take lines such as "c 1:3 rwm";
//   - cgroup v2 has none: a small eBPF program, attached to the group,
//     answers each open and mknod (devices_bpf.go).
//
// A container may create any device file, and open only those its /dev
// holds: runc's default list.

// DefaultDevices are the devices a container may use, as runc allows them.
var DefaultDevices = []string{
	"c *:* m", "b *:* m", // create any device file, open none of them
	"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", // null zero full random urandom
	"c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", // tty console ptmx
	"c 136:* rwm",  // the pseudo-terminals in /dev/pts
	"c 10:200 rwm", // /dev/net/tun
}

// DeviceRule allows one kind of access to some devices.
type DeviceRule struct {
	Type         byte   // 'c' character, 'b' block, 'a' both
	Major, Minor int64  // -1 for any
	Access       string // of "rwm": read, write, mknod
}

// ParseDeviceRule reads a rule as devices.allow takes it: "c 1:3 rwm",
// "b *:* m", "a".
//
//workshop:exercise sec.devrule
func ParseDeviceRule(s string) (DeviceRule, error) {
	bad := fmt.Errorf("device rule %q: want TYPE MAJOR:MINOR ACCESS, like \"c 1:3 rwm\" (TYPE c, b or a; * for any number; ACCESS of r, w, m)", s)
	f := strings.Fields(s)
	if len(f) == 1 && f[0] == "a" {
		return DeviceRule{Type: 'a', Major: -1, Minor: -1, Access: "rwm"}, nil
	}
	if len(f) != 3 || len(f[0]) != 1 || !strings.Contains("abc", f[0]) {
		return DeviceRule{}, bad
	}
	r := DeviceRule{Type: f[0][0], Access: f[2]}
	major, minor, ok := strings.Cut(f[1], ":")
	var err1, err2 error
	r.Major, err1 = deviceNumber(major)
	r.Minor, err2 = deviceNumber(minor)
	if !ok || err1 != nil || err2 != nil || r.Access == "" || strings.Trim(r.Access, "rwm") != "" {
		return DeviceRule{}, bad
	}
	return r, nil
}

func deviceNumber(s string) (int64, error) {
	if s == "*" {
		return -1, nil
	}
	return strconv.ParseInt(s, 10, 32)
}

// String is the rule as devices.allow takes it.
func (r DeviceRule) String() string {
	num := func(n int64) string {
		if n < 0 {
			return "*"
		}
		return strconv.FormatInt(n, 10)
	}
	return fmt.Sprintf("%c %s:%s %s", r.Type, num(r.Major), num(r.Minor), r.Access)
}

// parseDeviceRules parses every rule.
func parseDeviceRules(rules []string) ([]DeviceRule, error) {
	var out []DeviceRule
	for _, s := range rules {
		r, err := ParseDeviceRule(s)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// limitDevices lets the group's processes use the devices rules allow,
// and no other: with v1's devices controller where the group is in its
// hierarchy, else with a BPF program (cgroup v2).
func limitDevices(cg cgroups.Cgroup, rules []DeviceRule) error {
	for _, dir := range cg.Dirs() {
		if _, err := os.Stat(filepath.Join(dir, "devices.allow")); err == nil {
			return limitDevicesV1(dir, rules)
		}
	}
	dirs := cg.Dirs()
	if _, err := os.Stat(filepath.Join(dirs[0], "cgroup.controllers")); len(dirs) == 1 && err == nil {
		return attachDeviceProgram(dirs[0], rules)
	}
	return errors.New("limit the devices: the group is in no devices hierarchy (cgroup v1) and is no cgroup v2 group")
}

// limitDevicesV1 denies everything, then allows each rule.
func limitDevicesV1(dir string, rules []DeviceRule) error {
	if err := writeDevices(dir, "devices.deny", "a"); err != nil {
		return err
	}
	for _, r := range rules {
		if err := writeDevices(dir, "devices.allow", r.String()); err != nil {
			return err
		}
	}
	return nil
}

func writeDevices(dir, file, line string) error {
	path := filepath.Join(dir, file)
	err := os.WriteFile(path, []byte(line), 0)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("limit the devices: %s is gone", path)
	}
	if err != nil {
		return fmt.Errorf("echo %q > %s: %w", line, path, err)
	}
	return nil
}

// DeviceNode is a device file --device adds to the container's /dev.
type DeviceNode struct {
	Path         string // in the container
	Type         byte   // 'c' or 'b'
	Major, Minor int64
}

// devices resolves --device HOST[:CONTAINER[:PERMISSIONS]] flags, as
// Docker writes them, into the nodes to make and the rules that allow
// them. The host's device says the type and numbers.
func devices(flags []string) ([]DeviceNode, []string, error) {
	var nodes []DeviceNode
	var rules []string
	for _, flag := range flags {
		parts := strings.Split(flag, ":")
		host, inside, perms := parts[0], parts[0], "rwm"
		if len(parts) > 1 && parts[1] != "" {
			inside = parts[1]
		}
		if len(parts) > 2 {
			perms = parts[2]
		}
		if len(parts) > 3 || perms == "" || strings.Trim(perms, "rwm") != "" || !filepath.IsAbs(host) || !filepath.IsAbs(inside) {
			return nil, nil, fmt.Errorf("--device %s: want HOST[:CONTAINER[:PERMISSIONS]], absolute paths and permissions of r, w, m, like /dev/fuse or /dev/fuse:/dev/fuse:rw", flag)
		}
		var st unix.Stat_t
		if err := unix.Stat(host, &st); err != nil {
			return nil, nil, fmt.Errorf("--device %s: %s: %w", flag, host, err)
		}
		n := DeviceNode{Path: filepath.Clean(inside), Major: int64(unix.Major(uint64(st.Rdev))), Minor: int64(unix.Minor(uint64(st.Rdev)))}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFCHR:
			n.Type = 'c'
		case unix.S_IFBLK:
			n.Type = 'b'
		default:
			return nil, nil, fmt.Errorf("--device %s: %s is not a device file", flag, host)
		}
		if !strings.HasPrefix(filepath.Clean(inside), "/dev/") {
			return nil, nil, fmt.Errorf("--device %s: %s: minibox makes device files in /dev only", flag, inside)
		}
		nodes = append(nodes, n)
		rules = append(rules, DeviceRule{Type: n.Type, Major: n.Major, Minor: n.Minor, Access: perms}.String())
	}
	return nodes, rules, nil
}

// makeNode makes n in the container's /dev, after pivot_root: its /dev is
// a tmpfs of its own (chapter 2).
func makeNode(n DeviceNode) error {
	if !strings.HasPrefix(n.Path, "/dev/") {
		return fmt.Errorf("device %s: minibox makes device files in /dev only", n.Path)
	}
	if err := os.MkdirAll(filepath.Dir(n.Path), 0o755); err != nil {
		return err
	}
	mode := uint32(unix.S_IFCHR)
	if n.Type == 'b' {
		mode = unix.S_IFBLK
	}
	if err := unix.Mknod(n.Path, mode|0o600, int(unix.Mkdev(uint32(n.Major), uint32(n.Minor)))); err != nil {
		return fmt.Errorf("mknod %s: %w", n.Path, err)
	}
	return nil
}
