package namespaces

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	"golang.org/x/sys/unix"
)

// execCommand replaces the init with the container's command, which becomes
// PID 1 (see pid.go). It returns only if that fails.
func execCommand(s spec) (exitCode int, err error) {
	env := Environment(s.Hostname, s.Env)
	if err := unix.Chdir(s.Dir); err != nil {
		return ExitSetupFailed, fmt.Errorf("working directory %s: %w", s.Dir, err)
	}
	path, err := LookPath(s.Args[0], env)
	if errors.Is(err, ErrCommandNotFound) {
		return ExitNotFound, err
	}
	if err != nil {
		return ExitCannotExec, err
	}
	if err := CloseExtraFDs(); err != nil {
		return ExitSetupFailed, err
	}
	// Last, since it may take away the powers the steps before need.
	if err := s.Confine.ApplyProcess(); err != nil {
		return ExitSetupFailed, err
	}
	err = unix.Exec(path, s.Args, env)
	return ExitCannotExec, fmt.Errorf("exec %s: %w", path, err)
}

// Environment is a container command's: a clean one, since the host's
// variables describe the host, with extra on top (an image's PATH, say).
// The container's init and `minibox exec` (chapter 5) both use it.
func Environment(hostname string, extra []string) []string {
	return MergeEnv([]string{"PATH=" + chroot.Path, "HOME=/root", "TERM=" + chroot.Term(), "HOSTNAME=" + hostname}, extra)
}

// MergeEnv returns env with extra's variables on top: each goes at the
// end, replacing any earlier one with the same name, so the last of a name
// wins. Neither slice changes.
func MergeEnv(env, extra []string) []string {
	merged := slices.Clone(env)
	for _, kv := range extra {
		k, _, _ := strings.Cut(kv, "=")
		merged = slices.DeleteFunc(merged, func(old string) bool { return strings.HasPrefix(old, k+"=") })
		merged = append(merged, kv)
	}
	return merged
}

func getenv(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// LookPath finds name on the PATH of env, the command's environment. It
// runs in the container, after pivot_root or setns, so it sees the
// container's files and resolves busybox's links as the command will. A
// name that is nowhere is ErrCommandNotFound (exit code 127); one that is
// there but cannot run is another error (126). It sets this process's
// PATH: call it only in a process about to become the command.
func LookPath(name string, env []string) (string, error) {
	searchPath := getenv(env, "PATH")
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
