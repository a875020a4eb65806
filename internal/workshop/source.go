package workshop

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"sort"
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

// funcBodyAt is FuncBody, with the line of the body's opening brace.
func funcBodyAt(src []byte, name string) (string, int, error) {
	fset, fd, err := parseFunc(src, name)
	if err != nil {
		return "", 0, err
	}
	open := fset.Position(fd.Body.Lbrace)
	return string(src[open.Offset+1 : fset.Position(fd.Body.Rbrace).Offset]), open.Line, nil
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
