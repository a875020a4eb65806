package security

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Under cgroup v2, device access is decided by a program of eBPF (the
// kernel's own virtual machine, wider than seccomp's classic BPF) of type
// BPF_PROG_TYPE_CGROUP_DEVICE, attached to the group: at every open or
// mknod of a device file, the kernel runs it on a struct
// bpf_cgroup_dev_ctx (the access and type, the major, the minor) and
// allows the access if it returns 1. The program is built here
// instruction by instruction, loaded with bpf(BPF_PROG_LOAD) (the kernel's
// verifier checks it first), and attached with bpf(BPF_PROG_ATTACH). It
// stays attached until the group is removed.

// bpfInsn is one eBPF instruction (struct bpf_insn).
type bpfInsn struct {
	Code uint8
	Regs uint8 // destination register in the low 4 bits, source in the high
	Off  int16
	Imm  int32
}

// The registers used: R0 the verdict, R1 the context on entry, then
// scratch; R2 the device type, R3 the access, R4 the major, R5 the minor.
const (
	r0 = iota
	r1
	r2
	r3
	r4
	r5
)

func insn(code uint8, dst, src uint8, off int16, imm int32) bpfInsn {
	return bpfInsn{Code: code, Regs: dst | src<<4, Off: off, Imm: imm}
}

// The instructions the program needs.
func loadWord(dst, src uint8, off int16) bpfInsn { // dst = *(u32 *)(src + off)
	return insn(unix.BPF_LDX|unix.BPF_MEM|unix.BPF_W, dst, src, off, 0)
}
func alu(op uint8, dst uint8, imm int32) bpfInsn {
	return insn(unix.BPF_ALU64|op|unix.BPF_K, dst, 0, 0, imm)
}
func move(dst, src uint8) bpfInsn {
	return insn(unix.BPF_ALU64|unix.BPF_MOV|unix.BPF_X, dst, src, 0, 0)
}
func jumpIfNot(dst uint8, imm int32, off int16) bpfInsn { // if dst != imm: skip off instructions
	return insn(unix.BPF_JMP|unix.BPF_JNE|unix.BPF_K, dst, 0, off, imm)
}
func exit(verdict int32) []bpfInsn {
	return []bpfInsn{alu(unix.BPF_MOV, r0, verdict), insn(unix.BPF_JMP|unix.BPF_EXIT, 0, 0, 0, 0)}
}

// deviceProgram compiles rules into the program: load the context's
// fields, then one block per rule that returns 1 if the access matches
// it and otherwise jumps to the next block; 0 at the end.
func deviceProgram(rules []DeviceRule) []bpfInsn {
	prog := []bpfInsn{
		loadWord(r2, r1, 0), alu(unix.BPF_AND, r2, 0xffff), // access_type's low half: the type
		loadWord(r3, r1, 0), alu(unix.BPF_RSH, r3, 16), // its high half: the access
		loadWord(r4, r1, 4), loadWord(r5, r1, 8),
	}
	for _, r := range rules {
		prog = append(prog, ruleProgram(r)...)
	}
	return append(prog, exit(0)...)
}

// ruleProgram is the block of one rule. Each test is a jump past the rest
// of the block, so its offset is what follows it.
func ruleProgram(r DeviceRule) []bpfInsn {
	type test struct {
		prep []bpfInsn
		reg  uint8
		imm  int32
	}
	var tests []test
	switch r.Type {
	case 'c':
		tests = append(tests, test{reg: r2, imm: unix.BPF_DEVCG_DEV_CHAR})
	case 'b':
		tests = append(tests, test{reg: r2, imm: unix.BPF_DEVCG_DEV_BLOCK})
	}
	// Any access beyond the rule's: no match.
	tests = append(tests, test{prep: []bpfInsn{move(r1, r3), alu(unix.BPF_AND, r1, ^accessBits(r.Access))}, reg: r1, imm: 0})
	if r.Major >= 0 {
		tests = append(tests, test{reg: r4, imm: int32(r.Major)})
	}
	if r.Minor >= 0 {
		tests = append(tests, test{reg: r5, imm: int32(r.Minor)})
	}
	// Lay the block out backwards, so that each jump knows what follows.
	block := exit(1)
	for i := len(tests) - 1; i >= 0; i-- {
		t := tests[i]
		head := append(append([]bpfInsn{}, t.prep...), jumpIfNot(t.reg, t.imm, int16(len(block))))
		block = append(head, block...)
	}
	return block
}

// accessBits are the BPF_DEVCG_ACC_* bits of "rwm".
func accessBits(access string) int32 {
	var bits int32
	for _, c := range access {
		switch c {
		case 'r':
			bits |= unix.BPF_DEVCG_ACC_READ
		case 'w':
			bits |= unix.BPF_DEVCG_ACC_WRITE
		case 'm':
			bits |= unix.BPF_DEVCG_ACC_MKNOD
		}
	}
	return bits
}

// progLoadAttr is the start of union bpf_attr for BPF_PROG_LOAD.
type progLoadAttr struct {
	progType, insnCnt   uint32
	insns, license      uint64
	logLevel, logSize   uint32
	logBuf              uint64
	kernVersion, flags  uint32
	name                [16]byte
	ifindex, attachType uint32
}

// progAttachAttr is union bpf_attr for BPF_PROG_ATTACH.
type progAttachAttr struct {
	targetFd, attachBpfFd, attachType, attachFlags uint32
}

// attachDeviceProgram loads the rules' program and attaches it to the
// cgroup v2 group at dir.
func attachDeviceProgram(dir string, rules []DeviceRule) error {
	prog := deviceProgram(rules)
	license := []byte("Apache-2.0\x00")
	log := make([]byte, 1<<16)
	attr := progLoadAttr{
		progType: unix.BPF_PROG_TYPE_CGROUP_DEVICE, insnCnt: uint32(len(prog)),
		insns: uint64(uintptr(unsafe.Pointer(&prog[0]))), license: uint64(uintptr(unsafe.Pointer(&license[0]))),
		logLevel: 1, logSize: uint32(len(log)), logBuf: uint64(uintptr(unsafe.Pointer(&log[0]))),
		attachType: unix.BPF_CGROUP_DEVICE,
	}
	copy(attr.name[:], "minibox_devices")
	// The verifier gives up with EAGAIN when a signal is pending, and the
	// Go runtime signals its threads (SIGURG, to preempt goroutines): try
	// again, as other loaders of BPF programs do.
	var fd uintptr
	var errno unix.Errno
	for try := 0; try < 20; try++ {
		if fd, _, errno = unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_LOAD, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr)); errno != unix.EAGAIN {
			break
		}
	}
	runtime.KeepAlive(prog)
	runtime.KeepAlive(license)
	if errno != 0 {
		return fmt.Errorf("load the device program (bpf BPF_PROG_LOAD): %w: %s", errno, cString(log))
	}
	defer unix.Close(int(fd))
	group, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open the group %s: %w", dir, err)
	}
	defer unix.Close(group)
	at := progAttachAttr{targetFd: uint32(group), attachBpfFd: uint32(fd), attachType: unix.BPF_CGROUP_DEVICE}
	if _, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_ATTACH, uintptr(unsafe.Pointer(&at)), unsafe.Sizeof(at)); errno != 0 {
		return fmt.Errorf("attach the device program to %s (bpf BPF_PROG_ATTACH): %w", dir, errno)
	}
	return nil
}

// cString is the NUL-terminated text at the start of b.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
