package security

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// seccomp(2) in filter mode hands the kernel a small program in classic
// BPF, the packet filter's language: at every system call the thread makes,
// the kernel runs the program on a struct seccomp_data (the call's number,
// the CPU architecture, the six arguments) and does what it returns: allow
// the call, fail it with an errno, or kill the process. The filter is
// inherited across fork and execve and can never be removed.
//
// A container's filter refuses the calls it has no business making, with
// EPERM, as if the kernel had said no (syscalls.go lists them, as Docker's
// default profile does). Most are refused anyway without the capability
// they need; the filter is the second wall, and the only one for calls
// that need no capability at all: a new user namespace makes its creator
// root of it, with every capability there.

// The fields of struct seccomp_data (linux/seccomp.h), by byte offset.
const (
	offsetNr   = 0
	offsetArch = 4
	offsetArgs = 16 // six 64-bit arguments; the low 32 bits first on amd64 and arm64
)

// A Rule refuses one system call, always or only when its argument Arg has
// one of the bits of Mask set.
type Rule struct {
	Name  string
	Nr    uint32
	Errno unix.Errno
	Arg   int    // with Mask: which argument, 0 to 5
	Mask  uint32 // 0: refuse every call; else only those with one of these bits (in the low 32)
}

// Filter compiles the rules into a BPF program. A call of another CPU
// architecture than this program's (a 32-bit call on a 64-bit kernel, with
// other numbers for everything) is refused whole: its numbers would slip
// past the rules.
func Filter(rules []Rule) []unix.SockFilter {
	prog := []unix.SockFilter{
		load(offsetArch),
		jumpIf(unix.BPF_JEQ, auditArch, 1, 0),
		ret(unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)),
		load(offsetNr),
	}
	prog = append(prog, archChecks()...)
	for _, r := range rules {
		prog = append(prog, ruleBlock(r)...)
	}
	return append(prog, ret(unix.SECCOMP_RET_ALLOW))
}

// ruleBlock is the part of the program for one rule. It starts with the
// call's number loaded, and either returns or falls through to the next
// block with the number still loaded.
//
//workshop:exercise sec.rule
func ruleBlock(r Rule) []unix.SockFilter {
	refuse := ret(unix.SECCOMP_RET_ERRNO | uint32(r.Errno))
	if r.Mask == 0 {
		// Not this call: skip the return.
		return []unix.SockFilter{jumpIf(unix.BPF_JEQ, r.Nr, 0, 1), refuse}
	}
	// This call: load the argument (over the number: the block returns
	// either way), refuse if a bit of the mask is set, allow if not.
	return []unix.SockFilter{
		jumpIf(unix.BPF_JEQ, r.Nr, 0, 4),
		load(offsetArgs + 8*uint32(r.Arg)),
		jumpIf(unix.BPF_JSET, r.Mask, 0, 1),
		refuse,
		ret(unix.SECCOMP_RET_ALLOW),
	}
}

// load puts the 32-bit word at offset of seccomp_data in the accumulator.
func load(offset uint32) unix.SockFilter {
	return unix.SockFilter{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: offset}
}

// jumpIf compares the accumulator with k (BPF_JEQ: equal; BPF_JSET: any
// bit of k set) and skips jt instructions if true, jf if false.
func jumpIf(op uint16, k uint32, jt, jf uint8) unix.SockFilter {
	return unix.SockFilter{Code: unix.BPF_JMP | op | unix.BPF_K, K: k, Jt: jt, Jf: jf}
}

// ret ends the program with the verdict v.
func ret(v uint32) unix.SockFilter {
	return unix.SockFilter{Code: unix.BPF_RET | unix.BPF_K, K: v}
}

// loadFilter installs prog on the calling thread, for what it executes.
// The kernel allows it to a thread with no_new_privs or CAP_SYS_ADMIN.
func loadFilter(prog []unix.SockFilter) error {
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	err := unix.Prctl(unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(&fprog)), 0, 0)
	if err != nil {
		return fmt.Errorf("prctl(PR_SET_SECCOMP): %w", err)
	}
	return nil
}
