package images

// Unexported parts the tests reach, by these names.
var (
	ParseWhiteout      = parseWhiteout
	WhiteoutName       = whiteoutName
	OpaqueName         = opaqueName
	IsOverlayWhiteout  = isOverlayWhiteout
	CleanName          = cleanName
	OCIWhiteout        = ociWhiteout
	NewVerifyingReader = newVerifyingReader
)

// Whiteout is whiteout, for the tests.
type Whiteout = whiteout

// UseOpenat2 turns openat2 on or off (off: the fallback walk) and returns
// a function that restores it.
func UseOpenat2(on bool) (restore func()) {
	old := useOpenat2
	useOpenat2 = on
	return func() { useOpenat2 = old }
}
