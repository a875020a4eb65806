package workshop

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// TestResult is one top-level test of a `go test -json` run.
type TestResult struct {
	Package string
	Name    string
	Action  string // "pass", "fail" or "skip"
	Elapsed time.Duration
	Output  []string // what the test printed (for a failure or skip)
}

// testEvent is a line of `go test -json` (see `go doc test2json`).
type testEvent struct {
	Action      string
	Package     string
	Test        string
	Output      string
	Elapsed     float64
	ImportPath  string // of build-output events (Go 1.24 and later)
	FailedBuild string // on a package's fail: the ImportPath that did not build
}

// ParseTestJSON reads the output of `go test -json` and returns the result
// of each top-level test, in the order they finished, plus package-level
// failures (a build error, a panic outside a test) as results named "".
func ParseTestJSON(r io.Reader) ([]TestResult, error) { return parseTestJSON(r, false) }

// ParseTestJSONWithSubtests is ParseTestJSON with subtests too, each a
// result of its own ("TestUTS/hostname"): what practice mode shows as
// one assertion each.
func ParseTestJSONWithSubtests(r io.Reader) ([]TestResult, error) { return parseTestJSON(r, true) }

func parseTestJSON(r io.Reader, subtests bool) ([]TestResult, error) {
	output := map[string][]string{}
	var results []TestResult
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // build output go test prints as text
		}
		var ev testEvent
		if err := json.Unmarshal(line, &ev); err != nil {
			return nil, fmt.Errorf("go test -json: %w: %s", err, line)
		}
		if !subtests && strings.Contains(ev.Test, "/") {
			continue // subtests are part of their parent's result
		}
		key := ev.Package + "\x00" + ev.Test
		switch ev.Action {
		case "build-output":
			// The compiler's errors: what a learner who broke the code needs.
			key := "build\x00" + ev.ImportPath
			output[key] = append(output[key], strings.TrimRight(ev.Output, "\n"))
			continue
		case "output":
			output[key] = append(output[key], strings.TrimRight(ev.Output, "\n"))
		case "pass", "fail", "skip":
			if ev.Test == "" && ev.Action != "fail" {
				continue // a package that passed is the sum of its tests
			}
			out := output[key]
			if ev.FailedBuild != "" {
				out = append(output["build\x00"+ev.FailedBuild], out...)
			}
			results = append(results, TestResult{
				Package: ev.Package, Name: ev.Test, Action: ev.Action,
				Elapsed: time.Duration(ev.Elapsed * float64(time.Second)),
				Output:  out,
			})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return dropRedundantPackageFailures(results), nil
}

// dropRedundantPackageFailures keeps a package's own failure only when none
// of its tests failed: then it is news (a build error, a panic in TestMain).
func dropRedundantPackageFailures(results []TestResult) []TestResult {
	testFailed := map[string]bool{}
	for _, r := range results {
		if r.Name != "" && r.Action == "fail" {
			testFailed[r.Package] = true
		}
	}
	var out []TestResult
	for _, r := range results {
		if r.Name == "" && testFailed[r.Package] {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Summary counts results by action.
type Summary struct{ Passed, Failed, Skipped int }

// PrintResults prints a line per test, ✓ ✗ or –, with the output of failed
// and skipped tests, and returns the counts.
func PrintResults(w io.Writer, results []TestResult, s Style) Summary {
	var sum Summary
	sorted := append([]TestResult(nil), results...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Package < sorted[j].Package })
	for _, r := range sorted {
		name := r.Name
		if name == "" {
			name = r.Package + " (the package itself)"
		}
		switch r.Action {
		case "pass":
			sum.Passed++
			fmt.Fprintf(w, "  %s %s %s\n", s.Green("✓"), name, s.Dim(r.Elapsed.Round(time.Millisecond).String()))
		case "skip":
			sum.Skipped++
			fmt.Fprintf(w, "  %s %s %s\n", s.Yellow("–"), name, s.Dim("skipped: "+skipReason(r.Output)))
		case "fail":
			sum.Failed++
			fmt.Fprintf(w, "  %s %s\n", s.Red("✗"), name)
			for _, line := range r.Output {
				if strings.HasPrefix(line, "=== ") || strings.HasPrefix(line, "--- ") {
					continue
				}
				fmt.Fprintf(w, "      %s\n", line)
			}
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", sum.Passed, sum.Failed, sum.Skipped)
	return sum
}

// skipReason picks the message of t.Skip out of a skipped test's output.
func skipReason(output []string) string {
	for _, line := range output {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- ") {
			continue
		}
		if _, msg, ok := strings.Cut(t, ": "); ok && strings.Contains(t, ".go:") {
			return msg
		}
		return t
	}
	return "no reason given"
}
