package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"
)

// Status is where a container is in its life.
type Status string

const (
	Created Status = "created" // recorded, not yet started
	Running Status = "running" // its supervisor reported the command started
	Exited  Status = "exited"  // the command ended; ExitCode says how
	// Damaged: its record cannot be read (Error says why). Only its ID is
	// known, from its directory; `minibox rm` removes it.
	Damaged Status = "damaged"
)

// State is a container's record: state.json in its directory.
type State struct {
	ID         string
	Name       string
	Image      string // the image's digest
	Created    time.Time
	Config     Config
	Status     Status
	Pid        int    // the container's PID 1, on the host
	Supervisor int    // the supervisor's PID (its lock, not its PID, says it lives)
	Cgroup     string // the cgroup's name
	Started    time.Time
	Finished   time.Time
	ExitCode   int
	OOMKilled  bool
	Error      string // why it could not run, or why it ended abnormally
	// UIDMap and GIDMap are a user namespace's maps as the kernel has them
	// (/proc/PID/uid_map: inside, outside, count), for --userns=remap.
	UIDMap string `json:",omitempty"`
	GIDMap string `json:",omitempty"`
	// Endpoint is the container's place on its network (network.go), if
	// it has one: kept once it exits, to say where it was.
	Endpoint *Endpoint `json:",omitempty"`
}

// ShortID is the 12 characters of the ID that ps shows (all of it, for
// the directory of a damaged record whose name is shorter).
func (s *State) ShortID() string { return s.ID[:min(12, len(s.ID))] }

// Save writes the record atomically: write a temporary file, then rename
// it over the old one, so a reader never sees half a record.
func (s *State) Save(p Paths) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	path := statePath(p, s.ID)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadState reads container id's record.
func LoadState(p Paths, id string) (*State, error) {
	data, err := os.ReadFile(statePath(p, id))
	if err != nil {
		return nil, err
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("container %s: damaged record: %w", id, err)
	}
	return &s, nil
}

// List returns every container's record, newest first. A directory without
// a record (a create that was killed) is skipped: Reconcile removes it. A
// record that cannot be read is listed as Damaged, last, so that the user
// sees it and can remove it, and a name check knows that it cannot see
// every name (see checkNoDamaged). Like every exported function here
// that reads the records, it reconciles them first (reconcile.go).
func List(p Paths) ([]*State, error) {
	if err := Reconcile(p); err != nil {
		return nil, err
	}
	return list(p)
}

// list is List without the Reconcile, for the functions that have made it.
func list(p Paths) ([]*State, error) {
	entries, err := os.ReadDir(p.Containers())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var all []*State
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		s, err := LoadState(p, e.Name())
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			s = &State{ID: e.Name(), Status: Damaged, Error: err.Error()}
		}
		all = append(all, s)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Created.After(all[j].Created) })
	return all, nil
}

// checkNoDamaged fails if one of the records in all is damaged: then what
// the records say about taken names and used images is incomplete.
func checkNoDamaged(all []*State) error {
	for _, s := range all {
		if s.Status == Damaged {
			return fmt.Errorf("container %s has a damaged record (%s), so minibox cannot tell its name and image: remove it with `minibox rm %s`", s.ShortID(), s.Error, s.ShortID())
		}
	}
	return nil
}
