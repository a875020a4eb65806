package namespaces

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Every namespace is a kernel object with an inode number, and
// /proc/<pid>/ns/<type> is a link to it: readlink gives "uts:[4026531838]".
// Two processes are in the same namespace exactly when the numbers are
// equal. That is how `lsns` works, and how this viewer and the tests tell
// what a container shares with the host.

// NamespaceTypes are the kinds of namespace, as named in /proc/<pid>/ns.
// "time" exists since Linux 5.6; the container does not get its own.
var NamespaceTypes = []string{"mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time"}

// NamespaceRow compares one kind of namespace between the host and a
// container.
type NamespaceRow struct {
	Type      string
	Host      uint64 // inode number of the host's namespace
	Container uint64 // inode number of the container's
}

// Isolated reports whether the container has a namespace of its own.
func (r NamespaceRow) Isolated() bool { return r.Host != r.Container }

// ReadNamespaces returns the inode number of each of process pid's
// namespaces, by type. pid 0 means the calling process. Types the kernel
// does not have are left out.
//
//workshop:exercise ns.links
func ReadNamespaces(pid int) (map[string]uint64, error) {
	dir := "/proc/self/ns"
	if pid != 0 {
		dir = fmt.Sprintf("/proc/%d/ns", pid)
	}
	ns := map[string]uint64{}
	for _, want := range NamespaceTypes {
		link, err := os.Readlink(dir + "/" + want)
		if errors.Is(err, fs.ErrNotExist) && pid == 0 {
			continue // an older kernel without this kind of namespace
		}
		if err != nil {
			return nil, err
		}
		typ, inode, err := ParseNamespaceLink(link)
		if err != nil {
			return nil, err
		}
		if typ != want {
			return nil, fmt.Errorf("%s/%s links to a %s namespace", dir, want, typ)
		}
		ns[typ] = inode
	}
	return ns, nil
}

// CompareNamespaces lists the namespaces of the host (this process) and of
// the container whose PID 1 is pid on the host, one row per type.
func CompareNamespaces(pid int) ([]NamespaceRow, error) {
	host, err := ReadNamespaces(0)
	if err != nil {
		return nil, err
	}
	container, err := ReadNamespaces(pid)
	if err != nil {
		return nil, err
	}
	var rows []NamespaceRow
	for _, typ := range NamespaceTypes {
		if h, ok := host[typ]; ok {
			rows = append(rows, NamespaceRow{Type: typ, Host: h, Container: container[typ]})
		}
	}
	return rows, nil
}
