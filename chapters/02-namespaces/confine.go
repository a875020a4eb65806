package namespaces

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Namespaces change what a container sees, not what it may do: its root is
// the host's root, with every capability. Chapter 6 takes those powers
// away. Its code must run inside the container's processes, at two moments
// that only this chapter's init (and chapter 5's exec) reach: once the new
// root is in place, and just before the command is executed. Chapter 2
// cannot call chapter 6, which comes later and builds on it; so a later
// chapter registers a Confiner under a name, and a Config names it. The
// name and its settings travel to the init with the rest of its orders;
// the init, the same binary, finds the Confiner under that name.

// A Confiner confines a container's processes. Settings are its own, as
// JSON: chapter 2 only carries them.
type Confiner interface {
	// Root runs in the init after pivot_root, before anything else: the
	// mounts it changes are the container's.
	Root(settings json.RawMessage) error
	// Process runs last before the command is executed, on the thread that
	// executes it, in the init and in every `minibox exec`.
	Process(settings json.RawMessage) error
}

// Confinement names a registered Confiner and its settings.
type Confinement struct {
	Name     string
	Settings json.RawMessage `json:",omitempty"`
}

var confiners = map[string]Confiner{}

// RegisterConfinement makes c the Confiner of the given name. Call it from
// an init function, so that the re-executed init has it too.
func RegisterConfinement(name string, c Confiner) {
	if _, dup := confiners[name]; dup {
		panic("namespaces: confinement " + name + " registered twice")
	}
	confiners[name] = c
}

// Confiner returns the Confiner conf names, or an error that says what
// this binary has: for a later chapter to ask it for more than Root and
// Process (chapter 5 asks for a cgroup step).
func (conf *Confinement) Confiner() (Confiner, error) {
	c, ok := confiners[conf.Name]
	if !ok {
		var names []string
		for n := range confiners {
			names = append(names, n)
		}
		sort.Strings(names)
		have := "none"
		if len(names) > 0 {
			have = strings.Join(names, ", ")
		}
		return nil, fmt.Errorf("confinement %q is not built into this program (it has: %s)", conf.Name, have)
	}
	return c, nil
}

// Check fails if the named Confiner is not in this binary: before the
// container starts, not in its init.
func (conf *Confinement) Check() error {
	if conf == nil {
		return nil
	}
	_, err := conf.Confiner()
	return err
}

// ApplyRoot runs the Confiner's Root step; a nil Confinement does nothing.
func (conf *Confinement) ApplyRoot() error {
	return conf.apply("the container", Confiner.Root)
}

// ApplyProcess runs the Confiner's Process step; a nil Confinement does
// nothing.
func (conf *Confinement) ApplyProcess() error {
	return conf.apply("the command", Confiner.Process)
}

func (conf *Confinement) apply(what string, step func(Confiner, json.RawMessage) error) error {
	if conf == nil {
		return nil
	}
	c, err := conf.Confiner()
	if err != nil {
		return err
	}
	if err := step(c, conf.Settings); err != nil {
		return fmt.Errorf("confine %s (%s): %w", what, conf.Name, err)
	}
	return nil
}
