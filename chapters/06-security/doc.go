// Package security is chapter 6 of the minibox workshop: a container that
// cannot take the host. Namespaces (chapter 2) change what a container
// sees; its root is still the host's root, with every power the host's
// root has. This chapter takes the powers away, one defence at a time,
// each shown first by the attack it stops:
//
//   - caps.go: capabilities, the powers of root cut into forty-one pieces;
//     a container keeps Docker's fourteen, in every set, bounding included;
//   - nnp.go: no_new_privs, so that no setuid program gains anything;
//   - seccomp.go, syscalls.go: a seccomp filter, a small BPF program the
//     kernel runs at every system call, refusing the calls a container has
//     no business making (mount, kexec_load, keyctl, a new user namespace);
//   - paths.go: the files of /proc and /sys that reach the kernel, masked
//     or made read-only;
//   - devices.go, devices_bpf.go: the device cgroup, which devices may be
//     opened (v1's devices controller, or an eBPF program under v2);
//   - probe.go, attacks.go: the attacks, made harmless, that the tests,
//     the steps and the attack lab (steps/lab.go) run;
//   - profile.go: all of it as one Profile, Docker's defaults, and the
//     flags that change them (--cap-add, --cap-drop, --privileged,
//     --security-opt); confine.go hands it to chapter 2's init.
//
// Syscalls: prctl(2) (PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_SET_NO_NEW_PRIVS,
// PR_SET_SECCOMP), capset(2), mount(2) (bind, remount read-only), bpf(2)
// (BPF_PROG_LOAD, BPF_PROG_ATTACH).
//
// Tutorial: tutorial/06-security.md
package security

// The system call names of seccomp profiles (profile_json.go), from x/sys.
//go:generate go run ./internal/gensyscalls
