package workshop

import (
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

// Replacing a body changes which packages a file uses: the imports follow,
// written as goimports writes them.

// FixImports drops the imports src does not use and adds those it uses
// but lacks, from known (import path by package name; "errors" is always
// known), then formats it. The imports come out as goimports writes them:
// one import on one line; more in a block, the standard library's first,
// then a blank line and the rest, each group sorted by path. A reference
// file in that form comes back the same after a stub and its body.
func FixImports(src []byte, known map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	used := usedPackages(f)
	have := map[string]bool{}
	var lines []string // the imports kept and added, as they are written
	var from, to = -1, -1
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		if from < 0 {
			from = fset.Position(g.Pos()).Offset
		}
		to = fset.Position(g.End()).Offset
		for _, sp := range g.Specs {
			is := sp.(*ast.ImportSpec)
			name := importName(is)
			if name != "_" && name != "." && !used[name] {
				continue
			}
			have[name] = true
			line := string(src[fset.Position(is.Pos()).Offset:fset.Position(is.End()).Offset])
			if is.Comment != nil {
				line += " " + commentText(is.Comment)
			}
			lines = append(lines, line)
		}
	}
	for name := range used {
		if have[name] {
			continue
		}
		p, ok := known[name]
		if !ok && name == "errors" {
			p, ok = "errors", true
		}
		if ok {
			lines = append(lines, importLine(name, p))
		}
	}
	block := importBlock(lines)
	var out []byte
	if from >= 0 {
		out = append(append(append([]byte{}, src[:from]...), block...), src[to:]...)
	} else if m := packageClause.FindIndex(src); m != nil && block != "" {
		out = append(append(append([]byte{}, src[:m[1]]...), "\n"+block+"\n"...), src[m[1]:]...)
	} else {
		out = src
	}
	res, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("format: %w\n%s", err, out)
	}
	return res, nil
}

func commentText(g *ast.CommentGroup) string {
	var parts []string
	for _, c := range g.List {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, " ")
}

// importBlock writes import lines as goimports does.
func importBlock(lines []string) string {
	switch len(lines) {
	case 0:
		return ""
	case 1:
		return "import " + lines[0]
	}
	var std, rest []string
	for _, l := range lines {
		if isStd(l) {
			std = append(std, l)
		} else {
			rest = append(rest, l)
		}
	}
	byPath := func(group []string) {
		sort.SliceStable(group, func(i, j int) bool { return importPath(group[i]) < importPath(group[j]) })
	}
	byPath(std)
	byPath(rest)
	var b strings.Builder
	b.WriteString("import (\n")
	for _, l := range std {
		b.WriteString("\t" + l + "\n")
	}
	if len(std) > 0 && len(rest) > 0 {
		b.WriteString("\n")
	}
	for _, l := range rest {
		b.WriteString("\t" + l + "\n")
	}
	b.WriteString(")")
	return b.String()
}

// importPath is the quoted path of an import line.
func importPath(line string) string {
	q := strings.Index(line, `"`)
	if q < 0 {
		return line
	}
	end := strings.Index(line[q+1:], `"`)
	if end < 0 {
		return line[q:]
	}
	return line[q+1 : q+1+end]
}

func importLine(name, p string) string {
	if guessName(p) == name {
		return strconv.Quote(p)
	}
	return name + " " + strconv.Quote(p)
}

// isStd reports whether an import line names a standard library package:
// one whose path has no dot in its first element.
func isStd(line string) bool {
	first, _, _ := strings.Cut(importPath(line), "/")
	return !strings.Contains(first, ".")
}

var packageClause = regexp.MustCompile(`(?m)^package \w+\n`)

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
