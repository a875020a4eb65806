// Package runtime is chapter 5 of the minibox workshop: a small container
// runtime, made of the earlier chapters and nothing else. A container is an
// image (chapter 4) mounted as an overlay, run in namespaces (chapter 2),
// limited by a cgroup (chapter 3), and watched by a supervisor.
//
// What it adds is the bookkeeping a real runtime needs:
//
//   - state.go: a container's record, written atomically under
//     MINIBOX_ROOT/containers/ID, and locks so that concurrent commands
//     agree (lock.go);
//   - names.go: IDs, names, and looking a container up by either;
//   - supervisor.go: the process that owns a running container: it mounts
//     the overlay in a mount namespace of its own, makes the cgroup, starts
//     the container, reaps it, records its exit code and removes what it
//     made; run.go starts it, in the foreground or detached;
//   - exec.go: a new process in a running container, by setns(2) into its
//     namespaces and joining its cgroup;
//   - stop.go, remove.go: signals, removal, and cleaning up after a
//     supervisor that was killed; pidfd.go: signals and exec through a
//     pidfd, so that a PID handed out again is never mistaken for the
//     container;
//   - network.go: the hook by which a later chapter (7, networking)
//     connects a container's network namespace, named by --network.
//
// Syscalls: flock(2), setsid(2), setns(2), kill(2), pidfd_open(2),
// pidfd_send_signal(2), waitid(2), plus those of
// chapters 2 to 4.
//
// Tutorial: tutorial/05-runtime.md
package runtime
