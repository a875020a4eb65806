package main

import (
	"bytes"
	"errors"
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
	Flags:     []cli.Flag{referenceFlag},
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
		if c.NArg() > 1 {
			return fmt.Errorf("check takes one chapter number at most, like `workshop check 1`")
		}
		if c.NArg() == 1 {
			n, err := strconv.Atoi(c.Args().First())
			if err != nil {
				return fmt.Errorf("check takes a chapter number, like `workshop check 1`, not %q", c.Args().First())
			}
			dirs, err := filepath.Glob(filepath.Join(repo, "chapters", fmt.Sprintf("%02d-*", n)))
			if err != nil || len(dirs) != 1 {
				return fmt.Errorf("no chapter %d under %s/chapters", n, repo)
			}
			pkgs = []string{"./" + filepath.Join("chapters", filepath.Base(dirs[0]))}
		}
		if os.Geteuid() != 0 {
			fmt.Fprintf(s.env.Out, "not root: the tests that need root will skip; for all of them run\n  %s\n", workshop.SudoCommand(os.Args[1:]...))
		}
		args := []string{"test", "-json", "-count=1"}
		overlay, done, err := practiceOverlay(c, s)
		if err != nil {
			return err
		}
		defer done()
		if overlay != "" {
			args = append(args, "-overlay", overlay)
		}
		args = append(args, pkgs...)
		fmt.Fprintf(s.env.Out, "%s\n", s.env.Style.Dim("$ go "+strings.Join(args, " ")))
		goBin, err := findGo()
		if err != nil {
			return err
		}
		cmd := exec.Command(goBin, args...)
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
		if runErr != nil && len(results) == 0 {
			return fmt.Errorf("go test ran no test: %v", runErr)
		}
		if sum.Failed > 0 || runErr != nil {
			return cli.Exit("", 1)
		}
		return nil
	},
}

// findGo finds the go command: on PATH, or where Go installs itself, since
// sudo replaces PATH with its secure_path, which lacks /usr/local/go/bin.
func findGo() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/local/go/bin/go", "/usr/lib/go/bin/go"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("go not found on PATH or in /usr/local/go/bin: install Go (see `workshop doctor`)")
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
	return "", errNoRepo
}

// errNoRepo says that this workshop is away from its source.
var errNoRepo = errors.New("cannot find the workshop's source (its go.mod): run the workshop inside the repository")
