package workshop

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Page is one tutorial page, parsed.
type Page struct {
	File     string // "01-chroot.md"
	Chapter  int    // from the file name's prefix
	Title    string // the page's "# " heading
	Sections []Section
	Blocks   []Block // every ```console block, in order
}

// Section is a step's part of a page: from its "## N.M Title" heading to the
// next "## " heading.
type Section struct {
	Number string // "1.2"
	Title  string // "Into the jail"
	StepID string // from the <!-- step: ID --> marker under the heading
	Body   string // the markdown text of the section, heading included
	Line   int
}

// Block is a ```console block: commands, each with the output the page
// shows for it.
type Block struct {
	Line     int
	Commands []Command
}

// Command is one "$ command" line of a console block and the lines after it.
type Command struct {
	Line int
	Cmd  string
	Want []string
}

var (
	sectionRe = regexp.MustCompile(`^## (\d+\.\d+) (.+)$`)
	markerRe  = regexp.MustCompile(`^<!-- step: ([a-z0-9.-]+) -->$`)
)

// ParsePage parses a tutorial page. name is its file name, "NN-topic.md".
func ParsePage(name string, text string) (*Page, error) {
	// A chapter's page is named for its number, "01-chroot.md"; any other
	// page (a guide) is chapter -1 and has no steps.
	p := &Page{File: name, Chapter: -1}
	if num, _, ok := strings.Cut(name, "-"); ok && len(num) == 2 {
		if ch, err := strconv.Atoi(num); err == nil {
			p.Chapter = ch
		}
	}

	lines := strings.Split(text, "\n")
	var cur *Section
	var body []string
	closeSection := func() {
		if cur != nil {
			cur.Body = strings.TrimRight(strings.Join(body, "\n"), "\n") + "\n"
			p.Sections = append(p.Sections, *cur)
			cur = nil
		}
	}
	var block *Block
	fence := ""
	for i, line := range lines {
		n := i + 1
		if block != nil {
			if strings.TrimSpace(line) == fence {
				p.Blocks = append(p.Blocks, *block)
				block, fence = nil, ""
			} else if err := block.add(n, line); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, n, err)
			}
		} else if fence != "" {
			if strings.TrimSpace(line) == fence {
				fence = ""
			}
		} else if f, lang, ok := fenceOpen(line); ok {
			fence = f
			if lang == "console" {
				block = &Block{Line: n}
			}
		} else if strings.HasPrefix(line, "# ") && p.Title == "" {
			p.Title = strings.TrimSpace(line[2:])
		} else if strings.HasPrefix(line, "## ") {
			closeSection()
			if m := sectionRe.FindStringSubmatch(line); m != nil {
				cur = &Section{Number: m[1], Title: strings.TrimSpace(m[2]), Line: n}
				body = nil
			}
		} else if m := markerRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if cur == nil || cur.StepID != "" {
				return nil, fmt.Errorf("%s:%d: step marker %q must come right under a \"## N.M Title\" heading", name, n, m[1])
			}
			cur.StepID = m[1]
			continue // the marker is for the runner, not the reader
		}
		if cur != nil {
			body = append(body, line)
		}
	}
	if fence != "" {
		return nil, fmt.Errorf("%s: a code block is never closed", name)
	}
	closeSection()
	if p.Chapter < 0 && len(p.Sections) > 0 {
		return nil, fmt.Errorf("%s:%d: a step section in a page that is no chapter's: name the page NN-topic.md", name, p.Sections[0].Line)
	}
	for _, s := range p.Sections {
		if s.StepID == "" {
			return nil, fmt.Errorf("%s:%d: section %s %q has no <!-- step: ID --> marker under its heading", name, s.Line, s.Number, s.Title)
		}
	}
	return p, nil
}

func fenceOpen(line string) (fence, lang string, ok bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "```") {
		return "", "", false
	}
	return "```", strings.TrimSpace(strings.TrimLeft(t, "`")), true
}

// add reads one line of a console block: "$ cmd" starts a command, a line
// ending in "\" continues it, anything else is its expected output.
func (b *Block) add(n int, line string) error {
	if cmd, ok := strings.CutPrefix(line, "$ "); ok {
		b.Commands = append(b.Commands, Command{Line: n, Cmd: cmd})
		return nil
	}
	if len(b.Commands) == 0 {
		return fmt.Errorf("a console block starts with a \"$ command\" line")
	}
	c := &b.Commands[len(b.Commands)-1]
	if len(c.Want) == 0 && strings.HasSuffix(c.Cmd, "\\") {
		c.Cmd += "\n" + line
		return nil
	}
	c.Want = append(c.Want, line)
	return nil
}
