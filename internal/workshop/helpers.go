package workshop

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// The helpers below are for the chapters' steps: each step package uses
// these instead of another chapter's.

// ShellQuote shows argv as it would be typed in a shell.
func ShellQuote(argv []string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\n'\"$;&|<>()*?\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		quoted[i] = a
	}
	return strings.Join(quoted, " ")
}

// Host runs argv on the host, shows it at a "host$" prompt with its
// output (stdout and stderr), and returns that output.
func (e *Env) Host(argv ...string) (string, error) {
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	e.Shell("host$", ShellQuote(argv), string(out))
	return string(out), err
}

// DirNames lists a directory as ls does: sorted, without dot files.
func DirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, en := range entries {
		if !strings.HasPrefix(en.Name(), ".") {
			names = append(names, en.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Millis shows a duration in milliseconds, to two decimals: "0.84 ms".
func Millis(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}
