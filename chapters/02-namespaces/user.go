package namespaces

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// The user namespace maps user and group IDs: uid 0 inside can be an
// unprivileged uid outside. The container's root then has every capability,
// but only over the namespaces its user namespace owns (its mounts, hostname,
// network), and on the host's files it is HostUID, a nobody: what it can
// break is the container. Files whose owner is not mapped (the host's root,
// who owns the rootfs) show as "nobody" (65534) inside, and the container's
// root may not write to them: `touch /x` fails with "permission denied".
const cloneUser = unix.CLONE_NEWUSER

// The fixed mapping: container IDs 0..IDMapSize-1 are host IDs
// HostUID..HostUID+IDMapSize-1, the range /etc/subuid usually gives a first
// user. Root inside is HostUID (100000) outside.
const (
	HostUID   = 100000
	HostGID   = 100000
	IDMapSize = 65536
)

// setIDMappings asks Go to write the child's /proc/<pid>/uid_map and gid_map
// (the parent must: the child's namespace maps nothing yet) and then to make
// the child uid 0 and gid 0, that is root of the namespace, before it execs.
// A process that made a user namespace keeps its old uid, which inside maps
// to nothing; setuid(0) is what makes it the namespace's root.
//
//workshop:exercise ns.idmap
func setIDMappings(attr *syscall.SysProcAttr) {
	attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: HostUID, Size: IDMapSize}}
	attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: HostGID, Size: IDMapSize}}
	// Allow setgroups, so the child can drop the host root's supplementary
	// groups. The kernel only forbids it to unprivileged parents.
	attr.GidMappingsEnableSetgroups = true
	attr.Credential = &syscall.Credential{Uid: 0, Gid: 0}
}

// checkReachable returns an error unless HostUID can reach path: the init
// runs as the container's root from its start, and on the host that is an
// ordinary user, who needs search (x) permission on every directory down to
// the rootfs. t.TempDir and /root, for example, are 0700.
func checkReachable(path string) error {
	var dirs []string // from / down to path
	for dir := path; ; dir = filepath.Dir(dir) {
		dirs = append([]string{dir}, dirs...)
		if dir == "/" {
			break
		}
	}
	for _, dir := range dirs {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("container: rootfs: %w", err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		search := os.FileMode(0o001) // others
		switch {
		case st.Uid == HostUID:
			search = 0o100
		case st.Gid == HostGID:
			search = 0o010
		}
		if fi.Mode().Perm()&search == 0 {
			return fmt.Errorf("container: rootfs %s: in a user namespace the container's root is uid %d on the host, and it cannot enter %s (mode %04o): run `chmod o+x %s` or choose a rootfs under a directory all users can enter", path, HostUID, dir, fi.Mode().Perm(), dir)
		}
	}
	return nil
}
