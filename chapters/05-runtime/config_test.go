package runtime

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// TestWithImageDefaults merges a run's config with its image's, as docker
// does: the run's command after the image's entrypoint, or the image's
// whole command when none is given; the run's variables over the image's;
// the image's working directory unless the run names one.
func TestWithImageDefaults(t *testing.T) {
	// The image's slices get room to grow, so that a result that shared
	// them would be changed by the next container's merge.
	image := func(rc images.RunConfig) *images.Image {
		roomy := func(s []string) []string { return slices.Grow(slices.Clone(s), 8) }
		rc.Entrypoint, rc.Cmd, rc.Env = roomy(rc.Entrypoint), roomy(rc.Cmd), roomy(rc.Env)
		return &images.Image{Config: images.Config{Config: rc}}
	}
	other := Config{Args: []string{"other"}, Env: []string{"PATH=/other", "HOME=/other", "X=3"}}
	shell := images.RunConfig{Cmd: []string{"sh"}, Env: []string{"PATH=/usr/bin:/bin", "HOME=/root"}, WorkingDir: "/srv"}
	tool := images.RunConfig{Entrypoint: []string{"/bin/tool", "--quiet"}, Cmd: []string{"--help"}}
	tests := []struct {
		name string
		cfg  Config
		img  images.RunConfig
		want Config
	}{
		{
			name: "nothing asked: the image's command, environment and directory",
			img:  shell,
			want: Config{Args: []string{"sh"}, Env: []string{"PATH=/usr/bin:/bin", "HOME=/root"}, WorkingDir: "/srv"},
		},
		{
			name: "a command replaces the image's Cmd",
			cfg:  Config{Args: []string{"echo", "hi"}},
			img:  shell,
			want: Config{Args: []string{"echo", "hi"}, Env: []string{"PATH=/usr/bin:/bin", "HOME=/root"}, WorkingDir: "/srv"},
		},
		{
			name: "no command: Entrypoint then Cmd",
			img:  tool,
			want: Config{Args: []string{"/bin/tool", "--quiet", "--help"}, Env: []string{}},
		},
		{
			name: "a command goes after the Entrypoint, in place of Cmd",
			cfg:  Config{Args: []string{"build", "."}},
			img:  tool,
			want: Config{Args: []string{"/bin/tool", "--quiet", "build", "."}, Env: []string{}},
		},
		{
			name: "the run's variables win, and come last",
			cfg:  Config{Env: []string{"PATH=/sbin", "DEBUG=1"}},
			img:  shell,
			want: Config{Args: []string{"sh"}, Env: []string{"HOME=/root", "PATH=/sbin", "DEBUG=1"}, WorkingDir: "/srv"},
		},
		{
			name: "a variable given twice: the last wins",
			cfg:  Config{Env: []string{"X=1", "X=2"}},
			img:  shell,
			want: Config{Args: []string{"sh"}, Env: []string{"PATH=/usr/bin:/bin", "HOME=/root", "X=2"}, WorkingDir: "/srv"},
		},
		{
			name: "a variable that is a prefix of another's name replaces only its own",
			cfg:  Config{Env: []string{"PATH=/bin"}},
			img:  images.RunConfig{Cmd: []string{"sh"}, Env: []string{"PATHEXT=.sh", "PATH=/usr/bin"}},
			want: Config{Args: []string{"sh"}, Env: []string{"PATHEXT=.sh", "PATH=/bin"}},
		},
		{
			name: "the run's working directory wins",
			cfg:  Config{WorkingDir: "/tmp"},
			img:  shell,
			want: Config{Args: []string{"sh"}, Env: []string{"PATH=/usr/bin:/bin", "HOME=/root"}, WorkingDir: "/tmp"},
		},
		{
			name: "the rest of the run's config is kept",
			cfg:  Config{Image: "busybox", Hostname: "box1", Memory: 64 << 20, Pids: 10, CPUs: 0.5, Detach: true, Remove: true, Terminal: true},
			img:  shell,
			want: Config{Image: "busybox", Args: []string{"sh"}, Env: []string{"PATH=/usr/bin:/bin", "HOME=/root"}, WorkingDir: "/srv",
				Hostname: "box1", Memory: 64 << 20, Pids: 10, CPUs: 0.5, Detach: true, Remove: true, Terminal: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := image(tt.img)
			ic := img.Config.Config
			before := images.RunConfig{Env: slices.Clone(ic.Env), Entrypoint: slices.Clone(ic.Entrypoint), Cmd: slices.Clone(ic.Cmd), WorkingDir: ic.WorkingDir}
			got := withImageDefaults(tt.cfg, img)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("withImageDefaults (-want +got):\n%s", diff)
			}
			// Another container of the same image changes neither the
			// image nor the first container's config.
			withImageDefaults(other, img)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("after a second merge, the first config changed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, img.Config.Config); diff != "" {
				t.Errorf("withImageDefaults changed the image's config (-before +after):\n%s", diff)
			}
		})
	}
}
