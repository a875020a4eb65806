package workshop

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const fixturePage = "# Chapter 7: Fixtures\n" +
	"\n" +
	"Intro text.\n" +
	"\n" +
	"```console\n" +
	"$ make build\n" +
	"go build -o bin/ ./cmd/...\n" +
	"```\n" +
	"\n" +
	"## 7.1 First step\n" +
	"<!-- step: fix.first -->\n" +
	"\n" +
	"Text with `code`.\n" +
	"\n" +
	"```go\n" +
	"## not a heading inside code\n" +
	"```\n" +
	"\n" +
	"```console\n" +
	"$ echo one \\\n" +
	"  two\n" +
	"one two\n" +
	"$ true\n" +
	"```\n" +
	"\n" +
	"## 7.2 Second step\n" +
	"<!-- step: fix.second -->\n" +
	"Last.\n"

func TestParsePage(t *testing.T) {
	p, err := ParsePage("07-fixtures.md", fixturePage)
	if err != nil {
		t.Fatal(err)
	}
	if p.Chapter != 7 || p.Title != "Chapter 7: Fixtures" {
		t.Errorf("chapter %d %q, want 7 \"Chapter 7: Fixtures\"", p.Chapter, p.Title)
	}
	var got []string
	for _, s := range p.Sections {
		got = append(got, s.Number+" "+s.Title+" "+s.StepID)
	}
	want := []string{"7.1 First step fix.first", "7.2 Second step fix.second"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if strings.Contains(p.Sections[0].Body, "<!--") {
		t.Errorf("the step marker is left in the section's body:\n%s", p.Sections[0].Body)
	}
	if !strings.Contains(p.Sections[0].Body, "## not a heading inside code") {
		t.Errorf("a ## line inside a code block ended the section")
	}
	wantBlocks := []Block{
		{Line: 5, Commands: []Command{{Line: 6, Cmd: "make build", Want: []string{"go build -o bin/ ./cmd/..."}}}},
		{Line: 19, Commands: []Command{
			{Line: 20, Cmd: "echo one \\\n  two", Want: []string{"one two"}},
			{Line: 23, Cmd: "true"},
		}},
	}
	if diff := cmp.Diff(wantBlocks, p.Blocks); diff != "" {
		t.Errorf("console blocks (-want +got):\n%s", diff)
	}
}

func TestParsePageErrors(t *testing.T) {
	tests := []struct {
		name, file, text, want string
	}{
		{"a step in a guide", "guide.md", "## 1.1 Title\n<!-- step: a.b -->\n", "no chapter's"},
		{"section without marker", "01-x.md", "## 1.1 Title\ntext\n", "has no <!-- step: ID --> marker"},
		{"marker without section", "01-x.md", "# x\n<!-- step: a.b -->\n", "must come right under"},
		{"unclosed block", "01-x.md", "```console\n$ ls\n", "never closed"},
		{"output before command", "01-x.md", "```console\nhello\n```\n", "starts with a \"$ command\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePage(tt.file, tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParsePage = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestMatchOutput(t *testing.T) {
	tests := []struct {
		name string
		want []string
		got  string
		ok   bool
	}{
		{"exact", []string{"a", "b"}, "a\nb\n", true},
		{"trailing space and blank lines", []string{"a"}, "a  \n\n", true},
		{"different", []string{"a"}, "b\n", false},
		{"missing line", []string{"a", "b"}, "a\n", false},
		{"extra line", []string{"a"}, "a\nb\n", false},
		{"dots in a line", []string{"pid ... of the host"}, "pid 4242 of the host\n", true},
		{"dots in a line must match the rest", []string{"pid ... of the host"}, "pid 4242 of a VM\n", false},
		{"dots line skips lines", []string{"a", "...", "z"}, "a\nb\nc\nz\n", true},
		{"dots line skips none", []string{"a", "...", "z"}, "a\nz\n", true},
		{"indented dots line skips lines", []string{"a", "  ...", "z"}, "a\n  b\n  c\nz\n", true},
		{"dots line at the end", []string{"a", "..."}, "a\nb\n", true},
		{"columns shift with a wildcard", []string{"fchdir(...)    stand"}, "fchdir(10)  stand\n", true},
		{"single spaces stay exact", []string{"fchdir(...) stand"}, "fchdir(10)stand\n", false},
		{"regexp characters are literal", []string{"a.b (c)"}, "axb (c)\n", false},
		{"a header's gaps shift with its columns", []string{"CREATED         STATUS   NAMES"}, "CREATED        STATUS      NAMES\n", true},
		{"a gap stays a gap", []string{"CREATED   STATUS"}, "CREATED STATUS\n", false},
		{"a header's words are exact", []string{"CREATED   STATUS"}, "CREATED   STATE\n", false},
		{"indentation is exact", []string{"  jail# ls"}, "      jail# ls\n", false},
		{"single spaces in a line are exact", []string{"Exited (0)"}, "Exited  (0)\n", false},
		{"nothing", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchOutput(tt.want, tt.got); got != tt.ok {
				t.Errorf("MatchOutput(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
			}
		})
	}
}
