package network_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	network "github.com/minibox-dev/minibox/chapters/07-network"
)

func TestParsePublish(t *testing.T) {
	for spec, want := range map[string]runtime.PortMapping{
		"8080:80":           {HostPort: 8080, ContainerPort: 80, Protocol: "tcp"},
		"80":                {ContainerPort: 80, Protocol: "tcp"},
		"5353:53/udp":       {HostPort: 5353, ContainerPort: 53, Protocol: "udp"},
		"127.0.0.1:8080:80": {HostIP: "127.0.0.1", HostPort: 8080, ContainerPort: 80, Protocol: "tcp"},
		"127.0.0.1::80/tcp": {HostIP: "127.0.0.1", ContainerPort: 80, Protocol: "tcp"},
		"65535:1":           {HostPort: 65535, ContainerPort: 1, Protocol: "tcp"},
	} {
		got, err := network.ParsePublish(spec)
		if err != nil {
			t.Errorf("ParsePublish(%q): %v", spec, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParsePublish(%q) (-want +got):\n%s", spec, diff)
		}
		if spec == "8080:80" && got.String() != "0.0.0.0:8080->80/tcp" {
			t.Errorf("%q shows as %q, want docker ps's 0.0.0.0:8080->80/tcp", spec, got.String())
		}
	}
}

func TestParsePublishRefuses(t *testing.T) {
	for spec, want := range map[string]string{
		"":               `the container port ""`,
		"8080:":          `the container port ""`,
		"http:80":        `the host port "http": want a number from 1 to 65535`,
		"99999:80":       `the host port "99999"`,
		"8080:0":         `the container port "0"`,
		"8080:80/sctp":   `protocol "sctp": minibox publishes tcp and udp`,
		"8000-8010:80":   "port ranges are not published",
		"localhost:1:80": `"localhost" is not an IPv4 address`,
		"::1:8080:80":    "want [IP:][HOST:]CONTAINER[/tcp|udp]",
	} {
		_, err := network.ParsePublish(spec)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "-p "+spec+":") {
			t.Errorf("ParsePublish(%q): %v; want an error naming -p %s and saying %q", spec, err, spec, want)
		}
	}
}
