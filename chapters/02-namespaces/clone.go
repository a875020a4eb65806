package namespaces

// cloneFlags returns the namespaces a container gets, as clone(2) flags. The
// child is born in them: Start passes the flags in SysProcAttr.Cloneflags.
//
// clone creates them all at once, and the user namespace first, so that it
// owns the others: that is what lets the container's root (no one on the
// host) mount /proc for its PID namespace, sysfs for its network namespace
// and set its hostname. With unshare(2), one namespace at a time, the order
// would be up to you: user first.
//
//workshop:exercise ns.clone
func cloneFlags(userNS bool) uintptr {
	// All but the cgroup namespace: the init makes that one itself, with
	// unshare, once it may have been moved into a cgroup (cgroupns.go).
	flags := uintptr(cloneMount | cloneUTS | cloneIPC | clonePID | cloneNet)
	if userNS {
		flags |= cloneUser
	}
	return flags
}
