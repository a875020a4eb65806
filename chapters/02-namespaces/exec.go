package namespaces

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// containerPath is the PATH inside the container, as in chapter 1's jail.
const containerPath = "/bin:/sbin:/usr/bin:/usr/sbin"

// execCommand replaces the init with the container's command, which becomes
// PID 1 (see pid.go). It returns only if that fails.
func execCommand(s spec) (exitCode int, err error) {
	env := environment(s)
	if err := unix.Chdir(s.Dir); err != nil {
		return ExitSetupFailed, fmt.Errorf("working directory %s: %w", s.Dir, err)
	}
	path, err := lookPath(s.Args[0], getenv(env, "PATH"))
	if errors.Is(err, ErrCommandNotFound) {
		return ExitNotFound, err
	}
	if err != nil {
		return ExitCannotExec, err
	}
	err = unix.Exec(path, s.Args, env)
	return ExitCannotExec, fmt.Errorf("exec %s: %w", path, err)
}

// environment is the command's: a clean one, since the host's variables
// describe the host, with the spec's on top (an image's PATH, say).
func environment(s spec) []string {
	env := []string{"PATH=" + containerPath, "HOME=/root", "TERM=" + termOrDumb(), "HOSTNAME=" + s.Hostname}
	for _, kv := range s.Env {
		k, _, _ := strings.Cut(kv, "=")
		env = slices.DeleteFunc(env, func(old string) bool { return strings.HasPrefix(old, k+"=") })
		env = append(env, kv)
	}
	return env
}

func getenv(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// lookPath finds name in the container's PATH. It runs after pivot_root, so
// it sees the container's files and resolves busybox's links as the command
// will.
func lookPath(name, searchPath string) (string, error) {
	if err := os.Setenv("PATH", searchPath); err != nil {
		return "", err
	}
	path, err := exec.LookPath(name)
	var lookErr *exec.Error
	if errors.As(err, &lookErr) {
		err = lookErr.Err // without LookPath's own `exec: "name":` prefix
	}
	switch {
	case err == nil:
		return path, nil
	case errors.Is(err, exec.ErrNotFound):
		return "", fmt.Errorf("exec %s: %w (PATH=%s)", name, ErrCommandNotFound, searchPath)
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("exec %s: %w", name, ErrCommandNotFound)
	default:
		return "", fmt.Errorf("exec %s: %w", name, err)
	}
}

func termOrDumb() string {
	if t := os.Getenv("TERM"); t != "" {
		return t
	}
	return "dumb"
}
