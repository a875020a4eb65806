// Package cgroups is chapter 3 of the minibox workshop: control groups, the
// kernel's way to limit and count what a group of processes uses.
//
// Namespaces (chapter 2) decide what a container sees; cgroups decide how
// much it may take. A cgroup is a directory in a special filesystem; a
// process is put in it by writing its PID into cgroup.procs, its children
// are born in it, and files next to cgroup.procs hold the limits (write
// "33554432" into memory.max) and the counters (read memory.current). The
// kernel enforces the limits: at the memory limit its OOM killer kills in
// the group, at the pids limit fork fails, past the CPU quota the group is
// throttled until the next period.
//
// There are two versions with different files. cgroup v1 (2008) has one
// hierarchy per controller; cgroup v2 (Linux 4.5, 2016; the default of
// every current distribution) has a single tree. This package drives both
// behind one small interface, Cgroup (cgroup.go), with a driver per version
// (v1.go, v2.go) and one file per controller (memory.go, cpu.go, pids.go)
// holding both versions' files side by side. Which driver runs is worked
// out from /proc/self/mountinfo and /proc/cgroups (layout.go,
// mountinfo.go), never assumed: pure v2, hybrid (v1 owns the controllers,
// a cgroup2 mount holds the rest) or pure v1.
//
// Start (run.go) runs a command in a new cgroup with limits. The command is
// in its cgroup before it runs (shim.go); when it ends, Wait kills what it
// left behind, reads the final counters, removes the cgroup, and says why
// the command ended: "killed by the kernel's OOM killer: the memory limit
// 32 MiB was reached", not "signal: killed". Sweep (sweep.go) removes the
// groups a killed run left behind.
//
// Not for untrusted code on its own: a cgroup limits resources, it does not
// isolate. That takes namespaces (chapter 2) and more (later chapters).
//
// Syscalls and files: mkdir(2) and rmdir(2) of cgroup directories; writes
// to cgroup.procs, cgroup.subtree_control, cgroup.kill, memory.max,
// memory.swap.max, pids.max, cpu.max, cpu.weight (v2) and
// memory.limit_in_bytes, memory.memsw.limit_in_bytes, cpu.cfs_quota_us,
// cpu.cfs_period_us, cpu.shares (v1); kill(2); waitid(2) with WNOWAIT;
// execve(2).
//
// Tutorial: tutorial/03-cgroups.md
package cgroups
