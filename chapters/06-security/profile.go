package security

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// Profile is everything that confines a container, as minibox inspect
// shows it.
type Profile struct {
	// Privileged gives the container every capability and nothing else
	// below: what `--privileged` gives up.
	Privileged      bool     `json:",omitempty"`
	Capabilities    []string // kept in every set, by name
	NoNewPrivileges bool
	Seccomp         string // SeccompDefault, SeccompUnconfined or SeccompProfile
	// SeccompProfile is the profile in Docker's format, for SeccompProfile.
	SeccompProfile json.RawMessage `json:",omitempty"`
	MaskedPaths    []string        `json:",omitempty"`
	ReadonlyPaths  []string        `json:",omitempty"`
	// Devices are the device rules of the container's cgroup, as
	// devices.allow takes them; every device, if Privileged.
	Devices []string `json:",omitempty"`
	// DeviceNodes are the device files --device adds to the container's /dev.
	DeviceNodes []DeviceNode `json:",omitempty"`
}

// The seccomp settings.
const (
	SeccompDefault    = "default"    // DefaultRules
	SeccompUnconfined = "unconfined" // no filter
	SeccompProfile    = "profile"    // Profile.SeccompProfile, a file's (dockerprofile.go)
)

// Default is the profile of a container started with no security flags.
// no_new_privs is on, as in runc's default spec (Docker leaves it off
// unless asked for with --security-opt no-new-privileges).
func Default() Profile {
	return Profile{
		Capabilities:    slices.Clone(DefaultCapabilities),
		NoNewPrivileges: true,
		Seccomp:         SeccompDefault,
		MaskedPaths:     slices.Clone(DefaultMaskedPaths),
		ReadonlyPaths:   slices.Clone(DefaultReadonlyPaths),
		Devices:         slices.Clone(DefaultDevices),
	}
}

// Privileged is the profile of `--privileged`: every capability, no
// filter, nothing masked, every device. The namespaces stay: it still sees only its
// own files and processes, but can reach the host through the kernel.
func Privileged() Profile {
	return Profile{Privileged: true, Capabilities: AllCapabilities().Names(), Seccomp: SeccompUnconfined}
}

// Options are the security flags of `minibox run`, as Docker's.
type Options struct {
	Privileged   bool
	CapAdd       []string // --cap-add NAME|ALL
	CapDrop      []string // --cap-drop NAME|ALL
	SecurityOpts []string // --security-opt seccomp=unconfined|no-new-privileges[=true|false]
	Devices      []string // --device HOST[:CONTAINER[:PERMISSIONS]]
	UserNS       bool     // --userns=remap (ParseUserNS)
}

// FromOptions returns the profile the flags ask for, or an error that
// names the flag that is wrong.
func FromOptions(o Options) (Profile, error) {
	nodes, rules, err := devices(o.Devices)
	if err != nil {
		return Profile{}, err
	}
	switch {
	case o.UserNS && o.Privileged:
		// Docker refuses it too: root of a user namespace cannot have
		// what --privileged promises (the host's devices, its kernel).
		return Profile{}, errors.New("--privileged with --userns=remap: a user namespace's root has no power over the host, which --privileged is for; choose one")
	case o.UserNS && len(nodes) > 0:
		return Profile{}, errors.New("--device with --userns=remap: in a user namespace the kernel refuses to make device files (mknod), and minibox makes them so; run with --userns=host")
	}
	if o.Privileged {
		if len(o.CapAdd)+len(o.CapDrop)+len(o.SecurityOpts) > 0 {
			return Profile{}, errors.New("--privileged with --cap-add, --cap-drop or --security-opt: --privileged already gives every capability and no filter; use one or the others")
		}
		p := Privileged()
		p.DeviceNodes = nodes
		return p, nil
	}
	p := Default()
	p.Devices, p.DeviceNodes = append(p.Devices, rules...), nodes
	caps, err := capabilities(o.CapAdd, o.CapDrop)
	if err != nil {
		return Profile{}, err
	}
	p.Capabilities = caps.Names()
	for _, opt := range o.SecurityOpts {
		if err := p.securityOpt(opt); err != nil {
			return Profile{}, err
		}
	}
	return p, nil
}

// capabilities applies --cap-add and --cap-drop to the default set, as
// Docker does: ALL in --cap-add starts from every capability, ALL in
// --cap-drop from none; then the named ones are added, then dropped.
func capabilities(add, drop []string) (CapSet, error) {
	set, err := CapSetOf(DefaultCapabilities)
	if err != nil {
		return 0, err
	}
	added, addAll, err := capList("--cap-add", add)
	if err != nil {
		return 0, err
	}
	dropped, dropAll, err := capList("--cap-drop", drop)
	if err != nil {
		return 0, err
	}
	if both := added & dropped; both != 0 {
		return 0, fmt.Errorf("--cap-add and --cap-drop both name %s: say which you want", strings.Join(both.Names(), ","))
	}
	switch {
	case addAll && dropAll:
		return 0, errors.New("--cap-add ALL with --cap-drop ALL: say which you want")
	case addAll:
		set = AllCapabilities()
	case dropAll:
		set = 0
	}
	return (set | added) &^ dropped, nil
}

// capList parses a flag's capability names; all is whether ALL is among them.
func capList(flag string, names []string) (set CapSet, all bool, err error) {
	for _, name := range names {
		if strings.EqualFold(name, "ALL") {
			all = true
			continue
		}
		n, err := ParseCapability(name)
		if err != nil {
			return 0, false, fmt.Errorf("%s: %w", flag, err)
		}
		set |= 1 << n
	}
	return set, all, nil
}

// securityOpt applies one --security-opt.
func (p *Profile) securityOpt(opt string) error {
	key, value, hasValue := strings.Cut(opt, "=")
	if !hasValue {
		key, value, hasValue = strings.Cut(opt, ":") // Docker also takes no-new-privileges:true
	}
	switch key {
	case "seccomp":
		if value == SeccompUnconfined {
			p.Seccomp = SeccompUnconfined
			return nil
		}
		return p.seccompFile(opt, value)
	case "no-new-privileges":
		switch {
		case !hasValue || value == "true":
			p.NoNewPrivileges = true
		case value == "false":
			p.NoNewPrivileges = false
		default:
			return fmt.Errorf("--security-opt %s: want no-new-privileges, no-new-privileges=true or no-new-privileges=false", opt)
		}
	default:
		return fmt.Errorf("--security-opt %s: minibox knows seccomp=unconfined and no-new-privileges[=true|false]", opt)
	}
	return nil
}

// seccompFile reads the profile in Docker's format at path, and checks
// that it compiles for this container, on this machine.
func (p *Profile) seccompFile(opt, path string) error {
	if path == "" {
		return fmt.Errorf("--security-opt %s: want seccomp=unconfined, or seccomp=FILE with a profile in Docker's format", opt)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--security-opt %s: %w", opt, err)
	}
	dp, err := ParseDockerProfile(data)
	if err == nil {
		_, err = p.filterOf(dp)
	}
	if err != nil {
		return fmt.Errorf("--security-opt %s: %w", opt, err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		return err
	}
	p.Seccomp, p.SeccompProfile = SeccompProfile, compact.Bytes()
	return nil
}

// filter is the seccomp program of the profile, nil for none.
func (p Profile) filter() ([]unix.SockFilter, error) {
	switch p.Seccomp {
	case SeccompDefault:
		return Filter(DefaultRules()), nil
	case SeccompProfile:
		dp, err := ParseDockerProfile(p.SeccompProfile)
		if err != nil {
			return nil, err
		}
		return p.filterOf(dp)
	}
	return nil, nil
}

// filterOf compiles dp for a container with p's capabilities, on this
// kernel.
func (p Profile) filterOf(dp *DockerProfile) ([]unix.SockFilter, error) {
	caps, err := CapSetOf(p.Capabilities)
	if err != nil {
		return nil, err
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return nil, err
	}
	return dp.Compile(caps, unix.ByteSliceToString(u.Release[:]))
}
