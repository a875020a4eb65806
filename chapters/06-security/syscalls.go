package security

import "golang.org/x/sys/unix"

// DefaultRules are the system calls a container may not make, as Docker's
// default seccomp profile refuses them to a container without the
// capability each needs. Docker's profile is an allow-list of some 350
// calls; this is the same verdict for the calls that matter, written the
// other way round, short enough to read.
func DefaultRules() []Rule {
	rules := []Rule{
		// Mounts: the container's view of the files is not its own to change.
		refuse("mount", unix.SYS_MOUNT), refuse("umount2", unix.SYS_UMOUNT2),
		refuse("pivot_root", unix.SYS_PIVOT_ROOT),
		refuse("fsopen", unix.SYS_FSOPEN), refuse("fsconfig", unix.SYS_FSCONFIG),
		refuse("fsmount", unix.SYS_FSMOUNT), refuse("fspick", unix.SYS_FSPICK),
		refuse("move_mount", unix.SYS_MOVE_MOUNT), refuse("open_tree", unix.SYS_OPEN_TREE),
		refuse("mount_setattr", unix.SYS_MOUNT_SETATTR),
		// New namespaces and others' namespaces. A new user namespace needs
		// no capability, and its creator is root in it: refused, in clone
		// and unshare. clone3 passes its flags in memory, which a filter
		// cannot read: it fails with ENOSYS, and the C library falls back
		// to clone.
		refuseIf("clone", unix.SYS_CLONE, 0, unix.CLONE_NEWUSER),
		refuseIf("unshare", unix.SYS_UNSHARE, 0, unix.CLONE_NEWUSER),
		{Name: "clone3", Nr: unix.SYS_CLONE3, Errno: unix.ENOSYS},
		refuse("setns", unix.SYS_SETNS),
		// The kernel's own code and the machine.
		refuse("init_module", unix.SYS_INIT_MODULE), refuse("finit_module", unix.SYS_FINIT_MODULE),
		refuse("delete_module", unix.SYS_DELETE_MODULE),
		refuse("kexec_load", unix.SYS_KEXEC_LOAD), refuse("kexec_file_load", unix.SYS_KEXEC_FILE_LOAD),
		refuse("reboot", unix.SYS_REBOOT), refuse("swapon", unix.SYS_SWAPON), refuse("swapoff", unix.SYS_SWAPOFF),
		refuse("acct", unix.SYS_ACCT), refuse("quotactl", unix.SYS_QUOTACTL),
		refuse("nfsservctl", unix.SYS_NFSSERVCTL),
		// The clock is the host's.
		refuse("clock_settime", unix.SYS_CLOCK_SETTIME), refuse("clock_adjtime", unix.SYS_CLOCK_ADJTIME),
		refuse("settimeofday", unix.SYS_SETTIMEOFDAY),
		// The kernel's keyring is not namespaced.
		refuse("keyctl", unix.SYS_KEYCTL), refuse("add_key", unix.SYS_ADD_KEY),
		refuse("request_key", unix.SYS_REQUEST_KEY),
		// Ways into the kernel or around the files' permissions.
		refuse("bpf", unix.SYS_BPF), refuse("perf_event_open", unix.SYS_PERF_EVENT_OPEN),
		refuse("userfaultfd", unix.SYS_USERFAULTFD), refuse("open_by_handle_at", unix.SYS_OPEN_BY_HANDLE_AT),
		refuse("lookup_dcookie", unix.SYS_LOOKUP_DCOOKIE), refuse("syslog", unix.SYS_SYSLOG),
		// io_uring does its work in the kernel's threads, where this filter
		// never sees the calls it stands for: Docker 25 refuses it too.
		refuse("io_uring_setup", unix.SYS_IO_URING_SETUP), refuse("io_uring_enter", unix.SYS_IO_URING_ENTER),
		refuse("io_uring_register", unix.SYS_IO_URING_REGISTER),
	}
	return append(rules, archRules()...)
}

func refuse(name string, nr uintptr) Rule {
	return Rule{Name: name, Nr: uint32(nr), Errno: unix.EPERM}
}

func refuseIf(name string, nr uintptr, arg int, mask uint32) Rule {
	return Rule{Name: name, Nr: uint32(nr), Errno: unix.EPERM, Arg: arg, Mask: mask}
}
