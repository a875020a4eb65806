package namespaces

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
)

// The text of the namespace viewer: a /proc/<pid>/ns link's target, read,
// and the comparison, printed. Pure functions, tested without root.

// ParseNamespaceLink parses the target of a /proc/<pid>/ns/* link, such as
// "uts:[4026531838]", into its type and inode number.
func ParseNamespaceLink(link string) (typ string, inode uint64, err error) {
	typ, rest, ok := strings.Cut(link, ":[")
	num, closed := strings.CutSuffix(rest, "]")
	if !ok || !closed || typ == "" {
		return "", 0, fmt.Errorf("namespace link %q: want TYPE:[INODE]", link)
	}
	inode, err = strconv.ParseUint(num, 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("namespace link %q: inode: %w", link, err)
	}
	return typ, inode, nil
}

// FormatNamespaces prints rows as a table, like lsns side by side.
func FormatNamespaces(rows []NamespaceRow) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TYPE\tHOST\tCONTAINER")
	for _, r := range rows {
		state := "shared"
		if r.Isolated() {
			state = "isolated"
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", r.Type, r.Host, r.Container, state)
	}
	w.Flush()
	return b.String()
}
