package chroot

// The tests of the exercises call these directly.
var (
	EnterJail  = enterJail
	ClimbToTop = climbToTop
)
