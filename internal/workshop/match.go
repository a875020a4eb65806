package workshop

import (
	"regexp"
	"strings"
)

// MatchOutput reports whether got (a command's output) is what a page shows,
// want. In want:
//   - a line that is just "..." (indented or not) stands for any number of
//     lines;
//   - "..." inside a line stands for any text: PIDs, times, digests;
//   - a run of two or more spaces after a line's indentation is a column
//     gap, and matches any gap of two or more spaces: a table whose columns
//     are as wide as their widest cell (as `docker ps` prints them) shifts
//     with its contents. In a line with "...", where a value of unknown
//     width may fill its column, a gap matches any run of spaces.
//
// Indentation, single spaces and everything else are exact. Trailing spaces
// and trailing empty lines do not count.
func MatchOutput(want []string, got string) bool {
	want = trimLines(want)
	patterns := make([]*regexp.Regexp, len(want))
	for i, w := range want {
		if strings.TrimSpace(w) != "..." {
			patterns[i] = linePattern(w)
		}
	}
	return matchLines(patterns, trimLines(strings.Split(got, "\n")))
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

// matchLines matches got against the patterns of want's lines; a nil
// pattern is a "..." line.
func matchLines(want []*regexp.Regexp, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == nil {
		for skip := 0; skip <= len(got); skip++ {
			if matchLines(want[1:], got[skip:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && want[0].MatchString(got[0]) && matchLines(want[1:], got[1:])
}

var gap = regexp.MustCompile(`  +`)

// linePattern turns a shown line into the regexp that its output must
// match (see MatchOutput).
func linePattern(want string) *regexp.Regexp {
	body := strings.TrimLeft(want, " ")
	indent := want[:len(want)-len(body)]
	gapPattern := " {2,}"
	if strings.Contains(body, "...") {
		gapPattern = " +"
	}
	parts := strings.Split(body, "...")
	for i, p := range parts {
		parts[i] = gap.ReplaceAllString(regexp.QuoteMeta(p), gapPattern)
	}
	return regexp.MustCompile("^" + regexp.QuoteMeta(indent) + strings.Join(parts, ".*") + "$")
}
