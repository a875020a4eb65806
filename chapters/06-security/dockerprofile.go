package security

import (
	"encoding/json"
	"fmt"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// A seccomp profile in Docker's JSON format (docker run --security-opt
// seccomp=FILE), compiled into the same kind of BPF program as the
// default filter. Docker's own default profile is an allow-list in this
// format: a default action (fail with EPERM) and the calls allowed, some
// only with certain arguments, some only to a container that holds a
// capability ("includes": {"caps": [...]}). Names are looked up in the
// table of this architecture (syscallnames_*.go); a name it lacks is
// skipped, as libseccomp skips it.

// DockerProfile is the part of Docker's format minibox reads.
type DockerProfile struct {
	DefaultAction   string          `json:"defaultAction"`
	DefaultErrnoRet *uint32         `json:"defaultErrnoRet"`
	Syscalls        []DockerSyscall `json:"syscalls"`
}

// DockerSyscall is one rule: its calls, what to do, and when.
type DockerSyscall struct {
	Name     string       `json:"name"` // the older form, one name
	Names    []string     `json:"names"`
	Action   string       `json:"action"`
	ErrnoRet *uint32      `json:"errnoRet"`
	Args     []DockerArg  `json:"args"`
	Includes DockerFilter `json:"includes"`
	Excludes DockerFilter `json:"excludes"`
}

// DockerArg compares argument Index with Value (and ValueTwo, for a mask).
type DockerArg struct {
	Index    uint   `json:"index"`
	Value    uint64 `json:"value"`
	ValueTwo uint64 `json:"valueTwo"`
	Op       string `json:"op"`
}

// DockerFilter says for which containers a rule counts: those with all
// of Caps, on one of Arches, on a kernel of MinKernel or newer.
type DockerFilter struct {
	Caps      []string `json:"caps"`
	Arches    []string `json:"arches"`
	MinKernel string   `json:"minKernel"`
}

// ParseDockerProfile reads a profile and checks every action and
// comparison in it, with the rule's number in the error.
func ParseDockerProfile(data []byte) (*DockerProfile, error) {
	var p DockerProfile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("seccomp profile: %w", err)
	}
	if _, err := action(p.DefaultAction, p.DefaultErrnoRet); err != nil {
		return nil, fmt.Errorf("seccomp profile: defaultAction: %w", err)
	}
	for i, s := range p.Syscalls {
		if _, err := action(s.Action, s.ErrnoRet); err != nil {
			return nil, fmt.Errorf("seccomp profile: syscalls[%d]: %w", i, err)
		}
		for _, a := range s.Args {
			if a.Index > 5 || comparisons[a.Op] == nil {
				return nil, fmt.Errorf("seccomp profile: syscalls[%d]: argument %d, op %q: want index 0 to 5 and an op of SCMP_CMP_EQ, NE, LT, LE, GT, GE, MASKED_EQ", i, a.Index, a.Op)
			}
		}
		if len(s.Names) == 0 && s.Name == "" {
			return nil, fmt.Errorf("seccomp profile: syscalls[%d]: no names", i)
		}
	}
	return &p, nil
}

// action is the verdict of a profile's action name.
func action(name string, errnoRet *uint32) (uint32, error) {
	errno := uint32(unix.EPERM)
	if errnoRet != nil {
		errno = *errnoRet
	}
	switch name {
	case "SCMP_ACT_ALLOW":
		return unix.SECCOMP_RET_ALLOW, nil
	case "SCMP_ACT_ERRNO":
		return unix.SECCOMP_RET_ERRNO | errno&unix.SECCOMP_RET_DATA, nil
	case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD":
		return unix.SECCOMP_RET_KILL_THREAD, nil
	case "SCMP_ACT_KILL_PROCESS":
		return unix.SECCOMP_RET_KILL_PROCESS, nil
	case "SCMP_ACT_TRAP":
		return unix.SECCOMP_RET_TRAP, nil
	case "SCMP_ACT_LOG":
		return unix.SECCOMP_RET_LOG, nil
	}
	return 0, fmt.Errorf("action %q: minibox knows SCMP_ACT_ALLOW, ERRNO, KILL, KILL_THREAD, KILL_PROCESS, TRAP and LOG", name)
}

// Compile turns the profile into a filter for a container that keeps the
// capabilities caps, on this architecture and this kernel.
func (p *DockerProfile) Compile(caps CapSet, kernel string) ([]unix.SockFilter, error) {
	def, _ := action(p.DefaultAction, p.DefaultErrnoRet) // checked by ParseDockerProfile
	// The rules of each call, in the order the profile first names it.
	var order []uint32
	rules := map[uint32][]DockerSyscall{}
	for _, s := range p.Syscalls {
		if !s.counts(caps, kernel) {
			continue
		}
		for _, name := range append(slices.Clone(s.Names), s.Name) {
			nr, ok := syscallNumbers[name]
			if name == "" || !ok {
				continue
			}
			if _, seen := rules[nr]; !seen {
				order = append(order, nr)
			}
			rules[nr] = append(rules[nr], s)
		}
	}
	prog := []unix.SockFilter{load(offsetArch), jumpIf(unix.BPF_JEQ, auditArch, 1, 0), ret(def), load(offsetNr)}
	prog = append(prog, archChecks()...)
	for _, nr := range order {
		block, err := callBlock(nr, rules[nr], def)
		if err != nil {
			return nil, err
		}
		prog = append(prog, block...)
	}
	return append(prog, ret(def)), nil
}

// counts reports whether the rule applies to this container.
func (s DockerSyscall) counts(caps CapSet, kernel string) bool {
	for _, c := range s.Includes.Caps {
		if n, err := ParseCapability(c); err != nil || !caps.Has(n) {
			return false
		}
	}
	for _, c := range s.Excludes.Caps {
		if n, err := ParseCapability(c); err == nil && caps.Has(n) {
			return false
		}
	}
	if len(s.Includes.Arches) > 0 && !slices.Contains(s.Includes.Arches, goruntime.GOARCH) {
		return false
	}
	if slices.Contains(s.Excludes.Arches, goruntime.GOARCH) {
		return false
	}
	return s.Includes.MinKernel == "" || !kernelBefore(kernel, s.Includes.MinKernel)
}

// kernelBefore reports whether release (6.1.0-48-amd64) is older than
// want (4.8).
func kernelBefore(release, want string) bool {
	version := func(s string) (int, int) {
		major, rest, _ := strings.Cut(s, ".")
		minor := strings.FieldsFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		a, _ := strconv.Atoi(major)
		b := 0
		if len(minor) > 0 {
			b, _ = strconv.Atoi(minor[0])
		}
		return a, b
	}
	ra, rb := version(release)
	wa, wb := version(want)
	return ra < wa || ra == wa && rb < wb
}
