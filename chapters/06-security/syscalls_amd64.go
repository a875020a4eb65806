package security

import "golang.org/x/sys/unix"

// auditArch is the architecture seccomp_data names for this program's calls.
const auditArch = unix.AUDIT_ARCH_X86_64

// archChecks refuse the x32 calls: on amd64 they share the architecture's
// name, and have the numbers of the 64-bit calls with bit 30 set.
func archChecks() []unix.SockFilter {
	const x32 = 0x40000000
	return []unix.SockFilter{
		jumpIf(unix.BPF_JGE, x32, 0, 1),
		ret(unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)),
	}
}

// archRules are the calls only amd64 has.
func archRules() []Rule {
	return []Rule{
		refuse("iopl", unix.SYS_IOPL), refuse("ioperm", unix.SYS_IOPERM),
		refuse("create_module", unix.SYS_CREATE_MODULE), refuse("get_kernel_syms", unix.SYS_GET_KERNEL_SYMS),
		refuse("query_module", unix.SYS_QUERY_MODULE), refuse("uselib", unix.SYS_USELIB),
		refuse("ustat", unix.SYS_USTAT), refuse("sysfs", unix.SYS_SYSFS), refuse("_sysctl", unix.SYS__SYSCTL),
	}
}
