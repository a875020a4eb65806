// Package testutil holds helpers shared by the chapters' tests.
package testutil

import (
	"os"
	"testing"
)

// RequireRootEnv is the variable CI sets so that a privileged test fails
// instead of skipping: a CI run must never pass by skipping.
const RequireRootEnv = "MINIBOX_TEST_REQUIRE_ROOT"

// RequireRoot skips t with a reason when the test is not running as root,
// and fails it instead when MINIBOX_TEST_REQUIRE_ROOT=1.
func RequireRoot(t testing.TB) {
	t.Helper()
	switch verdict, msg := rootVerdict(os.Geteuid(), os.Getenv(RequireRootEnv)); verdict {
	case fail:
		t.Fatal(msg)
	case skip:
		t.Skip(msg)
	}
}

type verdict int

const (
	run verdict = iota
	skip
	fail
)

func rootVerdict(euid int, requireRoot string) (verdict, string) {
	switch {
	case euid == 0:
		return run, ""
	case requireRoot == "1":
		return fail, "this test needs root, and " + RequireRootEnv + "=1 forbids skipping it: run the tests as root (make test does `go test -exec sudo`)"
	default:
		return skip, "needs root: run `make test`, or `go test -exec sudo ./...`"
	}
}
