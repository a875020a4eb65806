package workshop

import (
	"bytes"
	"strings"
	"testing"
)

func TestRenderFoldsTheReference(t *testing.T) {
	md := "## 2.1 Title\n<!-- step: ns.uts -->\n\nText with `code`.\n\n```console\n$ run\nout\n```\n\n" +
		"<details><summary>The reference</summary>\n\n```go\nfunc secret() {}\n```\n\n</details>\n\nAfter.\n"
	var b bytes.Buffer
	Render(&b, md, Style{})
	got := b.String()
	for _, want := range []string{"2.1 Title\n", "Text with `code`.\n", "    $ run\n    out\n", "(folded here: the reference", "After.\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("Render lacks %q:\n%s", want, got)
		}
	}
	for _, hidden := range []string{"secret", "<details>", "<!--", "```"} {
		if strings.Contains(got, hidden) {
			t.Errorf("Render shows %q:\n%s", hidden, got)
		}
	}
}
