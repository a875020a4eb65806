package runtime

import (
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// withImageDefaults fills in what the image's config says and the run did
// not: command, environment (the run's variables win), working directory.
//
//workshop:exercise rt.defaults
func withImageDefaults(cfg Config, img *images.Image) Config {
	ic := img.Config.Config
	cfg.Args = img.Command(cfg.Args)
	cfg.Env = namespaces.MergeEnv(ic.Env, cfg.Env)
	if cfg.WorkingDir == "" {
		cfg.WorkingDir = ic.WorkingDir
	}
	return cfg
}
