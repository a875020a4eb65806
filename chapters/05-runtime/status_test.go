package runtime

import (
	"testing"
	"time"
)

// TestHumanDuration writes durations as docker ps does, rounding down,
// with "1 second" for anything shorter than two.
func TestHumanDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "1 second"}, // a clock set back
		{0, "1 second"},
		{1999 * time.Millisecond, "1 second"},
		{2 * time.Second, "2 seconds"},
		{59*time.Second + 999*time.Millisecond, "59 seconds"},
		{time.Minute, "1 minute"},
		{119 * time.Second, "1 minute"},
		{2 * time.Minute, "2 minutes"},
		{59*time.Minute + 59*time.Second, "59 minutes"},
		{time.Hour, "1 hour"},
		{119 * time.Minute, "1 hour"},
		{2 * time.Hour, "2 hours"},
		{47*time.Hour + 59*time.Minute, "47 hours"},
		{48 * time.Hour, "2 days"},
		{30*24*time.Hour + 23*time.Hour, "30 days"},
	}
	for _, tt := range tests {
		if got := HumanDuration(tt.d); got != tt.want {
			t.Errorf("HumanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestStatusAt says where a container is, as docker ps's STATUS column
// does, at a fixed time.
func TestStatusAt(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		s    State
		want string
	}{
		{"running", State{Status: Running, Started: now.Add(-3 * time.Minute), Finished: now.Add(-time.Hour)}, "Up 3 minutes"},
		{"exited", State{Status: Exited, ExitCode: 0, Started: now.Add(-time.Hour), Finished: now.Add(-2 * time.Second)}, "Exited (0) 2 seconds ago"},
		{"killed", State{Status: Exited, ExitCode: 137, Finished: now.Add(-26 * time.Hour)}, "Exited (137) 26 hours ago"},
		{"created", State{Status: Created, Started: now.Add(-time.Minute)}, "Created"},
		{"damaged", State{Status: Damaged}, "Damaged record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusAt(&tt.s, now); got != tt.want {
				t.Errorf("statusAt = %q, want %q", got, tt.want)
			}
		})
	}
}
