package runtime

import (
	"os"
	"path/filepath"

	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// Paths are where minibox keeps its state. Root holds what survives a
// reboot: images and containers' records and changes. Run holds what must
// not: it is a tmpfs on every distribution, emptied at boot, which is the
// truth about which containers can still be running.
type Paths struct {
	Root string // MINIBOX_ROOT, default /var/lib/minibox
	Run  string // MINIBOX_RUN, default /run/minibox
}

// DefaultPaths reads MINIBOX_ROOT and MINIBOX_RUN.
func DefaultPaths() Paths {
	p := Paths{Root: images.Root(), Run: os.Getenv("MINIBOX_RUN")}
	if p.Run == "" {
		p.Run = "/run/minibox"
	}
	return p
}

// Images is the image store (chapter 4).
func (p Paths) Images() string { return filepath.Join(p.Root, "images") }

// Containers holds one directory per container.
func (p Paths) Containers() string { return filepath.Join(p.Root, "containers") }

// Container is the directory of container id: state.json, its log, and
// upper/ work/ merged/ of its overlay.
func (p Paths) Container(id string) string { return filepath.Join(p.Containers(), id) }

// Lock is the file whose flock(2) serialises changes to the set of
// containers: names must stay unique.
func (p Paths) Lock() string { return filepath.Join(p.Root, "containers.lock") }

// logPath is the container's output, for `minibox logs`.
func logPath(p Paths, id string) string { return filepath.Join(p.Container(id), "container.log") }

func statePath(p Paths, id string) string { return filepath.Join(p.Container(id), "state.json") }

// containerLock is the lock file of container id. Its supervisor holds the
// lock from the moment `minibox run` creates the container to the moment
// the container's record is final. It is live state, under /run: after a
// reboot no lock is held, and no container can be running.
func containerLock(p Paths, id string) string { return filepath.Join(p.Run, id+".lock") }
