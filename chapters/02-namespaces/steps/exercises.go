package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "ns.hostname", Step: "ns.uts", Minutes: 5, Root: true,
			Tests: []string{"TestUTSNamespace"},
			Todo: "Name the container: set the hostname of the UTS namespace the init is in to name, " +
				"with sethostname(2). Wrap its error with what you were doing.",
			Hints: []string{
				"The init already runs in a new UTS namespace (CLONE_NEWUTS at clone time): one syscall renames it, and the host's name stays.",
				"sethostname(2) is unix.Sethostname in golang.org/x/sys/unix; it takes the name as a []byte. man 2 sethostname.",
				"if err := unix.Sethostname([]byte(name)); err != nil { return fmt.Errorf(\"sethostname %q: %w\", name, err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.hostname is not written yet`, Hint: "The stub is still there: replace its return with the call to sethostname(2)."},
				{Output: `hostname.*want`, Hint: "The container's hostname is not the one asked for: is name passed to sethostname as it is?"},
			},
		},
		{
			ID: "ns.proc", Step: "ns.pid", Minutes: 5, Root: true,
			Tests: []string{"TestPIDNamespace"},
			Todo: "Mount a new proc filesystem on rootfs/proc with mount(2), nosuid, nodev and noexec: " +
				"the mount helper of mount.go wraps unix.Mount and names the mount in its error. " +
				"A proc mount shows the PID namespace of the process that mounts it: made by the init, it lists the container's processes only.",
			Hints: []string{
				"ps reads /proc, and the rootfs's /proc is an empty directory: a fresh proc mount there, made from inside the new PID namespace, shows that namespace's processes and no others.",
				"mount(2) is unix.Mount(source, target, fstype, flags, data) in golang.org/x/sys/unix; the type is \"proc\" and the flags unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC. man 2 mount, man 5 proc.",
				"return mount(\"proc\", filepath.Join(rootfs, \"proc\"), \"proc\", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, \"\")",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.proc is not written yet`, Hint: "The stub is still there: replace its return with the mount of proc."},
				{Output: `ps inside`, Hint: "ps does not see the container's processes: is the proc mount on the container's /proc, filepath.Join(rootfs, \"proc\"), and not on the host's /proc?"},
			},
		},
		{
			ID: "ns.private", Step: "ns.mount", Minutes: 5, Root: true,
			Tests: []string{"TestMountNamespace"},
			Todo: "Turn mount propagation off for every mount in the namespace: mount(2) on \"/\" with no source, no type and the flags " +
				"MS_REC|MS_PRIVATE, as `mount --make-rprivate /` does. Without it, on a systemd host, the container's mounts " +
				"would show up on the host, and pivot_root would refuse the shared root.",
			Hints: []string{
				"The new mount namespace is a copy of the host's, and systemd makes mounts shared: a mount under a shared mount is repeated in every copy. Changing how the existing mounts propagate is a mount(2) call that mounts nothing.",
				"mount(2) is unix.Mount(source, target, fstype, flags, data) in golang.org/x/sys/unix; MS_PRIVATE changes the propagation, MS_REC makes it apply to every mount below the target too. man 2 mount (\"Changing the propagation type\"), man 7 mount_namespaces.",
				"if err := unix.Mount(\"\", \"/\", \"\", unix.MS_REC|unix.MS_PRIVATE, \"\"); err != nil { return fmt.Errorf(\"make every mount private: %w\", err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.private is not written yet`, Hint: "The stub is still there: replace its return with the mount(2) call that changes the propagation."},
				{Output: `shows in the host's mount table|the host's mount table changed|changed the mount table`, Hint: "A mount made in the container reached the host: is MS_REC there, so that every mount is private, not only /?"},
				{Output: `pivot_root.*invalid argument`, Hint: "pivot_root refuses a shared root: make every mount private (MS_REC|MS_PRIVATE) before any other mount."},
			},
		},
		{
			ID: "ns.clone", Step: "ns.ipc", Minutes: 5, Root: true,
			Tests: []string{"TestIPCNamespace", "TestCompareNamespaces"},
			Todo: "Return the clone(2) flags of the container's namespaces: mount, UTS, IPC, PID and network " +
				"(cloneMount, cloneUTS, cloneIPC, clonePID, cloneNet: each namespace's file names its CLONE_NEW* flag), " +
				"and the user namespace's, cloneUser, only when userNS is set. Not the cgroup namespace: the init makes that one itself, later.",
			Hints: []string{
				"A new IPC namespace needs no setup: the child is born in it, empty, because its flag was passed to clone. So is every namespace here but the cgroup one: this function is where they are all asked for.",
				"The flags are constants of golang.org/x/sys/unix (unix.CLONE_NEWIPC, unix.CLONE_NEWNS, ...), named here cloneIPC, cloneMount and so on; Start passes them to clone(2) in SysProcAttr.Cloneflags. man 2 clone, man 7 namespaces.",
				"flags := uintptr(cloneMount | cloneUTS | cloneIPC | clonePID | cloneNet); if userNS { flags |= cloneUser }; return flags",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.clone is not written yet`, Hint: "The stub is still there: replace its panic with the flags."},
				{Output: `lack CLONE_NEWUSER`, Hint: "With userNS set, the flags must ask for a user namespace too: flags |= cloneUser."},
				{Output: `namespace: the container's is the host's|shared with the host`, Hint: "The container shares a namespace with the host (the test says which): add its CLONE_NEW* flag, and cloneUser only when userNS is true."},
			},
		},
		{
			ID: "ns.loopback", Step: "ns.net", Minutes: 15, Root: true,
			Tests: []string{"TestNetworkNamespace"},
			Todo: "Bring the loopback interface up, as `ip link set lo up` does: open a socket in the namespace, read lo's flags " +
				"with the SIOCGIFFLAGS ioctl(2), add IFF_UP and write them back with SIOCSIFFLAGS. A new network namespace has lo, " +
				"but down: nothing inside could reach 127.0.0.1.",
			Hints: []string{
				"An interface's flags are read and written with ioctls on a socket, any socket of the namespace: an AF_INET datagram one will do. Add IFF_UP to the flags already there, do not replace them.",
				"socket(2) is unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0) in golang.org/x/sys/unix; unix.NewIfreq(\"lo\") makes the request, unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr) reads the flags (ifr.Uint16) and unix.SIOCSIFFLAGS writes them (ifr.SetUint16). man 7 netdevice.",
				"fd, err := unix.Socket(...); defer unix.Close(fd); ifr, err := unix.NewIfreq(\"lo\"); unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); ifr.SetUint16(ifr.Uint16() | unix.IFF_UP); unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr), wrapping each error",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.loopback is not written yet`, Hint: "The stub is still there: replace its return with the socket and the two ioctls."},
				{Output: `want lo, up`, Hint: "lo is not up: write the flags back with SIOCSIFFLAGS, those SIOCGIFFLAGS read with unix.IFF_UP added."},
			},
		},
		{
			ID: "ns.idmap", Step: "ns.user", Minutes: 10, Root: true,
			Tests: []string{"TestUserNamespace"},
			Todo: "Map the container's IDs 0 to IDMapSize-1 onto the host's from HostUID (and HostGID): set attr.UidMappings and " +
				"attr.GidMappings, which Go writes into the child's /proc/PID/uid_map and gid_map; allow setgroups; and make the child " +
				"uid 0 and gid 0, root of its namespace, with attr.Credential.",
			Hints: []string{
				"A new user namespace maps no one: until its uid_map and gid_map are written, from outside it, its processes are nobody. Go writes them between clone and exec, from SysProcAttr, and can then make the child root inside.",
				"Each line of /proc/PID/uid_map is the inside ID, the outside ID and a count (man 7 user_namespaces); in Go that is syscall.SysProcIDMap{ContainerID, HostID, Size}. Credential makes Go call setgid(2) and setuid(2) (unix.Setgid, unix.Setuid in golang.org/x/sys/unix) before exec, and setgroups(2) too, which GidMappingsEnableSetgroups allows.",
				"attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: HostUID, Size: IDMapSize}}; the same for GidMappings with HostGID; attr.GidMappingsEnableSetgroups = true; attr.Credential = &syscall.Credential{Uid: 0, Gid: 0}",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.idmap is not written yet`, Hint: "The stub is still there: replace its panic with the mappings and the credential."},
				{Output: `container init: .*operation not permitted`, Hint: "The init may not make namespaces or mount: it is not root in its user namespace. Make it uid 0 and gid 0 there with attr.Credential."},
				{Output: `groups were not dropped`, Hint: "The host root's supplementary groups are still there: with GidMappingsEnableSetgroups true, Go may call setgroups(2) to drop them."},
				{Output: `Uid, real, effective|Gid, real, effective|inside \(-want \+got\)`, Hint: "The IDs are not the expected ones: container ID 0 maps to HostUID (HostGID for groups), IDMapSize of them, and the child runs as Credential{Uid: 0, Gid: 0}."},
			},
		},
		{
			ID: "ns.cgroupns", Step: "ns.cgroup", Minutes: 5, Root: true,
			Tests: []string{"TestCgroupNamespace"},
			Todo: "Move the init into a new cgroup namespace with unshare(2) and cloneCgroup (CLONE_NEWCGROUP). " +
				"unshare moves only the calling thread: first lock the goroutine to it for good with runtime.LockOSThread, " +
				"so that the command exec'd at the end, from this thread, is born in the new namespace.",
			Hints: []string{
				"The namespace's root is the cgroup the process is in when the namespace is made: that is why the init makes it itself, once the parent could move it, and not at clone time.",
				"unshare(2) is unix.Unshare(flags) in golang.org/x/sys/unix, with unix.CLONE_NEWCGROUP (cloneCgroup here). man 2 unshare, man 7 cgroup_namespaces.",
				"runtime.LockOSThread(); if err := unix.Unshare(cloneCgroup); err != nil { return fmt.Errorf(\"new cgroup namespace: %w\", err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.cgroupns is not written yet`, Hint: "The stub is still there: replace its return with the unshare."},
				{Output: `cgroup namespace: the container's is the host's|want the path /`, Hint: "The command is in the host's cgroup namespace: did the unshare run on the thread that execs? Call runtime.LockOSThread() before it, and never unlock."},
			},
		},
		{
			ID: "ns.links", Step: "ns.view", Minutes: 10,
			Tests: []string{"TestReadNamespaces"},
			Todo: "For each type in NamespaceTypes, read the link /proc/PID/ns/TYPE (/proc/self/ns for pid 0) with readlink(2), " +
				"parse its target, \"uts:[4026531838]\", with ParseNamespaceLink, and keep the inode by type. " +
				"Skip a link that does not exist only for pid 0 (an older kernel); return any other error.",
			Hints: []string{
				"Each namespace is a kernel object with an inode number; /proc/PID/ns/TYPE is a link to it, whose target reads TYPE:[INODE]. Two processes share a namespace exactly when the numbers match.",
				"readlink(2) is unix.Readlink(path, buf) in golang.org/x/sys/unix; os.Readlink wraps it and returns the target as a string. man 2 readlink, man 7 namespaces (\"The /proc/[pid]/ns/ directory\").",
				"dir := \"/proc/self/ns\" (or fmt.Sprintf(\"/proc/%d/ns\", pid)); for _, want := range NamespaceTypes { link, err := os.Readlink(dir + \"/\" + want); skip fs.ErrNotExist for pid 0; typ, inode, err := ParseNamespaceLink(link); ns[typ] = inode }; return ns, nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.links is not written yet`, Hint: "The stub is still there: replace its return with the loop over NamespaceTypes."},
				{Output: `does not exist = .*want an error`, Hint: "A process that does not exist must give an error: read /proc/PID/ns for that pid, and skip a missing link only for pid 0."},
				{Output: `the inode of /proc/self/ns`, Hint: "The inode is the number between the brackets of the link's target: ParseNamespaceLink gives it."},
			},
		},
		{
			ID: "ns.pivot", Step: "ns.escape", Minutes: 15, Root: true,
			Tests: []string{"TestEscapeStaysInTheContainer", "TestRootIsTheRootfs"},
			Todo: "Make rootfs the root of the mount namespace with pivot_root(2), then unmount the old root, the host's, " +
				"with umount2(2) and MNT_DETACH, and chdir to the new \"/\". Unlike chroot, this leaves no mount of the " +
				"host's root in the namespace: chapter 1's escape has nowhere left to climb.",
			Hints: []string{
				"pivot_root(new_root, put_old) moves the old root to put_old, which must be at or under new_root. From inside the new root, \".\" can be both: the old root is stacked on \".\", and one unmount of \".\" takes it away, writing nothing to the rootfs.",
				"pivot_root(2) is unix.PivotRoot(newroot, putold), umount2(2) is unix.Unmount(target, unix.MNT_DETACH) and chdir(2) unix.Chdir, in golang.org/x/sys/unix. man 2 pivot_root, man 2 umount2.",
				"unix.Chdir(rootfs); unix.PivotRoot(\".\", \".\"); unix.Unmount(\".\", unix.MNT_DETACH); unix.Chdir(\"/\"), wrapping each error with what you were doing",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise ns\.pivot is not written yet`, Hint: "The stub is still there: replace its return with the pivot_root and the unmount."},
				{Output: `the escape reached the host's root`, Hint: "The escape got out: the host's root is still mounted in the container. Unmount the old root after pivot_root, with MNT_DETACH, since it is still in use."},
				{Output: `pivot_root .*: (invalid argument|device or resource busy)`, Hint: "pivot_root refuses: the new root must be the rootfs, a mount point (bindRoot made it one), and put_old at or under it. chdir into the rootfs first and pass \".\" for both."},
				{Output: `pivot_root .*: no such file or directory`, Hint: "put_old must exist: with \".\" for both, after the chdir into the rootfs, there is nothing to create."},
			},
		},
	}
}
