package runtime_test

import (
	"testing"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
)

func TestPortsShowWhatRuns(t *testing.T) {
	published := []runtime.PortMapping{
		{HostPort: 8080, ContainerPort: 80, Protocol: "tcp"},
		{HostIP: "127.0.0.1", HostPort: 5353, ContainerPort: 53, Protocol: "udp"},
	}
	s := &runtime.State{Status: runtime.Running, Endpoint: &runtime.Endpoint{Ports: published}}
	if got, want := s.Ports(), "0.0.0.0:8080->80/tcp, 127.0.0.1:5353->53/udp"; got != want {
		t.Errorf("a running container's ports = %q, want %q", got, want)
	}
	s.Status = runtime.Exited
	if got := s.Ports(); got != "" {
		t.Errorf("an exited container's ports = %q, want none, as docker ps -a", got)
	}
}
