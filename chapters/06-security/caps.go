package security

import (
	"fmt"
	"math/bits"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Root's powers are split into capabilities (capabilities(7)): CAP_CHOWN
// to change any file's owner, CAP_SYS_ADMIN to mount, CAP_SYS_MODULE to
// load kernel code, and so on. The kernel checks the one an operation
// needs, not the user ID. A process has five sets of them:
//
//   - effective: what the kernel checks now;
//   - permitted: what it may make effective;
//   - inheritable and ambient: what may pass through execve(2);
//   - bounding: the most it can ever gain, even by executing a setuid-root
//     program. For root, execve(2) makes the permitted set the whole
//     bounding set again: dropping a capability from the others but not
//     from this one gives it back at the next execve.
//
// A container keeps a few: what a root user's everyday programs need
// (chown, kill, bind port 80, ...), none that reaches the kernel.

// capabilityNames are the kernel's, without their CAP_ prefix, by number.
var capabilityNames = map[string]int{
	"CHOWN": unix.CAP_CHOWN, "DAC_OVERRIDE": unix.CAP_DAC_OVERRIDE,
	"DAC_READ_SEARCH": unix.CAP_DAC_READ_SEARCH, "FOWNER": unix.CAP_FOWNER,
	"FSETID": unix.CAP_FSETID, "KILL": unix.CAP_KILL, "SETGID": unix.CAP_SETGID,
	"SETUID": unix.CAP_SETUID, "SETPCAP": unix.CAP_SETPCAP,
	"LINUX_IMMUTABLE": unix.CAP_LINUX_IMMUTABLE, "NET_BIND_SERVICE": unix.CAP_NET_BIND_SERVICE,
	"NET_BROADCAST": unix.CAP_NET_BROADCAST, "NET_ADMIN": unix.CAP_NET_ADMIN,
	"NET_RAW": unix.CAP_NET_RAW, "IPC_LOCK": unix.CAP_IPC_LOCK, "IPC_OWNER": unix.CAP_IPC_OWNER,
	"SYS_MODULE": unix.CAP_SYS_MODULE, "SYS_RAWIO": unix.CAP_SYS_RAWIO,
	"SYS_CHROOT": unix.CAP_SYS_CHROOT, "SYS_PTRACE": unix.CAP_SYS_PTRACE,
	"SYS_PACCT": unix.CAP_SYS_PACCT, "SYS_ADMIN": unix.CAP_SYS_ADMIN, "SYS_BOOT": unix.CAP_SYS_BOOT,
	"SYS_NICE": unix.CAP_SYS_NICE, "SYS_RESOURCE": unix.CAP_SYS_RESOURCE,
	"SYS_TIME": unix.CAP_SYS_TIME, "SYS_TTY_CONFIG": unix.CAP_SYS_TTY_CONFIG,
	"MKNOD": unix.CAP_MKNOD, "LEASE": unix.CAP_LEASE, "AUDIT_WRITE": unix.CAP_AUDIT_WRITE,
	"AUDIT_CONTROL": unix.CAP_AUDIT_CONTROL, "SETFCAP": unix.CAP_SETFCAP,
	"MAC_OVERRIDE": unix.CAP_MAC_OVERRIDE, "MAC_ADMIN": unix.CAP_MAC_ADMIN,
	"SYSLOG": unix.CAP_SYSLOG, "WAKE_ALARM": unix.CAP_WAKE_ALARM,
	"BLOCK_SUSPEND": unix.CAP_BLOCK_SUSPEND, "AUDIT_READ": unix.CAP_AUDIT_READ,
	"PERFMON": unix.CAP_PERFMON, "BPF": unix.CAP_BPF, "CHECKPOINT_RESTORE": unix.CAP_CHECKPOINT_RESTORE,
}

// DefaultCapabilities are the ones a container keeps: Docker's default
// set. NET_RAW (ping) and MKNOD are in it; the device cgroup, not the
// capability, decides which device files can be opened.
var DefaultCapabilities = []string{
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

// CapSet is a set of capabilities, bit N for capability N, as the kernel
// shows them in /proc/PID/status (CapEff: 00000000a80425fb).
type CapSet uint64

// ParseCapability returns the number of a capability named as
// capabilities(7) or Docker name it: NET_ADMIN, CAP_NET_ADMIN, net_admin.
func ParseCapability(name string) (int, error) {
	n, ok := capabilityNames[strings.TrimPrefix(strings.ToUpper(name), "CAP_")]
	if !ok {
		return 0, fmt.Errorf("unknown capability %q: name one as capabilities(7) does, like NET_ADMIN or CAP_NET_ADMIN, or ALL", name)
	}
	return n, nil
}

// CapSetOf returns the set of the named capabilities.
func CapSetOf(names []string) (CapSet, error) {
	var set CapSet
	for _, name := range names {
		n, err := ParseCapability(name)
		if err != nil {
			return 0, err
		}
		set |= 1 << n
	}
	return set, nil
}

// AllCapabilities is every capability this program knows of.
func AllCapabilities() CapSet {
	var set CapSet
	for _, n := range capabilityNames {
		set |= 1 << n
	}
	return set
}

// Names returns the set's capabilities by name, sorted.
func (s CapSet) Names() []string {
	var names []string
	for name, n := range capabilityNames {
		if s&(1<<n) != 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Has reports whether capability n is in the set.
func (s CapSet) Has(n int) bool { return s&(1<<n) != 0 }

// Count is the number of capabilities in the set.
func (s CapSet) Count() int { return bits.OnesCount64(uint64(s)) }

// lastCapability is the highest capability the running kernel knows.
func lastCapability() (int, error) {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0, fmt.Errorf("read the kernel's last capability: %w", err)
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// permitted is the calling thread's permitted set: the most it can keep.
func permitted() (CapSet, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return 0, fmt.Errorf("capget: %w", err)
	}
	return CapSet(data[0].Permitted) | CapSet(data[1].Permitted)<<32, nil
}

// keepable is what of want the calling thread can keep: a process cannot
// give what it lacks. With all (--privileged), that is what it has; else
// a capability asked for and missing is an error that names it.
func keepable(want CapSet, all bool) (CapSet, error) {
	have, err := permitted()
	if err != nil {
		return 0, err
	}
	if all {
		return want & have, nil
	}
	if missing := want &^ have; missing != 0 {
		return 0, fmt.Errorf("the container is to keep %s, which minibox itself lacks", strings.Join(missing.Names(), ","))
	}
	return want, nil
}

// limitCapabilities leaves the calling thread only the capabilities in
// keep: dropped from the bounding set first (which needs CAP_SETPCAP, not
// yet dropped), the ambient set cleared, then effective and permitted set
// to keep with capset(2). The inheritable set is left empty, as Docker
// leaves it since CVE-2022-24769.
func limitCapabilities(keep CapSet) error {
	last, err := lastCapability()
	if err != nil {
		return err
	}
	if err := dropBounding(keep, last); err != nil {
		return err
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return fmt.Errorf("clear the ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	data := [2]unix.CapUserData{
		{Effective: uint32(keep), Permitted: uint32(keep)},
		{Effective: uint32(keep >> 32), Permitted: uint32(keep >> 32)},
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset (keep %s): %w", strings.Join(keep.Names(), ","), err)
	}
	return nil
}

// dropBounding removes from the calling thread's bounding set every
// capability up to last that keep lacks, one prctl(PR_CAPBSET_DROP) each.
//
//workshop:exercise sec.bounding
func dropBounding(keep CapSet, last int) error {
	for c := 0; c <= last; c++ {
		if keep.Has(c) {
			continue
		}
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); err != nil {
			return fmt.Errorf("drop capability %d from the bounding set: %w", c, err)
		}
	}
	return nil
}
