package workshop

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const fixtureSource = `package uts

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// setHostname gives the namespace its name.
//
//workshop:exercise ns.hostname
func setHostname(name string) error {
	if err := unix.Sethostname([]byte(name)); err != nil {
		return fmt.Errorf("sethostname %s: %w", name, err)
	}
	return nil
}

// lookup is not an exercise.
func lookup() (string, int, []byte, error) { return "", 0, nil, nil }

//workshop:exercise ns.count
func (c *counter) add(n int) int {
	c.n += n
	return c.n
}

type counter struct{ n int }
`

func TestFindMarkers(t *testing.T) {
	got, err := FindMarkers("uts.go", []byte(fixtureSource))
	if err != nil {
		t.Fatal(err)
	}
	want := []Marker{{ID: "ns.hostname", File: "uts.go", Func: "setHostname"}, {ID: "ns.count", File: "uts.go", Func: "counter.add"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindMarkers (-want +got):\n%s", diff)
	}
	bad := strings.Replace(fixtureSource, "ns.hostname", "Not An ID", 1)
	if _, err := FindMarkers("uts.go", []byte(bad)); err == nil || !strings.Contains(err.Error(), "uts.go:11") {
		t.Errorf("FindMarkers of a bad ID = %v, want an error with its place", err)
	}
}

func TestStubFailsNamingTheExercise(t *testing.T) {
	ex := &Exercise{ID: "ns.hostname", Todo: "Give the container its own hostname with sethostname(2)."}
	body, err := StubBody([]byte(fixtureSource), "setHostname", ex)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ReplaceBodies([]byte(fixtureSource), map[string]string{"setHostname": body}, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := string(out)
	for _, want := range []string{
		"// TODO(ns.hostname): Give the container its own hostname with",
		"// Stuck? workshop practice hint ns.hostname",
		`return errors.New("exercise ns.hostname is not written yet: write setHostname (workshop practice hint ns.hostname)")`,
		"import \"errors\"\n", // added, the only import left
		"func lookup() (string, int, []byte, error) { return \"\", 0, nil, nil }", // untouched
		"//workshop:exercise ns.hostname\nfunc setHostname(name string) error {",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the stubbed file lacks %q:\n%s", want, src)
		}
	}
	// unix and fmt were used only by the reference body: they go, or the
	// stub would not compile.
	for _, gone := range []string{"golang.org/x/sys/unix", `"fmt"`, "Sethostname"} {
		if strings.Contains(src, gone) {
			t.Errorf("the stubbed file still has %q:\n%s", gone, src)
		}
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "", out, 0); err != nil {
		t.Errorf("the stubbed file does not parse: %v", err)
	}
}

func TestStubOfAFunctionWithoutAnError(t *testing.T) {
	ex := &Exercise{ID: "ns.count", Todo: "Add n."}
	body, err := StubBody([]byte(fixtureSource), "counter.add", ex)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `panic("exercise ns.count is not written yet`) {
		t.Errorf("stub of a function without an error result = %q, want a panic naming it", body)
	}
}

func TestZeroResults(t *testing.T) {
	src := "package p\nfunc f() (a, b string, c *int, d [2]int, e T, f []byte, g map[int]int, h pkg.Type, err error) {}\n"
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := zeroResults(findFunc(f, "f").Type.Results, "E")
	want := `"", "", nil, *new([2]int), *new(T), nil, nil, *new(pkg.Type), E`
	if !ok || got != want {
		t.Errorf("zeroResults = %q, %v; want %q", got, ok, want)
	}
}

// TestSpliceTheReferenceBack: a learner's file whose stub is replaced by
// the reference body gets the imports that body needs.
func TestSpliceTheReferenceBack(t *testing.T) {
	src := []byte(fixtureSource)
	ex := &Exercise{ID: "ns.hostname", Todo: "x"}
	stub, _ := StubBody(src, "setHostname", ex)
	mine, err := ReplaceBodies(src, map[string]string{"setHostname": stub}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := FuncBody(src, "setHostname")
	known, _ := Imports(src)
	back, err := ReplaceBodies(mine, map[string]string{"setHostname": ref}, known)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"golang.org/x/sys/unix"`, `"fmt"`, "unix.Sethostname([]byte(name))"} {
		if !strings.Contains(string(back), want) {
			t.Errorf("spliced file lacks %q:\n%s", want, back)
		}
	}
	if strings.Contains(string(back), `"errors"`) {
		t.Errorf("spliced file keeps the stub's errors import:\n%s", back)
	}
}

func TestFuncSource(t *testing.T) {
	got, err := FuncSource([]byte(fixtureSource), "setHostname")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "// setHostname gives") || !strings.HasSuffix(got, "return nil\n}") {
		t.Errorf("FuncSource = %q", got)
	}
	if _, err := FuncSource([]byte(fixtureSource), "nosuch"); err == nil {
		t.Error("FuncSource of a missing function: want an error")
	}
}

func TestLineDiff(t *testing.T) {
	got := LineDiff("a\nb\nc", "a\nx\nc")
	want := " a\n-b\n+x\n c\n"
	if got != want {
		t.Errorf("LineDiff = %q, want %q", got, want)
	}
}

// TestFixImportsWritesThemAsGoimports: one import on a line of its own,
// more in a block with the standard library first; what a stub drops and
// its reference body adds back comes back the same.
func TestFixImportsWritesThemAsGoimports(t *testing.T) {
	known := map[string]string{"chroot": "example.com/chapters/01-chroot", "unix": "golang.org/x/sys/unix", "fmt": "fmt"}
	tests := []struct{ name, src, want string }{
		{"added to a block", "package p\n\nimport (\n\t\"os\"\n)\n\nvar _ = os.Args\nvar _ = errors.New\n",
			"package p\n\nimport (\n\t\"errors\"\n\t\"os\"\n)\n\nvar _ = os.Args\nvar _ = errors.New\n"},
		{"added to one import", "package p\n\nimport \"os\"\n\nvar _ = os.Args\nvar _ = errors.New\n",
			"package p\n\nimport (\n\t\"errors\"\n\t\"os\"\n)\n\nvar _ = os.Args\nvar _ = errors.New\n"},
		{"added to none", "package p\n\nvar _ = errors.New\n",
			"package p\n\nimport \"errors\"\n\nvar _ = errors.New\n"},
		{"an alias from known", "package p\n\nvar _ = chroot.Init\n",
			"package p\n\nimport chroot \"example.com/chapters/01-chroot\"\n\nvar _ = chroot.Init\n"},
		{"one dropped from the middle of a group", "package p\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n\t\"os\"\n\n\t\"golang.org/x/sys/unix\"\n)\n\nvar _ = errors.New\nvar _ = os.Args\nvar _ = unix.Getpid\n",
			"package p\n\nimport (\n\t\"errors\"\n\t\"os\"\n\n\t\"golang.org/x/sys/unix\"\n)\n\nvar _ = errors.New\nvar _ = os.Args\nvar _ = unix.Getpid\n"},
		{"the only one dropped", "package p\n\nimport \"fmt\"\n\nvar x = 1\n", "package p\n\nvar x = 1\n"},
		{"a group emptied", "package p\n\nimport (\n\t\"os\"\n\n\t\"golang.org/x/sys/unix\"\n)\n\nvar _ = os.Args\n",
			"package p\n\nimport \"os\"\n\nvar _ = os.Args\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FixImports([]byte(tt.src), known)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("FixImports (-want +got):\n%s", diff)
			}
		})
	}
}
