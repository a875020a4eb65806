package runtime

import (
	"encoding/json"
	"io"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// Options are a `minibox run`'s.
type Options struct {
	Name string
	Config
	// The foreground container's streams; os.Stdin and friends if nil. With
	// Terminal, Stdin must be the user's terminal.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Config is what `minibox run` was asked for.
type Config struct {
	Image      string   // the reference given, e.g. busybox
	Args       []string // the command, after the image's defaults were applied
	Env        []string
	WorkingDir string
	Hostname   string
	Memory     int64   // bytes; 0 for no limit
	Pids       int64   // 0 for no limit
	CPUs       float64 // 0 for no limit
	Detach     bool
	Remove     bool // --rm: remove the container when it exits
	Terminal   bool
	// A detached container's log is rotated past LogMaxSize bytes, and
	// LogMaxFiles files are kept (logfile.go); 0 for the defaults.
	LogMaxSize  int64 `json:",omitempty"`
	LogMaxFiles int   `json:",omitempty"`
	// Confine is what confines the container's processes, its init and
	// every exec (chapter 6's security); nil for nothing.
	Confine *namespaces.Confinement `json:",omitempty"`
	// UserNS gives the container a user namespace of its own, chapter 2's
	// map: its root is uid 100000 on the host (--userns=remap).
	UserNS bool `json:",omitempty"`
	// Network is the network the container joins (network.go): "none" or
	// "" for lo alone.
	Network string `json:",omitempty"`
	// Ports are the published ports, -p (ports.go).
	Ports []PortMapping `json:",omitempty"`
}

// idShift is the owners' shift of the container's layers: chapter 2's map
// for a container with a user namespace, none otherwise.
func (c Config) idShift() []images.IDShift {
	if !c.UserNS {
		return nil
	}
	return []images.IDShift{{UID: namespaces.HostUID, GID: namespaces.HostGID, Size: namespaces.IDMapSize}}
}

// CgroupConfiner is a chapter 2 Confiner that also confines the
// container's cgroup, once it is made and before anything runs in it:
// chapter 6's device rules.
type CgroupConfiner interface {
	ConfineCgroup(settings json.RawMessage, cg cgroups.Cgroup) error
}

// confineCgroup runs conf's cgroup step, if its Confiner has one.
func confineCgroup(conf *namespaces.Confinement, cg cgroups.Cgroup) error {
	if conf == nil {
		return nil
	}
	c, err := conf.Confiner()
	if err != nil {
		return err
	}
	if cc, ok := c.(CgroupConfiner); ok {
		return cc.ConfineCgroup(conf.Settings, cg)
	}
	return nil
}
