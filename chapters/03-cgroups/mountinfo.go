package cgroups

import namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"

// The mount table is parsed by chapter 2 (namespaces.ParseMountinfo).

// Mount is one mount of the table.
type Mount = namespaces.Mount

// visibleMounts drops the mounts a process cannot reach: those covered by a
// later mount on the same mount point (whose parent is then the covered
// mount), and everything below a covered mount. A tmpfs mounted over
// /sys/fs/cgroup, for one, hides the cgroup hierarchies beneath it.
func visibleMounts(mounts []Mount) []Mount {
	byID := make(map[int]Mount, len(mounts))
	covered := make(map[int]bool)
	for _, m := range mounts {
		byID[m.ID] = m
	}
	for _, m := range mounts {
		if p, ok := byID[m.ParentID]; ok && p.MountPoint == m.MountPoint && p.ID != m.ID {
			covered[p.ID] = true
		}
	}
	var visible []Mount
	for _, m := range mounts {
		if reachable(m, byID, covered) {
			visible = append(visible, m)
		}
	}
	return visible
}

// reachable walks up from m to the root mount (whose parent is not in the
// table). m is hidden if it is covered, or if an ancestor is covered by a
// mount other than the one the walk came from. The walk is bounded by the
// table's size in case of a loop.
func reachable(m Mount, byID map[int]Mount, covered map[int]bool) bool {
	if covered[m.ID] {
		return false
	}
	for range len(byID) + 1 {
		p, ok := byID[m.ParentID]
		if !ok || p.ID == m.ID {
			return true
		}
		if covered[p.ID] && p.MountPoint != m.MountPoint {
			return false
		}
		m = p
	}
	return false
}
