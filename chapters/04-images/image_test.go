package images_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// TestCommand: the image's Entrypoint always runs; the run's arguments
// replace its Cmd, as with docker run.
func TestCommand(t *testing.T) {
	tests := []struct {
		name            string
		entrypoint, cmd []string
		args, want      []string
	}{
		{"busybox: Cmd only", nil, []string{"sh"}, nil, []string{"sh"}},
		{"the run's command replaces Cmd", nil, []string{"sh"}, []string{"echo", "hi"}, []string{"echo", "hi"}},
		{"Entrypoint and Cmd", []string{"/bin/server"}, []string{"--port", "80"}, nil, []string{"/bin/server", "--port", "80"}},
		{"the run's arguments follow Entrypoint", []string{"/bin/server"}, []string{"--port", "80"}, []string{"--debug"}, []string{"/bin/server", "--debug"}},
		{"neither: nothing to run", nil, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := &images.Image{Config: images.Config{Config: images.RunConfig{Entrypoint: tt.entrypoint, Cmd: tt.cmd}}}
			got := img.Command(tt.args)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Command(%q) (-want +got):\n%s", tt.args, diff)
			}
			if len(got) > 0 && len(tt.entrypoint) > 0 {
				got[0] = "changed"
				if img.Config.Config.Entrypoint[0] == "changed" {
					t.Error("Command's result shares the image's Entrypoint")
				}
			}
		})
	}
}
