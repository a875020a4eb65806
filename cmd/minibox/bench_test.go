// Benchmarks, built only for `make bench`: `go test -tags bench`. As
// tests that skip, they would pass CI by skipping.

//go:build bench

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// TestCompareWithRunc measures start-to-exit of `minibox run --rm IMAGE
// /bin/true` against `runc run` of the same busybox rootfs (runc's run
// also removes its container at the end), alternating the two, and the
// memory of a detached container's supervisor. It is built with the bench
// tag only (`make bench`), and needs Debian's runc package.
func TestCompareWithRunc(t *testing.T) {
	b := newBox(t)
	runc, err := exec.LookPath("runc")
	if err != nil {
		t.Fatal("runc is not installed: apt-get install runc (make deps does)")
	}
	rootfs := testutil.BusyboxRootfs(t)
	b.ok("import", rootfs, "bench")
	bundle := runcBundle(t, runc, rootfs)
	state := filepath.Join(b.base, "runc-state")

	const n = 30
	var mb, priv, rc []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		b.ok("run", "--rm", "bench", "/bin/true")
		mb = append(mb, time.Since(start))

		// Without chapter 6's defences: what they cost is the difference.
		start = time.Now()
		b.ok("run", "--rm", "--privileged", "bench", "/bin/true")
		priv = append(priv, time.Since(start))

		cmd := exec.Command(runc, "--root", state, "run", "--bundle", bundle, fmt.Sprintf("bench-%d", i))
		start = time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("runc run: %v: %s", err, out)
		}
		rc = append(rc, time.Since(start))
	}
	m, r := median(mb), median(rc)
	fmt.Printf("start-to-exit: minibox %.1f ms, runc %.1f ms, ratio %.2f (medians of %d runs)\n", ms(m), ms(r), float64(m)/float64(r), n)
	fmt.Printf("chapter 6's defences (capabilities, seccomp, masked paths, device rules): %+.1f ms a start (minibox %.1f ms, --privileged %.1f ms)\n",
		ms(m)-ms(median(priv)), ms(m), ms(median(priv)))

	b.ok("run", "-d", "--name", "idle", "bench", "sleep", "1000")
	s, err := runtime.Find(b.paths, "idle")
	if err != nil {
		t.Fatal(err)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.Supervisor))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			fmt.Printf("supervisor of a detached container: %s\n", strings.Join(strings.Fields(line), " "))
		}
	}
}

// runcBundle makes an OCI bundle whose root is rootfs and whose process is
// /bin/true, from `runc spec`'s defaults.
func runcBundle(t *testing.T, runc, rootfs string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command(runc, "spec", "--bundle", dir).CombinedOutput(); err != nil {
		t.Fatalf("runc spec: %v: %s", err, out)
	}
	path := filepath.Join(dir, "config.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	spec["root"] = map[string]any{"path": rootfs, "readonly": true}
	process := spec["process"].(map[string]any)
	process["args"] = []string{"/bin/true"}
	process["terminal"] = false
	if data, err = json.Marshal(spec); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
