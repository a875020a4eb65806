package workshop

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// CheckResult is what a check of an exercise found.
type CheckResult struct {
	Passed  bool
	Results []TestResult // each test and subtest
	Hint    string       // aimed at the failure, if one matched
	Output  string       // everything the tests printed
}

// Check runs ex's tests against the learner's code (go test with the
// overlay), and records a pass. goBin is the go command.
func (pr *Practice) Check(ex *Exercise, goBin string) (*CheckResult, error) {
	if !pr.Started(ex) {
		return nil, fmt.Errorf("exercise %s is not started: `workshop practice start %d` gives you chapter %d's exercises", ex.ID, ex.Chapter, ex.Chapter)
	}
	sum, err := pr.bodySum(ex)
	if err != nil {
		if _, perr := pr.learnerSource(ex); perr != nil {
			return nil, perr // where it does not parse
		}
		return nil, fmt.Errorf("%s: %w (write it back, or `workshop practice reset %s`)", ex.LearnerFile(), err, ex.ID)
	}
	tmp, err := os.MkdirTemp("", "minibox-practice-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	overlay, err := pr.Overlay(tmp, ex)
	if err != nil {
		return nil, err
	}
	args := []string{"test", "-json", "-count=1"}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "-run", ex.TestPattern(), ex.Package())
	cmd := exec.Command(goBin, args...)
	cmd.Dir = pr.Repo
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	runErr := cmd.Run()
	results, err := ParseTestJSONWithSubtests(bytes.NewReader(out.Bytes()))
	if err != nil {
		return nil, err
	}
	if len(results) == 0 {
		return nil, fmt.Errorf("go test ran no test of exercise %s: %v\n%s", ex.ID, runErr, errOut.String())
	}
	r := &CheckResult{Results: results, Passed: runErr == nil}
	var all []string
	for _, res := range results {
		all = append(all, res.Output...)
		if res.Action == "skip" {
			r.Passed = false // a skipped test proves nothing
		}
	}
	r.Output = strings.Join(all, "\n") + errOut.String()
	e := pr.Progress.Exercise(ex.ID)
	if !r.Passed {
		r.Hint = ex.HintFor(r.Output)
		// A failing check ends an earlier pass: run and demo go back
		// to the reference for it.
		e.Passed, e.Body = time.Time{}, ""
		return r, pr.Progress.Save()
	}
	e.Passed, e.Body = time.Now().UTC().Truncate(time.Second), sum
	return r, pr.Progress.Save()
}

// Solution returns the reference of ex and the learner's version, the
// function's whole text each.
func (pr *Practice) Solution(ex *Exercise) (reference, mine string, err error) {
	ref, err := os.ReadFile(filepath.Join(pr.Repo, ex.File))
	if err != nil {
		return "", "", err
	}
	if reference, err = FuncSource(ref, ex.Func); err != nil {
		return "", "", err
	}
	src, err := os.ReadFile(filepath.Join(pr.Repo, ex.LearnerFile()))
	if err != nil {
		return reference, "", err
	}
	mine, err = FuncSource(src, ex.Func)
	if err != nil {
		return reference, "", fmt.Errorf("%s: %w", ex.LearnerFile(), err)
	}
	return reference, mine, nil
}

// LineDiff shows how to turn a into b, line by line, as diff -u does
// without its headers: " " kept, "-" only in a, "+" only in b.
func LineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j] is the length of the longest common subsequence of x[i:]
	// and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out.WriteString(" " + x[i] + "\n")
			i++
			j++
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			out.WriteString("-" + x[i] + "\n")
			i++
		default:
			out.WriteString("+" + y[j] + "\n")
			j++
		}
	}
	return out.String()
}
