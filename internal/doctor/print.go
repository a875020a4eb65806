package doctor

import (
	"fmt"
	"io"
	"strings"
)

// ANSI colors for the marks: green, yellow, red.
const (
	colorGreen  = "\x1b[32m"
	colorYellow = "\x1b[33m"
	colorRed    = "\x1b[31m"
	colorReset  = "\x1b[0m"
)

func mark(s Status) (symbol, color string) {
	switch s {
	case OK:
		return "✓", colorGreen
	case Warn:
		return "!", colorYellow
	}
	return "✗", colorRed
}

// Print writes one aligned line per check (mark, name, detail), the fix of
// each problem on the line below it, and a closing verdict. color adds ANSI
// colors; pass false when w is not a terminal or NO_COLOR is set.
//
//	✓ root             running as root (euid 0)
//	✗ busybox          no busybox on $PATH, in /bin or in /usr/bin
//	    fix: sudo apt-get install busybox-static
func Print(w io.Writer, checks []Check, color bool) {
	paint := func(s, c string) string {
		if !color {
			return s
		}
		return c + s + colorReset
	}
	width := 0
	for _, c := range checks {
		width = max(width, len(c.Name))
	}
	var b strings.Builder
	warns, fails := 0, 0
	for _, c := range checks {
		symbol, col := mark(c.Status)
		fmt.Fprintf(&b, "%s %-*s  %s\n", paint(symbol, col), width, c.Name, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(&b, "    fix: %s\n", c.Fix)
		}
		switch c.Status {
		case OK:
		case Warn:
			warns++
		default:
			fails++
		}
	}
	b.WriteString("\n")
	switch {
	case fails > 0:
		b.WriteString(paint(fmt.Sprintf("%s: fix the ✗ lines first", plural(fails+warns, "problem")), colorRed))
	case warns > 0:
		b.WriteString(paint(fmt.Sprintf("%s: the workshop can run; see the ! lines", plural(warns, "warning")), colorYellow))
	default:
		b.WriteString(paint("all checks passed", colorGreen))
	}
	b.WriteString("\n")
	// Print has no error to return: when the terminal is gone there is
	// nobody left to tell.
	_, _ = io.WriteString(w, b.String())
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
