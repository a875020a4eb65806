package workshop

import (
	"regexp"
	"strings"
)

// MatchOutput reports whether got (a command's output) is what a page shows,
// want. In want, a line that is just "..." (indented or not) stands for any
// number of lines,
// and "..." inside a line stands for any text: for PIDs, times and digests.
// Where "..." stands in a line, columns may shift: a run of two or more
// spaces in want matches any run of spaces. Trailing spaces and trailing
// empty lines do not count.
func MatchOutput(want []string, got string) bool {
	return matchLines(trimLines(want), trimLines(strings.Split(got, "\n")))
}

func trimLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(l, " \t\r")
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "..." {
		for skip := 0; skip <= len(got); skip++ {
			if matchLines(want[1:], got[skip:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && lineMatches(want[0], got[0]) && matchLines(want[1:], got[1:])
}

var spaceRun = regexp.MustCompile(`  +`)

func lineMatches(want, got string) bool {
	if !strings.Contains(want, "...") {
		return want == got
	}
	parts := strings.Split(want, "...")
	for i, p := range parts {
		parts[i] = spaceRun.ReplaceAllString(regexp.QuoteMeta(p), " +")
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$").MatchString(got)
}
