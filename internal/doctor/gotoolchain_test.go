package doctor

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseGoVersion(t *testing.T) {
	tests := []struct {
		output  string
		want    GoVersion
		wantErr bool
	}{
		{output: "go version go1.26.8 linux/amd64\n", want: GoVersion{Major: 1, Minor: 26, Patch: 8}},
		{output: "go version go1.25.0 linux/arm64", want: GoVersion{Major: 1, Minor: 25}},
		{output: "go version go1.22rc1 linux/amd64", want: GoVersion{Major: 1, Minor: 22, Pre: "rc1"}},
		{output: "go version go1.21beta2 darwin/arm64", want: GoVersion{Major: 1, Minor: 21, Pre: "beta2"}},
		{output: "go version go1.20 linux/amd64", want: GoVersion{Major: 1, Minor: 20}},
		{output: "go version go1.22.2 X:loopvar linux/amd64", want: GoVersion{Major: 1, Minor: 22, Patch: 2}},
		{output: "go version go1.22.5-1 linux/amd64", want: GoVersion{Major: 1, Minor: 22, Patch: 5}}, // a vendor's build tag
		{
			output: "go version devel go1.24-e0c76d95ab Tue Sep 24 16:00:00 2024 +0000 linux/amd64",
			want:   GoVersion{Major: 1, Minor: 24, Devel: true},
		},
		{
			output: "go version devel +b7a03ba Tue Jan 2 10:00:00 2018 +0000 linux/amd64",
			want:   GoVersion{Devel: true},
		},
		{output: "", wantErr: true},
		{output: "go: command not found", wantErr: true},
		{output: "go version", wantErr: true},
		{output: "go version 1.22 linux/amd64", wantErr: true},
		{output: "go version go1 linux/amd64", wantErr: true},
		{output: "go version go1.x linux/amd64", wantErr: true},
		{output: "go version go1.22alpha linux/amd64", wantErr: true},
		{output: "go version devel go1.x-abc Tue linux/amd64", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(tt.output), func(t *testing.T) {
			got, err := ParseGoVersion(tt.output)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseGoVersion(%q) = %+v, want an error", tt.output, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseGoVersion(%q): %v", tt.output, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseGoVersion(%q) mismatch (-want +got):\n%s", tt.output, diff)
			}
		})
	}
}

func TestGoVersionAtLeast(t *testing.T) {
	tests := []struct {
		v    GoVersion
		want bool
	}{
		{GoVersion{Major: 1, Minor: 26, Patch: 8}, true},
		{GoVersion{Major: 1, Minor: 25}, true},
		{GoVersion{Major: 1, Minor: 25, Pre: "rc2"}, false},
		{GoVersion{Major: 1, Minor: 24, Patch: 9}, false},
		{GoVersion{Major: 1, Minor: 26, Pre: "rc1"}, true},
		{GoVersion{Major: 1, Minor: 25, Devel: true}, true},
		{GoVersion{Major: 1, Minor: 24, Devel: true}, false},
		{GoVersion{Devel: true}, true},
		{GoVersion{Major: 2}, true},
	}
	for _, tt := range tests {
		t.Run(tt.v.String(), func(t *testing.T) {
			if got := tt.v.AtLeast(1, 25); got != tt.want {
				t.Errorf("%+v.AtLeast(1, 25) = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

// TestMinGoMatchesGoMod fails when go.mod's go directive moves and MinGo
// stays behind (or the other way round).
func TestMinGoMatchesGoMod(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	directive := ""
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			directive = strings.TrimSpace(v)
			break
		}
	}
	if directive == "" {
		t.Fatal("go.mod has no go directive")
	}
	modV, err := parseGoRelease("go" + directive)
	if err != nil {
		t.Fatalf("go.mod: %v", err)
	}
	minV, err := parseGoRelease("go" + MinGo)
	if err != nil {
		t.Fatalf("MinGo: %v", err)
	}
	if modV.Major != minV.Major || modV.Minor != minV.Minor {
		t.Errorf("MinGo = %q, but go.mod says go %s: set MinGo to \"%d.%d\"", MinGo, directive, modV.Major, modV.Minor)
	}
}

func TestGoCheck(t *testing.T) {
	tests := []struct {
		name   string
		output string
		want   Check
	}{
		{
			name:   "new enough",
			output: "go version go1.26.8 linux/amd64\n",
			want:   Check{Name: "go", Status: OK, Detail: "go1.26.8 at /usr/local/go/bin/go (go1.25 or newer needed)"},
		},
		{
			name:   "Ubuntu 24.04's golang package",
			output: "go version go1.22.2 linux/amd64\n",
			want: Check{Name: "go", Status: Warn,
				Detail: "go1.22.2 at /usr/local/go/bin/go is older than go1.25, which go.mod requires",
				Fix:    goInstallFix},
		},
		{
			name:   "release candidate of the minimum",
			output: "go version go1.25rc1 linux/amd64\n",
			want: Check{Name: "go", Status: Warn,
				Detail: "go1.25rc1 at /usr/local/go/bin/go is older than go1.25, which go.mod requires",
				Fix:    goInstallFix},
		},
		{
			name:   "development build",
			output: "go version devel go1.27-e0c76d95ab Tue Sep 24 16:00:00 2026 +0000 linux/amd64\n",
			want:   Check{Name: "go", Status: OK, Detail: "devel go1.27 at /usr/local/go/bin/go (go1.25 or newer needed)"},
		},
		{
			name:   "garbage",
			output: "hello\n",
			want: Check{Name: "go", Status: Warn,
				Detail: "/usr/local/go/bin/go: \"hello\" does not look like the output of `go version`",
				Fix:    goInstallFix},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, goCheck("/usr/local/go/bin/go", tt.output)); diff != "" {
				t.Errorf("goCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGoMissing(t *testing.T) {
	tests := []struct {
		name      string
		underSudo bool
		want      Check
	}{
		{
			name: "as the learner",
			want: Check{Name: "go", Status: Warn,
				Detail: "no go on $PATH: `workshop check` (the chapters' tests) needs it",
				Fix:    "install Go 1.25 or newer from https://go.dev/dl/ and put /usr/local/go/bin on your PATH (the workshop VM has it once provisioned: vagrant provision)"},
		},
		{
			name:      "under sudo",
			underSudo: true,
			want: Check{Name: "go", Status: Warn,
				Detail: "no go on root's $PATH (sudo resets PATH to its secure_path): `workshop check` needs it",
				Fix:    "check it as yourself, without sudo: go version (if it is missing there too: " + goInstallFix + ")"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, goMissing(tt.underSudo)); diff != "" {
				t.Errorf("goMissing mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
