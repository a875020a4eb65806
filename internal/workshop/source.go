package workshop

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The exercises are functions of the reference code, marked in their doc
// comment with a directive line:
//
//	//workshop:exercise ns.hostname
//
// Practice mode rewrites a copy of the function's file: the body of each
// exercise becomes a stub that fails naming it (the learner's starting
// point), and, for a run, the reference body goes back in where the
// learner has not passed the exercise yet. Both are done on the syntax
// tree, never by hand, so the stubs cannot drift from the reference.

// markerPrefix starts an exercise's directive line.
const markerPrefix = "//workshop:exercise "

// Marker is an exercise's place in the reference code.
type Marker struct {
	ID   string
	File string // as given to FindMarkers
	Func string // the function's name; Type.Method for a method
}

// FindMarkers returns the exercises marked in the Go source src of file.
func FindMarkers(file string, src []byte) ([]Marker, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var found []Marker
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Doc == nil {
			continue
		}
		for _, c := range fd.Doc.List {
			id, ok := strings.CutPrefix(c.Text, markerPrefix)
			if !ok {
				continue
			}
			id = strings.TrimSpace(id)
			if !validExerciseID.MatchString(id) {
				return nil, fmt.Errorf("%s: exercise ID %q: want lowercase words joined by dots, like ns.hostname", fset.Position(c.Pos()), id)
			}
			if fd.Body == nil {
				return nil, fmt.Errorf("%s: exercise %s marks a function without a body", fset.Position(c.Pos()), id)
			}
			found = append(found, Marker{ID: id, File: file, Func: funcName(fd)})
		}
	}
	return found, nil
}

var validExerciseID = regexp.MustCompile(`^[a-z0-9]+(\.[a-z0-9-]+)+$`)

// funcName is "name", or "Type.name" for a method.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if g, ok := t.(*ast.IndexExpr); ok { // a generic type's method
		t = g.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// FuncSource returns the text of function name in src, doc comment and
// all, as the tutorial shows it.
func FuncSource(src []byte, name string) (string, error) {
	fset, fd, err := parseFunc(src, name)
	if err != nil {
		return "", err
	}
	start := fd.Pos()
	if fd.Doc != nil {
		start = fd.Doc.Pos()
	}
	return string(src[fset.Position(start).Offset:fset.Position(fd.End()).Offset]), nil
}

// FuncBody returns the text between the braces of function name's body.
func FuncBody(src []byte, name string) (string, error) {
	fset, fd, err := parseFunc(src, name)
	if err != nil {
		return "", err
	}
	return string(src[fset.Position(fd.Body.Lbrace).Offset+1 : fset.Position(fd.Body.Rbrace).Offset]), nil
}

// parseFunc parses src and finds function name in it.
func parseFunc(src []byte, name string) (*token.FileSet, *ast.FuncDecl, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, nil, err
	}
	fd := findFunc(f, name)
	if fd == nil {
		return nil, nil, fmt.Errorf("no function %s", name)
	}
	return fset, fd, nil
}

func findFunc(f *ast.File, name string) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && funcName(fd) == name {
			return fd
		}
	}
	return nil
}

// StubBody is the body a learner starts from: the TODO, and a return of
// an error that names the exercise (a panic, for a function that returns
// no error), so that the exercise's tests fail saying whose turn it is.
func StubBody(src []byte, name string, ex *Exercise) (string, error) {
	_, fd, err := parseFunc(src, name)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("\n")
	for _, line := range wrap("TODO("+ex.ID+"): "+ex.Todo, 70) {
		b.WriteString("\t// " + line + "\n")
	}
	b.WriteString("\t// Stuck? workshop practice hint " + ex.ID + "\n")
	msg := strconv.Quote("exercise " + ex.ID + " is not written yet: write " + name + " (workshop practice hint " + ex.ID + ")")
	results, hasErr := zeroResults(fd.Type.Results, "errors.New("+msg+")")
	if hasErr {
		b.WriteString("\treturn " + results + "\n")
	} else {
		b.WriteString("\tpanic(" + msg + ")\n")
	}
	return b.String(), nil
}

// zeroResults returns the zero value of each result, with errExpr for the
// last one if it is an error.
func zeroResults(results *ast.FieldList, errExpr string) (string, bool) {
	if results == nil {
		return "", false
	}
	var types []ast.Expr
	for _, r := range results.List {
		n := len(r.Names)
		if n == 0 {
			n = 1
		}
		for range n {
			types = append(types, r.Type)
		}
	}
	last, ok := types[len(types)-1].(*ast.Ident)
	if !ok || last.Name != "error" {
		return "", false
	}
	var zeros []string
	for _, t := range types[:len(types)-1] {
		zeros = append(zeros, zeroOf(t))
	}
	return strings.Join(append(zeros, errExpr), ", "), true
}

func zeroOf(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		switch t.Name {
		case "bool":
			return "false"
		case "string":
			return `""`
		case "error", "any":
			return "nil"
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
			"uintptr", "byte", "rune", "float32", "float64", "complex64", "complex128":
			return "0"
		}
	case *ast.StarExpr, *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType:
		if a, ok := t.(*ast.ArrayType); !ok || a.Len == nil {
			return "nil"
		}
	}
	var b bytes.Buffer
	format.Node(&b, token.NewFileSet(), t)
	return "*new(" + b.String() + ")"
}

// wrap breaks text into lines of at most width runes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// ReplaceBodies returns src with the bodies of the named functions
// replaced by the given text (what goes between the braces), its imports
// made right: those no longer used go, and those now used are taken from
// known (import path by package name), and the whole formatted.
func ReplaceBodies(src []byte, bodies map[string]string, known map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	type cut struct {
		from, to int
		body     string
	}
	var cuts []cut
	for name, body := range bodies {
		fd := findFunc(f, name)
		if fd == nil {
			return nil, fmt.Errorf("no function %s to replace", name)
		}
		cuts = append(cuts, cut{fset.Position(fd.Body.Lbrace).Offset + 1, fset.Position(fd.Body.Rbrace).Offset, body})
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].from > cuts[j].from })
	out := append([]byte{}, src...)
	for _, c := range cuts {
		out = append(out[:c.from], append([]byte(c.body), out[c.to:]...)...)
	}
	return FixImports(out, known)
}

// FixImports drops the imports src does not use and adds those it uses
// but lacks, from known (import path by package name; "errors" is always
// known), then formats it.
func FixImports(src []byte, known map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	used := usedPackages(f)
	have := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		specs := g.Specs[:0]
		for _, s := range g.Specs {
			is := s.(*ast.ImportSpec)
			name := importName(is)
			if name == "_" || name == "." || used[name] {
				specs = append(specs, s)
				have[name] = true
			}
		}
		g.Specs = specs
	}
	var add []string
	for name := range used {
		if have[name] {
			continue
		}
		p, ok := known[name]
		if !ok && name == "errors" {
			p, ok = "errors", true
		}
		if ok {
			add = append(add, importLine(name, p))
		}
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	out := b.Bytes()
	if len(add) > 0 {
		sort.Strings(add)
		out = insertImports(out, add)
	}
	// Formatting again removes what emptied import blocks left, and sorts.
	res, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("format: %w\n%s", err, out)
	}
	return res, nil
}

func importLine(name, p string) string {
	if guessName(p) == name {
		return strconv.Quote(p)
	}
	return name + " " + strconv.Quote(p)
}

// insertImports adds import lines to the first import block, or makes a
// block after the package clause if there is none.
func insertImports(src []byte, lines []string) []byte {
	add := "\t" + strings.Join(lines, "\n\t") + "\n"
	if i := bytes.Index(src, []byte("\nimport (\n")); i >= 0 {
		at := i + len("\nimport (\n")
		// The standard library's imports go in a group of their own
		// above the others, as goimports keeps them.
		if first, _, _ := strings.Cut(string(src[at:]), "\n"); !isStd(first) && allStd(lines) {
			add += "\n"
		}
		return append(append(append([]byte{}, src[:at]...), add...), src[at:]...)
	}
	if m := singleImport.FindIndex(src); m != nil {
		one := strings.TrimPrefix(strings.TrimSpace(string(src[m[0]:m[1]])), "import ")
		block := "\nimport (\n" + add + "\t" + one + "\n)\n"
		return append(append(append([]byte{}, src[:m[0]]...), block...), src[m[1]:]...)
	}
	m := packageClause.FindIndex(src)
	if m == nil {
		return src
	}
	block := "\nimport (\n" + add + ")\n"
	return append(append(append([]byte{}, src[:m[1]]...), block...), src[m[1]:]...)
}

// isStd reports whether an import line names a standard library package:
// one whose path has no dot in its first element.
func isStd(line string) bool {
	q := strings.Index(line, `"`)
	if q < 0 {
		return true
	}
	p := strings.Trim(line[q:], `"`)
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

func allStd(lines []string) bool {
	for _, l := range lines {
		if !isStd(l) {
			return false
		}
	}
	return true
}

var (
	singleImport  = regexp.MustCompile(`(?m)^import (\w+ )?"[^"]+"\n`)
	packageClause = regexp.MustCompile(`(?m)^package \w+\n`)
)

// usedPackages returns the names used as X in X.Sel where X is not
// declared in the file: the packages the code refers to.
func usedPackages(f *ast.File) map[string]bool {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

// Imports returns the imports of src by package name.
func Imports(src []byte) (map[string]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, is := range f.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		m[importName(is)] = p
	}
	return m, nil
}

func importName(is *ast.ImportSpec) string {
	if is.Name != nil {
		return is.Name.Name
	}
	p, _ := strconv.Unquote(is.Path.Value)
	return guessName(p)
}

// guessName is the package name an import path usually has: its last
// element, without a major version ("math/rand/v2" is rand). This
// project names its chapters' packages in every import.
func guessName(p string) string {
	base := path.Base(p)
	if regexp.MustCompile(`^v[0-9]+$`).MatchString(base) && path.Dir(p) != "." {
		base = path.Base(path.Dir(p))
	}
	return base
}
