package images

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
)

// Running an image is chapter 2's container on an overlay of the image's
// layers: the layers, unpacked once and shared, are the lowerdirs; the
// container's changes go to an upperdir of its own. The overlay is mounted
// in a private mount namespace (a Task), and the container is started from
// there: its clone copies that namespace, overlay included.

// Container is where one container of an image keeps its changes.
type Container struct {
	Dir string // holds upper/, work/ and merged/
}

// NewContainer makes the directories of a container in dir.
func NewContainer(dir string) (*Container, error) {
	c := &Container{Dir: dir}
	for _, d := range []string{c.Upper(), c.Work(), c.Merged()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("make container directory: %w", err)
		}
	}
	return c, nil
}

// Upper is the container's writable layer: its changes, and after a commit
// the content of a new layer.
func (c *Container) Upper() string { return filepath.Join(c.Dir, "upper") }

// Work is overlay's scratch directory.
func (c *Container) Work() string { return filepath.Join(c.Dir, "work") }

// Merged is the mount point of the overlay, the container's root.
func (c *Container) Merged() string { return filepath.Join(c.Dir, "merged") }

// Overlay returns the container's overlay on the given layers.
func (c *Container) Overlay(lowers []string) Overlay {
	return Overlay{Lower: lowers, Upper: c.Upper(), Work: c.Work(), Merged: c.Merged()}
}

// RunOptions are a container's command and standard streams.
type RunOptions struct {
	Args           []string // the command, after the image's Entrypoint (Image.Command)
	Hostname       string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run runs a container of img in c: it unpacks the layers that are not yet
// unpacked, mounts the overlay in a private mount namespace, runs the
// command in a chapter 2 container on it, and returns the command's exit
// code. Changes stay in c's upperdir for the next run, or a commit.
func (s *Store) Run(img *Image, c *Container, opts RunOptions) (int, error) {
	lowers, err := s.Unpack(img)
	if err != nil {
		return 0, err
	}
	args := img.Command(opts.Args)
	if len(args) == 0 {
		return 0, fmt.Errorf("run %s: no command given, and the image names none", img.Name)
	}
	err = RunTask(runTask, runArg{Overlay: c.Overlay(lowers), Args: args, Hostname: opts.Hostname}, opts.Stdin, opts.Stdout, opts.Stderr)
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code, nil
	}
	return 0, err
}

const runTask = "run"

type runArg struct {
	Overlay  Overlay
	Args     []string
	Hostname string
}

func init() { RegisterTask(runTask, runInNamespace) }

// runInNamespace runs in the private mount namespace: mount, then start.
func runInNamespace(raw json.RawMessage) (int, error) {
	var a runArg
	if err := json.Unmarshal(raw, &a); err != nil {
		return 0, err
	}
	if err := a.Overlay.Mount(); err != nil {
		return 0, err
	}
	return namespaces.Run(namespaces.Config{
		Rootfs: a.Overlay.Merged, Args: a.Args, Hostname: a.Hostname,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	})
}
