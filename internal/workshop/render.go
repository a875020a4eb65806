package workshop

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

var inlineCode = regexp.MustCompile("`([^`]+)`")

// Render prints a section of markdown for reading in a terminal: headings
// bold, code blocks indented, `code` highlighted. Without colour it prints
// the same layout in plain text.
//
// A <details> block (an exercise's reference, on the pages) stays folded,
// as a browser shows it: `workshop practice solution` opens it once the
// learner's exercise passes.
func Render(w io.Writer, markdown string, s Style) {
	inCode, folded := false, false
	for _, line := range strings.Split(strings.TrimRight(markdown, "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "<details>"):
			folded = true
			fmt.Fprintln(w, s.Dim("(folded here: the reference, which `workshop practice solution` shows you once your exercise passes)"))
			continue
		case strings.HasPrefix(trimmed, "</details>"):
			folded = false
			continue
		case folded:
			continue
		case strings.HasPrefix(trimmed, "```"):
			inCode = !inCode
			continue
		case inCode:
			fmt.Fprintf(w, "    %s\n", s.Cyan(line))
		case strings.HasPrefix(line, "#"):
			fmt.Fprintf(w, "%s\n", s.Bold(strings.TrimLeft(line, "# ")))
		case strings.HasPrefix(trimmed, "<!--"):
			continue
		default:
			if s.Color {
				line = inlineCode.ReplaceAllString(line, s.Cyan("$1"))
			}
			fmt.Fprintln(w, line)
		}
	}
}
