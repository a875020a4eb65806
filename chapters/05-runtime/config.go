package runtime

import (
	"io"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	images "github.com/minibox-dev/minibox/chapters/04-images"
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

// withImageDefaults fills in what the image's config says and the run did
// not: command, environment (the run's variables win), working directory.
func withImageDefaults(cfg Config, img *images.Image) Config {
	ic := img.Config.Config
	cfg.Args = img.Command(cfg.Args)
	cfg.Env = namespaces.MergeEnv(ic.Env, cfg.Env)
	if cfg.WorkingDir == "" {
		cfg.WorkingDir = ic.WorkingDir
	}
	return cfg
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
}
