package security

import "golang.org/x/sys/unix"

// auditArch is the architecture seccomp_data names for this program's calls.
const auditArch = unix.AUDIT_ARCH_AARCH64

// archChecks: arm64 has one system call table (a 32-bit arm program has
// another architecture, refused by Filter).
func archChecks() []unix.SockFilter { return nil }

// archRules: arm64 has none of amd64's old calls.
func archRules() []Rule { return nil }
