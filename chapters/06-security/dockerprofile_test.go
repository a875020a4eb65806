package security

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// run is a classic BPF interpreter for what the filters use: it returns
// the verdict of prog for call nr with args.
func run(t *testing.T, prog []unix.SockFilter, nr uint32, args ...uint64) uint32 {
	t.Helper()
	data := make([]byte, 64)
	binary.LittleEndian.PutUint32(data[offsetNr:], nr)
	binary.LittleEndian.PutUint32(data[offsetArch:], auditArch)
	for i, a := range args {
		binary.LittleEndian.PutUint64(data[offsetArgs+8*i:], a)
	}
	var acc uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.Code {
		case unix.BPF_LD | unix.BPF_W | unix.BPF_ABS:
			acc = binary.LittleEndian.Uint32(data[in.K:])
		case unix.BPF_ALU | unix.BPF_AND | unix.BPF_K:
			acc &= in.K
		case unix.BPF_RET | unix.BPF_K:
			return in.K
		default:
			var ok bool
			switch in.Code {
			case unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K:
				ok = acc == in.K
			case unix.BPF_JMP | unix.BPF_JGT | unix.BPF_K:
				ok = acc > in.K
			case unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K:
				ok = acc >= in.K
			case unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K:
				ok = acc&in.K != 0
			default:
				t.Fatalf("instruction %d: code %#x the interpreter does not know", pc, in.Code)
			}
			if ok {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		}
	}
	t.Fatal("the program ran off its end")
	return 0
}

const (
	allow = unix.SECCOMP_RET_ALLOW
	eperm = unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
)

func TestDockerProfile(t *testing.T) {
	data, err := os.ReadFile("testdata/allowlist.json")
	if err != nil {
		t.Fatal(err)
	}
	dp, err := ParseDockerProfile(data)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := CapSetOf(DefaultCapabilities)
	admin := def | 1<<unix.CAP_SYS_ADMIN
	prog, err := dp.Compile(def, "6.1.0-48-amd64")
	if err != nil {
		t.Fatal(err)
	}
	withAdmin, err := dp.Compile(admin, "6.1.0-48-amd64")
	if err != nil {
		t.Fatal(err)
	}
	oldKernel, err := dp.Compile(def, "4.4.0")
	if err != nil {
		t.Fatal(err)
	}
	const sigchld, newUser = uint64(unix.SIGCHLD), uint64(unix.CLONE_NEWUSER | unix.SIGCHLD)
	for _, tc := range []struct {
		name string
		prog []unix.SockFilter
		nr   uint32
		args []uint64
		want uint32
	}{
		{"listed", prog, unix.SYS_READ, nil, allow},
		{"not listed: the default", prog, unix.SYS_OPENAT, nil, eperm},
		{"EQ 0", prog, unix.SYS_PERSONALITY, []uint64{0}, allow},
		{"EQ 0xffffffff, the second rule", prog, unix.SYS_PERSONALITY, []uint64{0xffffffff}, allow},
		{"EQ: 8 matches no rule", prog, unix.SYS_PERSONALITY, []uint64{8}, eperm},
		{"EQ: the high word counts", prog, unix.SYS_PERSONALITY, []uint64{1 << 32}, eperm},
		{"MASKED_EQ: a plain fork", prog, unix.SYS_CLONE, []uint64{sigchld}, allow},
		{"MASKED_EQ: a new user namespace", prog, unix.SYS_CLONE, []uint64{newUser}, eperm},
		{"includes caps: without SYS_ADMIN", prog, unix.SYS_MOUNT, nil, eperm},
		{"includes caps: with SYS_ADMIN", withAdmin, unix.SYS_MOUNT, nil, allow},
		{"excludes caps: SYS_ADMIN may clone anything", withAdmin, unix.SYS_CLONE, []uint64{newUser}, allow},
		{"errnoRet", prog, unix.SYS_KILL, nil, unix.SECCOMP_RET_ERRNO | uint32(unix.EACCES)},
		{"GT above 2^32", prog, unix.SYS_LSEEK, []uint64{0, 1<<32 + 1}, allow},
		{"GT: equal is not", prog, unix.SYS_LSEEK, []uint64{0, 1 << 32}, eperm},
		{"GT: a greater low word, a smaller high one", prog, unix.SYS_LSEEK, []uint64{0, 0xffffffff}, eperm},
		{"LE and NE both hold", prog, unix.SYS_PREAD64, []uint64{0, 0, 100, 6}, allow},
		{"LE fails", prog, unix.SYS_PREAD64, []uint64{0, 0, 101, 6}, eperm},
		{"NE fails", prog, unix.SYS_PREAD64, []uint64{0, 0, 5, 7}, eperm},
		{"LE: the high word counts", prog, unix.SYS_PREAD64, []uint64{0, 0, 1<<32 + 5, 6}, eperm},
		{"NE: the high word differs", prog, unix.SYS_PREAD64, []uint64{0, 0, 5, 7 << 32}, allow},
		{"GE: a greater high word decides", prog, unix.SYS_SENDFILE, []uint64{0, 0, 0, 2<<32 | 3}, allow},
		{"GE: equal", prog, unix.SYS_SENDFILE, []uint64{0, 0, 0, 1<<32 | 10}, allow},
		{"GE: a smaller low word", prog, unix.SYS_SENDFILE, []uint64{0, 0, 0, 1<<32 | 9}, eperm},
		{"GE: a smaller high word", prog, unix.SYS_SENDFILE, []uint64{0, 0, 0, 0xffffffff}, eperm},
		{"LT below 2^32", prog, unix.SYS_PWRITE64, []uint64{0, 0, 0xffffffff}, allow},
		{"LT: equal is not", prog, unix.SYS_PWRITE64, []uint64{0, 0, 1 << 32}, eperm},
		{"minKernel met", prog, unix.SYS_PTRACE, nil, allow},
		{"minKernel not met", oldKernel, unix.SYS_PTRACE, nil, eperm},
	} {
		if got := run(t, tc.prog, tc.nr, tc.args...); got != tc.want {
			t.Errorf("%s: verdict %#x, want %#x", tc.name, got, tc.want)
		}
	}
}

// TestDefaultFilterRefuses runs the default filter in the interpreter.
func TestDefaultFilterRefuses(t *testing.T) {
	prog := Filter(DefaultRules())
	for _, tc := range []struct {
		nr   uint32
		args []uint64
		want uint32
	}{
		{unix.SYS_READ, nil, allow},
		{unix.SYS_MOUNT, nil, eperm},
		{unix.SYS_UNSHARE, []uint64{unix.CLONE_NEWUSER}, eperm},
		{unix.SYS_UNSHARE, []uint64{unix.CLONE_NEWNS}, allow}, // refused by the kernel without CAP_SYS_ADMIN
		{unix.SYS_CLONE3, nil, unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)},
		{unix.SYS_IO_URING_SETUP, nil, eperm},
	} {
		if got := run(t, prog, tc.nr, tc.args...); got != tc.want {
			t.Errorf("call %d %v: verdict %#x, want %#x", tc.nr, tc.args, got, tc.want)
		}
	}
}

func TestDockerProfileBadInput(t *testing.T) {
	for _, tc := range []struct{ profile, want string }{
		{`{`, "unexpected end of JSON"},
		{`{"defaultAction": "SCMP_ACT_MAYBE"}`, `defaultAction: action "SCMP_ACT_MAYBE"`},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]}`, `syscalls[0]: action "SCMP_ACT_NOTIFY"`},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "op": "SCMP_CMP_EQ"}]}]}`, "argument 6"},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "op": "SCMP_CMP_ABOUT"}]}]}`, `op "SCMP_CMP_ABOUT"`},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ALLOW"}]}`, "syscalls[0]: no names"},
	} {
		_, err := ParseDockerProfile([]byte(tc.profile))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.profile, err, tc.want)
		}
	}
}
