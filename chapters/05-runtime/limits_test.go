package runtime

import (
	"strings"
	"testing"
)

// TestCheckLimitsOn refuses, before anything is made, limits no container
// could run with: those chapter 3 refuses, a memory limit below
// MinMemory, more CPUs than the machine has.
func TestCheckLimitsOn(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		cpus    int
		wantErr string // the whole message; "" for none
	}{
		{name: "no limits", cfg: Config{}, cpus: 1},
		{name: "the smallest memory", cfg: Config{Memory: MinMemory}, cpus: 1},
		{name: "memory below the smallest", cfg: Config{Memory: MinMemory - 1}, cpus: 1,
			wantErr: "memory limit 6.0 MiB is too small: a container needs at least 6 MiB (-m 6m)"},
		{name: "1 MiB", cfg: Config{Memory: 1 << 20}, cpus: 1,
			wantErr: "memory limit 1 MiB is too small: a container needs at least 6 MiB (-m 6m)"},
		{name: "negative memory: chapter 3's check", cfg: Config{Memory: -1}, cpus: 1,
			wantErr: "memory limit -1: must not be negative (0 means no limit)"},
		{name: "negative pids", cfg: Config{Pids: -1}, cpus: 1,
			wantErr: "pids limit -1: must not be negative (0 means no limit)"},
		{name: "every CPU", cfg: Config{CPUs: 4}, cpus: 4},
		{name: "more CPUs than the machine has", cfg: Config{CPUs: 4.5}, cpus: 4,
			wantErr: "--cpus 4.5: this machine has 4 CPUs; give at most 4"},
		{name: "too small a CPU share", cfg: Config{CPUs: 0.001}, cpus: 4,
			wantErr: "CPU limit 0.001: too small; the kernel's smallest quota is 1 ms per 100ms period, 0.01 CPUs"},
		{name: "all at once", cfg: Config{Memory: 64 << 20, Pids: 10, CPUs: 0.5}, cpus: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkLimitsOn(tt.cfg, tt.cpus)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("checkLimitsOn(%+v, %d): %v", tt.cfg, tt.cpus, err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Errorf("checkLimitsOn(%+v, %d): %v\nwant %s", tt.cfg, tt.cpus, err, tt.wantErr)
			}
		})
	}
}

// TestCheckOptions refuses the options no container could be made of.
// None asks for CPUs, so the machine's number does not matter.
func TestCheckOptions(t *testing.T) {
	tests := []struct {
		name    string
		opt     Options
		wantErr string // the start of the message; "" for none
	}{
		{name: "an image", opt: Options{Config: Config{Image: "busybox"}}},
		{name: "an image and a name", opt: Options{Name: "web", Config: Config{Image: "busybox"}}},
		{name: "no image", opt: Options{Name: "web"}, wantErr: "no image given: `minibox run IMAGE [COMMAND...]`"},
		{name: "a terminal, detached", opt: Options{Config: Config{Image: "busybox", Terminal: true, Detach: true}},
			wantErr: "-t with -d: a detached container has no terminal to attach to"},
		{name: "a bad name", opt: Options{Name: "a b", Config: Config{Image: "busybox"}}, wantErr: `invalid container name "a b"`},
		{name: "a bad limit", opt: Options{Config: Config{Image: "busybox", Memory: 1 << 20}}, wantErr: "memory limit 1 MiB is too small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkOptions(tt.opt)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("checkOptions: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
				t.Errorf("checkOptions: %v\nwant an error starting %s", err, tt.wantErr)
			}
		})
	}
}
