package runtime

import (
	"io"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
)

// Options are a `minibox run`'s.
type Options struct {
	Name string
	Config
	// The foreground container's streams; os.Stdin and friends if nil. With
	// Terminal, Stdin must be the user's terminal.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Config is what `minibox run` was asked for.
type Config struct {
	Image      string   // the reference given, e.g. busybox
	Args       []string // the command, after the image's defaults were applied
	Env        []string
	WorkingDir string
	Hostname   string
	Memory     int64   // bytes; 0 for no limit
	Pids       int64   // 0 for no limit
	CPUs       float64 // 0 for no limit
	Detach     bool
	Remove     bool // --rm: remove the container when it exits
	Terminal   bool
	// A detached container's log is rotated past LogMaxSize bytes, and
	// LogMaxFiles files are kept (logfile.go); 0 for the defaults.
	LogMaxSize  int64 `json:",omitempty"`
	LogMaxFiles int   `json:",omitempty"`
	// Confine is what confines the container's processes, its init and
	// every exec (chapter 6's security); nil for nothing.
	Confine *namespaces.Confinement `json:",omitempty"`
}
