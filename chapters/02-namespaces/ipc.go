package namespaces

import "golang.org/x/sys/unix"

// The IPC namespace holds System V IPC objects (shared memory segments,
// semaphores, message queues: what `ipcs` lists) and POSIX message queues.
// A new one starts empty, so the container cannot see or attach to the
// host's. The init has nothing to set up for it.
//
// POSIX shared memory (shm_open) is different: it is files in /dev/shm, so
// it is isolated by the mount namespace and the container's own /dev/shm
// tmpfs (dev.go).
const cloneIPC = unix.CLONE_NEWIPC
