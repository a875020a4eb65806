package runtime

// ContainerLock is the lock file of a container, for the tests that check
// who holds it.
var ContainerLock = containerLock
