package workshop

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const testJSON = `{"Action":"start","Package":"example/ch"}
{"Action":"run","Package":"example/ch","Test":"TestA"}
{"Action":"output","Package":"example/ch","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"example/ch","Test":"TestA","Elapsed":0.25}
{"Action":"run","Package":"example/ch","Test":"TestB"}
{"Action":"output","Package":"example/ch","Test":"TestB/sub","Output":"sub output\n"}
{"Action":"output","Package":"example/ch","Test":"TestB","Output":"    b_test.go:9: got 2, want 3\n"}
{"Action":"fail","Package":"example/ch","Test":"TestB/sub","Elapsed":0}
{"Action":"fail","Package":"example/ch","Test":"TestB","Elapsed":0.01}
{"Action":"output","Package":"example/ch","Test":"TestC","Output":"    root.go:20: needs root: run make test\n"}
{"Action":"skip","Package":"example/ch","Test":"TestC","Elapsed":0}
{"Action":"fail","Package":"example/ch","Elapsed":0.3}
`

func TestParseTestJSON(t *testing.T) {
	results, err := ParseTestJSON(strings.NewReader("# build noise\n" + testJSON))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		got = append(got, r.Name+" "+r.Action)
	}
	want := []string{"TestA pass", "TestB fail", "TestC skip"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	var out bytes.Buffer
	sum := PrintResults(&out, results, Style{})
	if sum != (Summary{Passed: 1, Failed: 1, Skipped: 1}) {
		t.Errorf("summary %+v", sum)
	}
	for _, line := range []string{"✓ TestA 250ms", "✗ TestB", "got 2, want 3", "– TestC skipped: needs root: run make test", "1 passed, 1 failed, 1 skipped"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
}

// What go test -json (Go 1.24 and later) prints for a package that does not
// compile.
const buildFailJSON = `{"ImportPath":"example/ch [example/ch.test]","Action":"build-output","Output":"# example/ch [example/ch.test]\n"}
{"ImportPath":"example/ch [example/ch.test]","Action":"build-output","Output":"./uts.go:3:23: undefined: x\n"}
{"ImportPath":"example/ch [example/ch.test]","Action":"build-fail"}
{"Action":"start","Package":"example/ch"}
{"Action":"output","Package":"example/ch","Output":"FAIL\texample/ch [build failed]\n"}
{"Action":"fail","Package":"example/ch","Elapsed":0,"FailedBuild":"example/ch [example/ch.test]"}
`

func TestParseTestJSONBuildFailure(t *testing.T) {
	results, err := ParseTestJSON(strings.NewReader(buildFailJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].Action != "fail" || results[0].Name != "" {
		t.Fatalf("a build failure must show as the package's failure, got %+v", results)
	}
	var out bytes.Buffer
	PrintResults(&out, results, Style{})
	if !strings.Contains(out.String(), "./uts.go:3:23: undefined: x") {
		t.Errorf("the compiler's error is not shown:\n%s", out.String())
	}
}
