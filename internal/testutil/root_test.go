package testutil

import "testing"

func TestRootVerdict(t *testing.T) {
	tests := []struct {
		name    string
		euid    int
		require string
		want    verdict
	}{
		{"root runs", 0, "", run},
		{"root runs when required", 0, "1", run},
		{"user skips", 1000, "", skip},
		{"user skips unless exactly 1", 1000, "yes", skip},
		{"user fails when root is required", 1000, "1", fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := rootVerdict(tt.euid, tt.require)
			if got != tt.want {
				t.Errorf("rootVerdict(%d, %q) = %v, want %v", tt.euid, tt.require, got, tt.want)
			}
			if got != run && msg == "" {
				t.Errorf("a skip or failure must say why")
			}
		})
	}
}
