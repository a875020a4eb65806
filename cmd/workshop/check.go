package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var checkCommand = &cli.Command{
	Name:      "check",
	Usage:     "run a chapter's Go tests (all chapters without an argument) and summarise them",
	ArgsUsage: "[CHAPTER]",
	Action: func(c *cli.Context) error {
		s, err := newSession()
		if err != nil {
			return err
		}
		repo, err := repoRoot()
		if err != nil {
			return err
		}
		pkgs := []string{"./chapters/..."}
		if c.NArg() > 0 {
			n, err := strconv.Atoi(c.Args().First())
			if err != nil {
				return fmt.Errorf("check takes a chapter number, like `workshop check 1`, not %q", c.Args().First())
			}
			dirs, _ := filepath.Glob(filepath.Join(repo, "chapters", fmt.Sprintf("%02d-*", n)))
			if len(dirs) != 1 {
				return fmt.Errorf("no chapter %d under %s/chapters", n, repo)
			}
			pkgs = []string{"./" + filepath.Join("chapters", filepath.Base(dirs[0]))}
		}
		if os.Geteuid() != 0 {
			fmt.Fprintf(s.env.Out, "not root: the tests that need root will skip; for all of them run\n  %s\n", workshop.SudoCommand(os.Args[1:]...))
		}
		args := append([]string{"test", "-json", "-count=1"}, pkgs...)
		fmt.Fprintf(s.env.Out, "%s\n", s.env.Style.Dim("$ go "+strings.Join(args, " ")))
		cmd := exec.Command("go", args...)
		cmd.Dir = repo
		var out bytes.Buffer
		cmd.Stdout = &out
		cmd.Stderr = os.Stderr
		runErr := cmd.Run()
		results, err := workshop.ParseTestJSON(&out)
		if err != nil {
			return err
		}
		sum := workshop.PrintResults(s.env.Out, results, s.env.Style)
		if sum.Failed > 0 || (runErr != nil && sum.Passed == 0) {
			return cli.Exit("", 1)
		}
		return nil
	},
}

// repoRoot finds the workshop's source tree: the directory with its go.mod,
// above the current directory or above this executable (bin/workshop).
func repoRoot() (string, error) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, dir := range starts {
		for d := dir; ; d = filepath.Dir(d) {
			if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.Contains(data, []byte("module github.com/minibox-dev/minibox\n")) {
				return d, nil
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return "", fmt.Errorf("cannot find the workshop's source (its go.mod): run `workshop check` inside the repository")
}
