package security

import (
	"fmt"
	"strconv"
	"strings"
)

// A user namespace (chapter 2) maps the container's user and group IDs to
// others on the host: with --userns=remap, uid 0 inside is uid 100000
// outside. Every capability the container's root holds is then a
// capability over what its user namespace owns (its mounts, its network,
// its hostname), and none over the host: the kernel checks CAP_SYS_TIME,
// CAP_SYS_MODULE or CAP_SYS_BOOT against the host's user namespace, where
// the container's root is an ordinary user. A defence that holds even when
// all the others are switched off or broken through.
//
// The layers of such a container are copies owned by 100000 and up
// (chapter 4's idshift.go), and `minibox exec` enters the namespace
// through util-linux's nsenter (chapter 5's exec_userns.go). Off by
// default, as in Docker (its daemon's --userns-remap).

// ParseUserNS reads --userns: "remap" gives the container a user namespace
// of its own, chapter 2's map, its root uid 100000 on the host; "host" (or
// nothing, the default, as in Docker) leaves it the host's IDs.
func ParseUserNS(flag string) (bool, error) {
	switch flag {
	case "", "host":
		return false, nil
	case "remap":
		return true, nil
	}
	return false, fmt.Errorf("--userns %q: want remap (a user namespace: root inside is uid 100000 outside) or host (the host's IDs, the default)", flag)
}

// HostID returns the host's ID for id inside a user namespace whose map is
// idMap, the text of /proc/PID/uid_map (or gid_map): one range a line,
// "INSIDE OUTSIDE COUNT", the IDs INSIDE to INSIDE+COUNT-1 being OUTSIDE
// to OUTSIDE+COUNT-1 on the host.
//
//workshop:exercise sec.idmap
func HostID(idMap string, id uint32) (uint32, error) {
	for _, line := range strings.Split(strings.TrimSpace(idMap), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			return 0, fmt.Errorf("ID map line %q: want INSIDE OUTSIDE COUNT", line)
		}
		var n [3]uint64
		for i := range f {
			v, err := strconv.ParseUint(f[i], 10, 32)
			if err != nil {
				return 0, fmt.Errorf("ID map line %q: %w", line, err)
			}
			n[i] = v
		}
		inside, outside, count := n[0], n[1], n[2]
		if uint64(id) >= inside && uint64(id)-inside < count {
			return uint32(outside + uint64(id) - inside), nil
		}
	}
	return 0, fmt.Errorf("ID %d is not in the map: the kernel shows it as the overflow ID, 65534 (nobody)", id)
}
