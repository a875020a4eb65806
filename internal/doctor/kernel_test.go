package doctor

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseKernelVersion(t *testing.T) {
	tests := []struct {
		release      string
		major, minor int
		wantErr      bool
	}{
		{release: "6.8.0-31-generic", major: 6, minor: 8},        // Ubuntu 24.04
		{release: "6.18.44-fc-v782", major: 6, minor: 18},        // this machine
		{release: "5.10.0-28-amd64", major: 5, minor: 10},        // Debian 11
		{release: "3.10.0-1160.el7.x86_64", major: 3, minor: 10}, // CentOS 7
		{release: "5.15.153.1-microsoft-standard-WSL2", major: 5, minor: 15},
		{release: "6.10.0-rc1", major: 6, minor: 10},
		{release: "6.1", major: 6, minor: 1},
		{release: "5.4+", major: 5, minor: 4},
		{release: "", wantErr: true},
		{release: "linux", wantErr: true},
		{release: "6", wantErr: true},
		{release: "6.", wantErr: true},
		{release: ".8", wantErr: true},
		{release: "6-8", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			major, minor, err := ParseKernelVersion(tt.release)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseKernelVersion(%q) = %d, %d, want an error", tt.release, major, minor)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKernelVersion(%q): %v", tt.release, err)
			}
			if major != tt.major || minor != tt.minor {
				t.Errorf("ParseKernelVersion(%q) = %d, %d, want %d, %d", tt.release, major, minor, tt.major, tt.minor)
			}
		})
	}
}

func TestKernelCheck(t *testing.T) {
	tests := []struct {
		release string
		want    Check
	}{
		{"6.8.0-31-generic", Check{Name: "kernel", Status: OK, Detail: "Linux 6.8.0-31-generic (5.4 or newer needed)"}},
		{"5.4.0-26-generic", Check{Name: "kernel", Status: OK, Detail: "Linux 5.4.0-26-generic (5.4 or newer needed)"}},
		{"4.19.0-27-amd64", Check{Name: "kernel", Status: Warn,
			Detail: "Linux 4.19.0-27-amd64 is too old: 5.4 or newer needed for the cgroup v2 and overlayfs features the chapters use",
			Fix:    "upgrade the kernel (Ubuntu: sudo apt-get install linux-generic; Debian: sudo apt-get install linux-image-$(dpkg --print-architecture)) and reboot, or use the workshop VM: vagrant up"}},
		{"3.10.0-1160.el7.x86_64", Check{Name: "kernel", Status: Warn,
			Detail: "Linux 3.10.0-1160.el7.x86_64 is too old: 5.4 or newer needed for the cgroup v2 and overlayfs features the chapters use",
			Fix:    "upgrade the kernel (Ubuntu: sudo apt-get install linux-generic; Debian: sudo apt-get install linux-image-$(dpkg --print-architecture)) and reboot, or use the workshop VM: vagrant up"}},
		{"weird", Check{Name: "kernel", Status: Warn,
			Detail: `kernel release "weird": want MAJOR.MINOR[...]: cannot tell whether it is 5.4 or newer`,
			Fix:    "check the kernel release with `uname -r`: the workshop needs Linux 5.4 or newer"}},
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, kernelCheck(tt.release)); diff != "" {
				t.Errorf("kernelCheck(%q) mismatch (-want +got):\n%s", tt.release, diff)
			}
		})
	}
}
