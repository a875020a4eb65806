package namespaces

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMergeEnv(t *testing.T) {
	base := []string{"PATH=/bin", "HOME=/root", "PATHEXT=x"}
	got := MergeEnv(base, []string{"HOME=/home/me", "A=1", "A=2", "PATH=/usr/bin"})
	want := []string{"PATHEXT=x", "HOME=/home/me", "A=2", "PATH=/usr/bin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MergeEnv (-want +got):\n%s", diff)
	}
	if base[0] != "PATH=/bin" || len(base) != 3 {
		t.Errorf("MergeEnv changed its input: %q", base)
	}
}
