package security

import (
	"encoding/json"
	"fmt"
	goruntime "runtime"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
)

// The profile reaches the container's processes through chapter 2's
// Confiner: registered here under ConfinementName, carried as JSON in the
// init's orders (and in a `minibox exec`'s), applied inside.

// ConfinementName is the name the profile is registered and carried under.
const ConfinementName = "security"

func init() { namespaces.RegisterConfinement(ConfinementName, confiner{}) }

// Confinement returns p as chapter 2's Confinement, for a Config.
func (p Profile) Confinement() (*namespaces.Confinement, error) {
	if _, err := CapSetOf(p.Capabilities); err != nil {
		return nil, err
	}
	if _, err := parseDeviceRules(p.Devices); err != nil {
		return nil, err
	}
	if _, err := p.filter(); err != nil {
		return nil, err
	}
	if p.Seccomp != SeccompDefault && p.Seccomp != SeccompUnconfined && p.Seccomp != SeccompProfile {
		return nil, fmt.Errorf("seccomp %q: want %q, %q or %q", p.Seccomp, SeccompDefault, SeccompUnconfined, SeccompProfile)
	}
	settings, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return &namespaces.Confinement{Name: ConfinementName, Settings: settings}, nil
}

type confiner struct{}

func profileOf(settings json.RawMessage) (Profile, error) {
	var p Profile
	if err := json.Unmarshal(settings, &p); err != nil {
		return p, fmt.Errorf("read the security profile: %w", err)
	}
	return p, nil
}

// ConfineCgroup sets the device rules of the container's cgroup, which
// chapter 5's supervisor has made and nothing runs in yet.
func (confiner) ConfineCgroup(settings json.RawMessage, cg cgroups.Cgroup) error {
	p, err := profileOf(settings)
	if err != nil || p.Privileged {
		return err
	}
	rules, err := parseDeviceRules(p.Devices)
	if err != nil {
		return err
	}
	return limitDevices(cg, rules)
}

// Root makes the devices --device asked for, and masks and write-protects
// the kernel's files, in the init after pivot_root: /dev, /proc and /sys
// are the container's own mounts by then.
func (confiner) Root(settings json.RawMessage) error {
	p, err := profileOf(settings)
	if err != nil {
		return err
	}
	for _, n := range p.DeviceNodes {
		if err := makeNode(n); err != nil {
			return err
		}
	}
	for _, path := range p.MaskedPaths {
		if err := maskPath(path); err != nil {
			return err
		}
	}
	for _, path := range p.ReadonlyPaths {
		if err := readonlyPath(path); err != nil {
			return err
		}
	}
	return nil
}

// Process confines the calling thread, the one about to execute the
// command: capabilities and the seccomp filter belong to a thread, and
// execve(2) hands the new program the caller's. The order matters. A
// filter needs no_new_privs or CAP_SYS_ADMIN to be installed: with
// no_new_privs it comes last, so that it need not allow capset and prctl;
// without, it comes before the capabilities go.
func (confiner) Process(settings json.RawMessage) error {
	p, err := profileOf(settings)
	if err != nil {
		return err
	}
	want, err := CapSetOf(p.Capabilities)
	if err != nil {
		return err
	}
	keep, err := keepable(want, p.Privileged)
	if err != nil {
		return err
	}
	filter, err := p.filter()
	if err != nil {
		return err
	}
	// Never unlocked: this thread is no longer like the others.
	goruntime.LockOSThread()
	if p.NoNewPrivileges {
		if err := setNoNewPrivs(); err != nil {
			return err
		}
	}
	if filter != nil && !p.NoNewPrivileges {
		if err := loadFilter(filter); err != nil {
			return err
		}
	}
	if err := limitCapabilities(keep); err != nil {
		return err
	}
	if filter != nil && p.NoNewPrivileges {
		return loadFilter(filter)
	}
	return nil
}
