package security

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// The code of one call of a profile: its rules in turn, each a list of
// comparisons of its arguments, then the rule's verdict; the default
// verdict if no rule matched. A comparison that fails jumps to the next
// rule. Classic BPF is 32 bits wide and the arguments 64: each comparison
// looks at the high word, then the low one.

// fail marks a jump to the next rule, until the rule's length is known.
const fail = 0xff

// comparisons build the code of a comparison of a 64-bit argument,
// whose high and low words are at hi and lo, with a (and a2, for a mask).
var comparisons = map[string]func(hi, lo uint32, a, a2 uint64) []unix.SockFilter{
	"SCMP_CMP_EQ": func(hi, lo uint32, a, _ uint64) []unix.SockFilter {
		return []unix.SockFilter{load(hi), jumpIf(unix.BPF_JEQ, high(a), 0, fail), load(lo), jumpIf(unix.BPF_JEQ, low(a), 0, fail)}
	},
	"SCMP_CMP_NE": func(hi, lo uint32, a, _ uint64) []unix.SockFilter {
		return []unix.SockFilter{load(hi), jumpIf(unix.BPF_JEQ, high(a), 0, 2), load(lo), jumpIf(unix.BPF_JEQ, low(a), fail, 0)}
	},
	"SCMP_CMP_MASKED_EQ": func(hi, lo uint32, mask, want uint64) []unix.SockFilter {
		return []unix.SockFilter{
			load(hi), and(high(mask)), jumpIf(unix.BPF_JEQ, high(want), 0, fail),
			load(lo), and(low(mask)), jumpIf(unix.BPF_JEQ, low(want), 0, fail),
		}
	},
	"SCMP_CMP_GT": greater(unix.BPF_JGT),
	"SCMP_CMP_GE": greater(unix.BPF_JGE),
	"SCMP_CMP_LT": notGreater(unix.BPF_JGE),
	"SCMP_CMP_LE": notGreater(unix.BPF_JGT),
}

// greater is arg > a (op JGT) or arg >= a (JGE): a greater high word
// decides, a smaller one fails, an equal one leaves it to the low words.
func greater(op uint16) func(hi, lo uint32, a, _ uint64) []unix.SockFilter {
	return func(hi, lo uint32, a, _ uint64) []unix.SockFilter {
		return []unix.SockFilter{
			load(hi), jumpIf(unix.BPF_JGT, high(a), 3, 0), jumpIf(unix.BPF_JEQ, high(a), 0, fail),
			load(lo), jumpIf(op, low(a), 0, fail),
		}
	}
}

// notGreater is arg < a (not >=, op JGE) or arg <= a (not >, JGT).
func notGreater(op uint16) func(hi, lo uint32, a, _ uint64) []unix.SockFilter {
	return func(hi, lo uint32, a, _ uint64) []unix.SockFilter {
		return []unix.SockFilter{
			load(hi), jumpIf(unix.BPF_JGT, high(a), fail, 0), jumpIf(unix.BPF_JEQ, high(a), 0, 2),
			load(lo), jumpIf(op, low(a), fail, 0),
		}
	}
}

func high(v uint64) uint32 { return uint32(v >> 32) }
func low(v uint64) uint32  { return uint32(v) }

// and ands the accumulator with k.
func and(k uint32) unix.SockFilter {
	return unix.SockFilter{Code: unix.BPF_ALU | unix.BPF_AND | unix.BPF_K, K: k}
}

// callBlock is the code of call nr: it starts with the number loaded, and
// jumps past itself for another call.
func callBlock(nr uint32, rules []DockerSyscall, def uint32) ([]unix.SockFilter, error) {
	var body []unix.SockFilter
	for _, r := range rules {
		code, err := ruleCode(r)
		if err != nil {
			return nil, fmt.Errorf("seccomp profile: call %d: %w", nr, err)
		}
		body = append(body, code...)
	}
	body = append(body, ret(def))
	if len(body) > 255 {
		return nil, fmt.Errorf("seccomp profile: call %d has too many rules for one BPF jump (%d instructions)", nr, len(body))
	}
	return append([]unix.SockFilter{jumpIf(unix.BPF_JEQ, nr, 0, uint8(len(body)))}, body...), nil
}

// ruleCode is one rule: its comparisons, then its verdict; each failing
// comparison jumps to the end of it.
func ruleCode(r DockerSyscall) ([]unix.SockFilter, error) {
	verdict, err := action(r.Action, r.ErrnoRet)
	if err != nil {
		return nil, err
	}
	var code []unix.SockFilter
	for _, a := range r.Args {
		lo := offsetArgs + 8*uint32(a.Index) // the low word first: amd64 and arm64 are little-endian
		code = append(code, comparisons[a.Op](lo+4, lo, a.Value, a.ValueTwo)...)
	}
	code = append(code, ret(verdict))
	for i := range code {
		for _, j := range []*uint8{&code[i].Jt, &code[i].Jf} {
			if *j == fail && code[i].Code&0x07 == unix.BPF_JMP { // the instruction class
				*j = uint8(len(code) - i - 1)
			}
		}
	}
	return code, nil
}
