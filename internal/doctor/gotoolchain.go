package doctor

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// MinGo is the oldest Go that builds the workshop: the go directive of the
// repository's go.mod (a test keeps the two in step).
const MinGo = "1.25"

// GoVersion is the version a Go toolchain reports.
type GoVersion struct {
	Major, Minor, Patch int
	Pre                 string // "rc1", "beta2"; "" for a release
	// Devel marks a toolchain built from a development tree. Major and
	// Minor are then the release it leads to, or 0 when it does not say.
	Devel bool
}

func (v GoVersion) String() string {
	s := fmt.Sprintf("go%d.%d", v.Major, v.Minor)
	switch {
	case v.Devel && v.Major == 0:
		return "devel"
	case v.Devel:
		return "devel " + s
	case v.Pre != "":
		return s + v.Pre
	}
	return fmt.Sprintf("%s.%d", s, v.Patch)
}

// AtLeast reports whether v is release major.minor or newer. A release
// candidate comes before its release (go1.25rc1 < go1.25.0); a development
// build is taken to be new enough.
func (v GoVersion) AtLeast(major, minor int) bool {
	switch {
	case v.Devel && v.Major == 0:
		return true
	case v.Major != major:
		return v.Major > major
	case v.Minor != minor:
		return v.Minor > minor
	}
	return v.Pre == "" || v.Devel
}

// ParseGoVersion parses the output of `go version`:
//
//	go version go1.26.8 linux/amd64
//	go version go1.22rc1 linux/arm64
//	go version devel go1.24-e0c76d95ab Tue Sep 24 16:00:00 2024 +0000 linux/amd64
//	go version devel +b7a03ba Tue Jan 2 10:00:00 2018 +0000 linux/amd64
func ParseGoVersion(output string) (GoVersion, error) {
	f := strings.Fields(output)
	if len(f) < 3 || f[0] != "go" || f[1] != "version" {
		return GoVersion{}, fmt.Errorf("%q does not look like the output of `go version`", strings.TrimSpace(output))
	}
	if f[2] != "devel" {
		return parseGoRelease(f[2])
	}
	for _, word := range f[3:] {
		if strings.HasPrefix(word, "go1") {
			base, _, _ := strings.Cut(word, "-") // go1.24-e0c76d95ab: the release, then the commit
			v, err := parseGoRelease(base)
			if err != nil {
				return GoVersion{}, err
			}
			v.Devel = true
			return v, nil
		}
	}
	return GoVersion{Devel: true}, nil
}

// parseGoRelease parses a toolchain name: go1.26.8, go1.22rc1, go1.20 (a
// first release before Go 1.21 had no ".0"), and go1.25 as in MinGo.
func parseGoRelease(name string) (GoVersion, error) {
	bad := fmt.Errorf("toolchain version %q: want go1.N, go1.N.P or go1.NrcR", name)
	rest, ok := strings.CutPrefix(name, "go")
	if !ok {
		return GoVersion{}, bad
	}
	var v GoVersion
	v.Major, rest, ok = leadingInt(rest)
	if !ok || !strings.HasPrefix(rest, ".") {
		return GoVersion{}, bad
	}
	v.Minor, rest, ok = leadingInt(rest[1:])
	if !ok {
		return GoVersion{}, bad
	}
	switch {
	case rest == "":
	case strings.HasPrefix(rest, "."):
		// Whatever follows the patch number is a vendor's build tag.
		if v.Patch, _, ok = leadingInt(rest[1:]); !ok {
			return GoVersion{}, bad
		}
	case strings.HasPrefix(rest, "rc"), strings.HasPrefix(rest, "beta"):
		v.Pre = rest
	default:
		return GoVersion{}, bad
	}
	return v, nil
}

func checkGo() Check {
	p, err := exec.LookPath("go")
	if err != nil {
		return goMissing(os.Getenv("SUDO_USER") != "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, p, "version")
	// GOTOOLCHAIN=local: report the installed toolchain. Otherwise, run
	// inside a module that wants a newer Go, `go version` would download
	// that one and report it, and doctor must not change anything.
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		return Check{Name: nameGo, Status: Warn,
			Detail: fmt.Sprintf("%s version: %v", p, err),
			Fix:    goInstallFix}
	}
	return goCheck(p, string(out))
}

const goInstallFix = "install Go " + MinGo + " or newer from https://go.dev/dl/ and put /usr/local/go/bin on your PATH (the workshop VM has it once provisioned: vagrant provision)"

// goMissing is a warning: only `workshop check`, which runs the chapters'
// tests, needs Go. Under sudo the likely cause is sudo's secure_path, not a
// missing Go.
func goMissing(underSudo bool) Check {
	c := Check{Name: nameGo, Status: Warn,
		Detail: "no go on $PATH: `workshop check` (the chapters' tests) needs it",
		Fix:    goInstallFix}
	if underSudo {
		c.Detail = "no go on root's $PATH (sudo resets PATH to its secure_path): `workshop check` needs it"
		c.Fix = "check it as yourself, without sudo: go version (if it is missing there too: " + goInstallFix + ")"
	}
	return c
}

// goCheck judges the output of `go version` run from goPath.
func goCheck(goPath, output string) Check {
	v, err := ParseGoVersion(output)
	if err != nil {
		return Check{Name: nameGo, Status: Warn, Detail: fmt.Sprintf("%s: %v", goPath, err), Fix: goInstallFix}
	}
	// MinGo is a constant that a test parses: only a bad edit fails here.
	minV, err := parseGoRelease("go" + MinGo)
	if err != nil {
		return Check{Name: nameGo, Status: Warn, Detail: err.Error(), Fix: goInstallFix}
	}
	if !v.AtLeast(minV.Major, minV.Minor) {
		return Check{Name: nameGo, Status: Warn,
			Detail: fmt.Sprintf("%s at %s is older than go%s, which go.mod requires", v, goPath, MinGo),
			Fix:    goInstallFix}
	}
	return Check{Name: nameGo, Status: OK, Detail: fmt.Sprintf("%s at %s (go%s or newer needed)", v, goPath, MinGo)}
}
