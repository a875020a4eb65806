package runtime

import (
	"os/exec"
	"testing"

	"golang.org/x/sys/unix"
)

// TestShellCode reads a wait status as a shell does: the exit code, or
// 128+N for a process killed by signal N. The statuses are the kernel's
// encoding: the exit code in bits 8 to 15, or the signal in bits 0 to 6
// (bit 7: a core was dumped).
func TestShellCode(t *testing.T) {
	tests := []struct {
		name     string
		ws       unix.WaitStatus
		wantCode int
		wantSig  unix.Signal
	}{
		{"exit 0", 0 << 8, 0, 0},
		{"exit 3", 3 << 8, 3, 0},
		{"exit 255", 255 << 8, 255, 0},
		{"command not found", 127 << 8, 127, 0},
		{"SIGKILL", unix.WaitStatus(unix.SIGKILL), 137, unix.SIGKILL},
		{"SIGTERM", unix.WaitStatus(unix.SIGTERM), 143, unix.SIGTERM},
		{"SIGINT", unix.WaitStatus(unix.SIGINT), 130, unix.SIGINT},
		{"SIGSEGV, core dumped", 0x80 | unix.WaitStatus(unix.SIGSEGV), 139, unix.SIGSEGV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, sig := shellCode(tt.ws)
			if code != tt.wantCode || sig != tt.wantSig {
				t.Errorf("shellCode(%#x) = %d, %v; want %d, %v", uint32(tt.ws), code, sig, tt.wantCode, tt.wantSig)
			}
		})
	}
}

// TestExitStatusOfAKilledProcess waits for a real process that kills
// itself: the status os/exec gives must read as 128+9, killed by SIGKILL.
func TestExitStatusOfAKilledProcess(t *testing.T) {
	code, sig, err := exitStatus(exec.Command("sh", "-c", "kill -9 $$").Run())
	if err != nil || code != 137 || sig != unix.SIGKILL {
		t.Errorf("exitStatus(sh killed by SIGKILL) = %d, %v, %v; want 137, killed", code, sig, err)
	}
	code, sig, err = exitStatus(exec.Command("sh", "-c", "exit 3").Run())
	if err != nil || code != 3 || sig != 0 {
		t.Errorf("exitStatus(sh -c 'exit 3') = %d, %v, %v; want 3", code, sig, err)
	}
}
