package security_test

import (
	"strings"
	"testing"

	security "github.com/minibox-dev/minibox/chapters/06-security"
)

// TestHostID reads ID maps as the kernel prints them in /proc/PID/uid_map.
func TestHostID(t *testing.T) {
	remap := "         0     100000      65536\n"
	host := "         0          0 4294967295\n"
	split := "0 100000 1\n1 200001 999\n"
	for _, tc := range []struct {
		idMap string
		id    uint32
		want  uint32
	}{
		{remap, 0, 100000},
		{remap, 1000, 101000},
		{remap, 65535, 165535},
		{host, 0, 0},
		{host, 4294967294, 4294967294},
		{split, 0, 100000},
		{split, 1, 200001},
		{split, 999, 200999},
	} {
		got, err := security.HostID(tc.idMap, tc.id)
		if err != nil || got != tc.want {
			t.Errorf("HostID(%q, %d) = %d, %v, want %d", tc.idMap, tc.id, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		idMap string
		id    uint32
		want  string
	}{
		{remap, 65536, "not in the map"},
		{split, 1000, "not in the map"},
		{"0 100000\n", 0, "want INSIDE OUTSIDE COUNT"},
		{"0 x 1\n", 0, `ID map line "0 x 1"`},
	} {
		if _, err := security.HostID(tc.idMap, tc.id); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("HostID(%q, %d): %v, want an error with %q", tc.idMap, tc.id, err, tc.want)
		}
	}
}

func TestParseUserNS(t *testing.T) {
	for flag, want := range map[string]bool{"": false, "host": false, "remap": true} {
		if got, err := security.ParseUserNS(flag); got != want || err != nil {
			t.Errorf("ParseUserNS(%q) = %v, %v, want %v", flag, got, err, want)
		}
	}
	if _, err := security.ParseUserNS("keep-id"); err == nil {
		t.Error(`ParseUserNS("keep-id"): no error`)
	}
}
