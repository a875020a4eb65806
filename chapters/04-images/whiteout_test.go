package images_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

func TestParseWhiteout(t *testing.T) {
	tests := []struct {
		name    string
		want    images.Whiteout
		ok      bool
		wantErr string
	}{
		{name: "etc/passwd"},
		{name: "etc/.wh.passwd", want: images.Whiteout{Dir: "etc", Target: "passwd"}, ok: true},
		{name: ".wh.tmp", want: images.Whiteout{Dir: "", Target: "tmp"}, ok: true},
		{name: "a/b/.wh..wh..opq", want: images.Whiteout{Dir: "a/b"}, ok: true},
		{name: "a/.wh..", wantErr: "names no file"},
		{name: "a/.wh.", wantErr: "names no file"},
		{name: "a/.wh...", wantErr: "names no file"},
		{name: "a/.wh..wh.x", wantErr: "names no file"},
		{name: "a/.whx", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := images.ParseWhiteout(tt.name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.ok {
				t.Fatalf("ok %v, err %v; want ok %v", ok, err, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{in: "etc/passwd", want: "etc/passwd"},
		{in: "./etc//passwd", want: "etc/passwd"},
		{in: "/etc/passwd", want: "etc/passwd"},
		{in: "///abs", want: "abs"},
		{in: "dir/", want: "dir"},
		{in: "./", want: ""},
		{in: "../x", wantErr: `".."`},
		{in: "a/../../x", wantErr: `".."`},
		{in: "a/..", wantErr: `".."`},
		{in: "/../x", wantErr: `".."`},
	}
	for _, tt := range tests {
		got, err := images.CleanName(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("CleanName(%q) = %q, %v; want an error with %s", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
