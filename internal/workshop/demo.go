package workshop

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// DemoOptions choose what the demo runs and how.
type DemoOptions struct {
	Chapter int    // only this chapter, when >= 0
	From    string // start at this step (ID or number)
	// Present pauses before each step for a classroom: it shows the title
	// and the command, waits for Enter on In, then runs it.
	Present bool
	In      io.Reader
}

// DemoResult counts the steps run.
type DemoResult struct {
	Passed, Failed int
	Quit           bool // the presenter typed q
}

// Demo runs the steps in order without asking anything (unless presenting)
// and returns how many passed and failed.
func Demo(w *Workshop, e *Env, p *Progress, opt DemoOptions) (DemoResult, error) {
	steps, err := demoSteps(w, opt)
	if err != nil {
		return DemoResult{}, err
	}
	var res DemoResult
	if os.Geteuid() != 0 {
		for _, st := range steps {
			if st.Root {
				return res, fmt.Errorf("step %s and others need root: run the demo with\n  %s", st.Number, SudoCommand(os.Args[1:]...))
			}
		}
	}
	var in *bufio.Reader
	if opt.Present {
		in = bufio.NewReader(opt.In)
	}
	for i, st := range steps {
		if i > 0 {
			fmt.Fprintln(e.Out)
		}
		if opt.Present {
			if quit := presentPause(e, st, in, i+1, len(steps)); quit {
				res.Quit = true
				break
			}
		}
		if err := RunStep(e, st, p); err != nil {
			res.Failed++
			continue
		}
		res.Passed++
	}
	fmt.Fprintf(e.Out, "\n%d passed, %d failed\n", res.Passed, res.Failed)
	return res, nil
}

func demoSteps(w *Workshop, opt DemoOptions) ([]*Step, error) {
	steps := w.Steps()
	if opt.Chapter >= 0 {
		ch, err := w.FindChapter(opt.Chapter)
		if err != nil {
			return nil, err
		}
		steps = ch.Steps
	}
	if opt.From != "" {
		from, err := w.Find(opt.From)
		if err != nil {
			return nil, err
		}
		for i, st := range steps {
			if st == from {
				return steps[i:], nil
			}
		}
		return nil, fmt.Errorf("step %s is not in chapter %d", from.Number, opt.Chapter)
	}
	return steps, nil
}

// presentPause shows what comes next in large, plain type and waits for
// Enter. It returns true when the presenter asks to quit (q, or end of input).
func presentPause(e *Env, st *Step, in *bufio.Reader, n, total int) bool {
	s := e.Style
	rule := strings.Repeat("━", 60)
	fmt.Fprintf(e.Out, "%s\n  %s   %s\n\n    %s\n%s\n",
		s.Cyan(rule),
		s.Bold(fmt.Sprintf("Step %s  %s", st.Number, st.Title)),
		s.Dim(fmt.Sprintf("(%d of %d)", n, total)),
		s.Bold("$ "+RunCommand(st)),
		s.Cyan(rule))
	fmt.Fprint(e.Out, s.Dim("  Enter runs it, q quits > "))
	line, err := in.ReadString('\n')
	fmt.Fprintln(e.Out)
	if strings.TrimSpace(line) == "q" || (err != nil && line == "") {
		return true
	}
	return false
}
