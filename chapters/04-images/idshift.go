package images

import "fmt"

// A container in a user namespace (chapter 6's --userns) sees its files'
// owners through the namespace's ID map: uid 0 inside is uid 100000 on
// the host, and a file owned by the host's root is owned by nobody inside,
// which its root may not write. So for such a container each layer is
// unpacked once more, with every owner shifted into the map's range (a
// chowned copy, as Docker's --userns-remap keeps), and a commit shifts
// the owners back: the image says 0, whichever map ran it.
//
// The kernel can do the shift itself, with no copy: an idmapped mount
// (mount_setattr(2), MOUNT_ATTR_IDMAP) under the overlay. Linux 6.1 cannot
// idmap a tmpfs (6.3 can), and the CI machines keep containers on one: the
// copy works on every kernel and every filesystem.

// IDShift maps container IDs 0..Size-1 to host IDs UID..UID+Size-1 (and
// GID.. for groups). The zero IDShift maps nothing: IDs stay as they are.
type IDShift struct {
	UID, GID int // the host IDs of the container's 0
	Size     int // how many IDs are mapped
}

// IsZero reports whether s shifts nothing.
func (s IDShift) IsZero() bool { return s == IDShift{} }

// ToHost returns the host's IDs for a container's uid and gid.
func (s IDShift) ToHost(uid, gid int) (int, int, error) {
	if s.IsZero() {
		return uid, gid, nil
	}
	if uid < 0 || uid >= s.Size || gid < 0 || gid >= s.Size {
		return 0, 0, fmt.Errorf("owner %d:%d is outside the user namespace's %d IDs: no host ID stands for it", uid, gid, s.Size)
	}
	return s.UID + uid, s.GID + gid, nil
}

// ToContainer returns the container's IDs for a host uid and gid.
func (s IDShift) ToContainer(uid, gid int) (int, int, error) {
	if s.IsZero() {
		return uid, gid, nil
	}
	if uid < s.UID || uid >= s.UID+s.Size || gid < s.GID || gid >= s.GID+s.Size {
		return 0, 0, fmt.Errorf("owner %d:%d on the host is outside the user namespace's IDs %d-%d: the container could not have made it", uid, gid, s.UID, s.UID+s.Size-1)
	}
	return uid - s.UID, gid - s.GID, nil
}

// suffix names a layer's shifted copy: unpacked/<diff ID hex>.<uid>.<gid>.
func (s IDShift) suffix() string {
	if s.IsZero() {
		return ""
	}
	return fmt.Sprintf(".%d.%d", s.UID, s.GID)
}

// oneShift returns the shift of an optional argument: none, or the first.
func oneShift(shift []IDShift) IDShift {
	if len(shift) == 0 {
		return IDShift{}
	}
	return shift[0]
}
