package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// sharedMountsEnv marks the re-executed test binary of MainWithSharedMounts.
const sharedMountsEnv = "MINIBOX_TEST_IN_SHARED_MOUNTS"

// MainWithSharedMounts runs the tests as on a systemd host, and checks they
// leave the mount table as they found it. Call it from TestMain, after the
// re-exec dispatch: os.Exit(testutil.MainWithSharedMounts(m)).
//
// systemd marks every mount shared, so a mount made in a new mount namespace
// travels back to the host unless the code makes mounts private first. The
// CI machines run no systemd: their mounts are private already, and a test
// of that code could not fail there. So, as root, the test binary starts
// itself again in a mount namespace of its own whose mounts are all shared
// (cut off from the host's first, so nothing can leak further), and runs
// the tests there.
func MainWithSharedMounts(m *testing.M) int {
	if os.Geteuid() != 0 || os.Getenv(sharedMountsEnv) == "1" {
		return runCheckingMounts(m.Run)
	}
	return runCheckingMounts(func() int {
		cmd := exec.Command("/proc/self/exe", os.Args[1:]...)
		cmd.Args[0] = os.Args[0]
		cmd.Env = append(os.Environ(), sharedMountsEnv+"=1")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: unix.CLONE_NEWNS}
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "start the tests in a mount namespace:", err)
			return 1
		}
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		} else if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	})
}

// runCheckingMounts runs the tests and fails them if the mount table of
// this process's mount namespace changed.
func runCheckingMounts(run func() int) int {
	if os.Getenv(sharedMountsEnv) == "1" {
		if err := makeSharedMounts(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	before, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := run()
	after, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		fmt.Fprintf(os.Stderr, "FAIL: the tests changed the mount table (-before +after):\n%s", diff)
		return 1
	}
	return code
}

// makeSharedMounts cuts this mount namespace off from the host's (private),
// then makes every mount in it shared, in peer groups of its own.
func makeSharedMounts() error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_SHARED, ""); err != nil {
		return fmt.Errorf("make mounts shared: %w", err)
	}
	return nil
}
