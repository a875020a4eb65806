package network_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	network "github.com/minibox-dev/minibox/chapters/07-network"
)

func leases(t *testing.T) network.Leases {
	pool, err := network.NewPool(network.DefaultSubnet)
	if err != nil {
		t.Fatal(err)
	}
	return network.Leases{Path: filepath.Join(t.TempDir(), "network", "minibox0.json"), Pool: pool}
}

func TestLeaseReleaseAndLeaseAgain(t *testing.T) {
	l := leases(t)
	a, err := l.Lease("one")
	if err != nil || a.String() != "10.88.0.2/16" {
		t.Fatalf("first lease = %v, %v; want 10.88.0.2/16", a, err)
	}
	again, err := l.Lease("one")
	if err != nil || again != a {
		t.Errorf("a second lease for the same owner = %v, %v; want its first, %v", again, err, a)
	}
	b, _ := l.Lease("two")
	if b.String() != "10.88.0.3/16" {
		t.Errorf("second owner's lease = %v, want 10.88.0.3/16", b)
	}
	if err := l.Release("one"); err != nil {
		t.Fatal(err)
	}
	c, _ := l.Lease("three")
	if c != a {
		t.Errorf("after one's release, three got %v, want the freed %v", c, a)
	}
	owners, err := l.Owners()
	if err != nil || len(owners) != 2 || owners[b.Addr()] != "two" || owners[c.Addr()] != "three" {
		t.Errorf("owners = %v, %v; want two and three", owners, err)
	}
	if err := l.Release("nobody"); err != nil {
		t.Errorf("releasing what nobody leased: %v, want no error", err)
	}
}

// TestLeasesAtOnce: owners leasing at the same moment, as containers
// started together do, each get an address of their own.
func TestLeasesAtOnce(t *testing.T) {
	l := leases(t)
	const n = 40
	got := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := l.Lease(string(rune('A' + i)))
			if err != nil {
				t.Error(err)
			}
			got[i] = a.String()
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, a := range got {
		if seen[a] {
			t.Errorf("%s was leased twice: %v", a, got)
		}
		seen[a] = true
	}
}

func TestDamagedLeaseFileIsAnError(t *testing.T) {
	l := leases(t)
	if _, err := l.Lease("one"); err != nil {
		t.Fatal(err)
	}
	for content, want := range map[string]string{
		"{not json": "is damaged",
		`{"subnet": "10.1.0.0/16", "leases": {}}`:        "holds the leases of 10.1.0.0/16, not of 10.88.0.0/16",
		`{"subnet": "10.88.0.0/16", "leases": {"x":""}}`: `"x" is not an address of 10.88.0.0/16`,
	} {
		if err := os.WriteFile(l.Path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := l.Lease("two")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("with %s in the file, Lease: %v; want an error saying %q", content, err, want)
		}
	}
}
