package network

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/sys/unix"
)

// The leases of a network live in one small JSON file, which every minibox
// command that changes it locks first (flock(2), as chapter 5 locks the
// container records): two containers started at once never get the same
// address. A lease is released on rm, and by chapter 5's reconcile when a
// container's supervisor was killed.

// Leases is the lease file of one network.
type Leases struct {
	Path string
	Pool Pool
}

// leaseFile is the file's content: each leased address and its owner (a
// container's ID).
type leaseFile struct {
	Subnet string            `json:"subnet"`
	Leases map[string]string `json:"leases"`
}

// Lease gives owner an address, the one it has if it has one.
func (l Leases) Lease(owner string) (netip.Prefix, error) {
	var got netip.Prefix
	err := l.update(func(leases map[netip.Addr]string) (bool, error) {
		taken := map[netip.Addr]bool{}
		for a, o := range leases {
			if o == owner {
				got = netip.PrefixFrom(a, l.Pool.Subnet.Bits())
				return false, nil
			}
			taken[a] = true
		}
		var err error
		got, err = l.Pool.Next(taken)
		if err != nil {
			return false, err
		}
		leases[got.Addr()] = owner
		return true, nil
	})
	return got, err
}

// Release takes owner's address back, if it has one. With no lease file
// there is nothing to give back, and nothing is made.
func (l Leases) Release(owner string) error {
	if _, err := os.Stat(l.Path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return l.update(func(leases map[netip.Addr]string) (bool, error) {
		changed := false
		for a, o := range leases {
			if o == owner {
				delete(leases, a)
				changed = true
			}
		}
		return changed, nil
	})
}

// Owners returns every leased address's owner.
func (l Leases) Owners() (map[netip.Addr]string, error) {
	var all map[netip.Addr]string
	err := l.update(func(leases map[netip.Addr]string) (bool, error) {
		all = leases
		return false, nil
	})
	return all, err
}

// update reads the file under its lock, lets change change the leases, and
// writes them back, if changed, by rename(2): a reader never sees half a
// file.
func (l Leases) update(change func(map[netip.Addr]string) (changed bool, err error)) error {
	if err := os.MkdirAll(filepath.Dir(l.Path), 0o700); err != nil {
		return fmt.Errorf("leases: %w", err)
	}
	lock, err := os.OpenFile(l.Path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("leases: %w", err)
	}
	defer lock.Close() // closing it lets the lock go
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return fmt.Errorf("leases: lock %s: %w", lock.Name(), err)
	}
	leases, err := l.read()
	if err != nil {
		return err
	}
	changed, err := change(leases)
	if err != nil || !changed {
		return err
	}
	return l.write(leases)
}

func (l Leases) read() (map[netip.Addr]string, error) {
	leases := map[netip.Addr]string{}
	data, err := os.ReadFile(l.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return leases, nil
	}
	if err != nil {
		return nil, fmt.Errorf("leases: %w", err)
	}
	var f leaseFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("leases: %s is damaged (%v): remove it, and the containers of its network", l.Path, err)
	}
	if f.Subnet != l.Pool.Subnet.String() {
		return nil, fmt.Errorf("leases: %s holds the leases of %s, not of %s: remove its network's containers first", l.Path, f.Subnet, l.Pool.Subnet)
	}
	for a, owner := range f.Leases {
		addr, err := netip.ParseAddr(a)
		if err != nil || !l.Pool.Subnet.Contains(addr) {
			return nil, fmt.Errorf("leases: %s: %q is not an address of %s", l.Path, a, l.Pool.Subnet)
		}
		leases[addr] = owner
	}
	return leases, nil
}

func (l Leases) write(leases map[netip.Addr]string) error {
	f := leaseFile{Subnet: l.Pool.Subnet.String(), Leases: map[string]string{}}
	addrs := make([]netip.Addr, 0, len(leases))
	for a := range leases {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	for _, a := range addrs {
		f.Leases[a.String()] = leases[a]
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	// Synced before the rename: after a crash the file is the old one or
	// the new one, never empty.
	tmp := l.Path + ".new"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("leases: %w", err)
	}
	_, err = out.Write(append(data, '\n'))
	if err == nil {
		err = out.Sync()
	}
	if err = errors.Join(err, out.Close()); err == nil {
		err = os.Rename(tmp, l.Path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("leases: %w", err)
	}
	return nil
}
