package workshop

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"
	"strconv"
	"strings"
)

// A stub is what the learner starts from: the exercise's body replaced,
// its doc comment and signature kept.

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

// wrap breaks text into lines of at most width bytes, at spaces.
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
