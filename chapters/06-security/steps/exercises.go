package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "sec.bounding", Step: "security.caps", Minutes: 10, Root: true,
			Tests: []string{"TestDefaultProfileConfines"},
			Todo: "Drop from this thread's bounding set every capability from 0 to last that keep does not have, " +
				"with prctl(PR_CAPBSET_DROP) once for each. Wrap each error with the capability's number.",
			Hints: []string{
				"For root, execve(2) makes the permitted set the whole bounding set again: a capability left in the bounding set comes back at the next exec, whatever the other sets say. So the bounding set goes first, while CAP_SETPCAP (which dropping needs) is still there.",
				"prctl(2) is unix.Prctl(option, arg2, arg3, arg4, arg5) in golang.org/x/sys/unix; the option is unix.PR_CAPBSET_DROP and arg2 the capability's number. keep.Has(c) says whether to keep c. man 2 prctl, man 7 capabilities (\"Capability bounding set\").",
				"for c := 0; c <= last; c++ { if keep.Has(c) { continue }; if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); err != nil { return fmt.Errorf(\"drop capability %d from the bounding set: %w\", c, err) } }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise sec\.bounding is not written yet`, Hint: "The stub is still there: loop over the capabilities and drop those keep lacks."},
				{Output: `CapBnd: 000001f`, Hint: "The bounding set is still full: is every capability keep lacks dropped, up to and including last?"},
				{Output: `CapBnd: 0000000000000000|CapEff: 0000000000000000`, Hint: "Everything was dropped: skip the capabilities keep has (keep.Has(c))."},
			},
		},
		{
			ID: "sec.nnp", Step: "security.nnp", Minutes: 5, Root: true,
			Tests: []string{"TestDefaultProfileConfines"},
			Todo: "Turn no_new_privs on for this thread and all it will execute: prctl(2) with PR_SET_NO_NEW_PRIVS and 1. " +
				"Wrap the error with the call's name.",
			Hints: []string{
				"A setuid-root program runs as root whoever starts it; no_new_privs is a one-way switch after which execve(2) grants nothing: no setuid, no setgid, no file capabilities. It also lets a process without CAP_SYS_ADMIN install a seccomp filter.",
				"prctl(2) is unix.Prctl(option, arg2, arg3, arg4, arg5) in golang.org/x/sys/unix; the option is unix.PR_SET_NO_NEW_PRIVS, arg2 is 1 and the others 0. man 2 prctl, and the kernel's Documentation/userspace-api/no_new_privs.rst.",
				"if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil { return fmt.Errorf(\"prctl(PR_SET_NO_NEW_PRIVS): %w\", err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise sec\.nnp is not written yet`, Hint: "The stub is still there: one prctl(2) call."},
				{Output: `NoNewPrivs: 0, want 1`, Hint: "The container runs without no_new_privs: is arg2 1, and the option PR_SET_NO_NEW_PRIVS (not PR_GET_...)?"},
			},
		},
		{
			ID: "sec.rule", Step: "security.seccomp", Minutes: 15, Root: true,
			Tests: []string{"TestAttacksBeforeAndAfter"},
			Todo: "Return the BPF instructions for one rule, to run with the call's number in the accumulator: if the number " +
				"is not r.Nr, skip to the next rule (the number still loaded); if it is, and r.Mask is 0, return " +
				"SECCOMP_RET_ERRNO|r.Errno; with a mask, load argument r.Arg and refuse only if one of the mask's bits is set, else allow.",
			Hints: []string{
				"A classic BPF program is a list of instructions; a jump's jt and jf count the instructions to skip when the test is true or false. Filter loads the number first and ends with \"allow\": each rule's block either returns a verdict or falls through to the next one.",
				"The helpers build the instructions: jumpIf(unix.BPF_JEQ, k, jt, jf) compares with k, jumpIf(unix.BPF_JSET, mask, jt, jf) tests bits, load(offsetArgs+8*uint32(r.Arg)) loads an argument, ret(unix.SECCOMP_RET_ERRNO|uint32(r.Errno)) refuses, ret(unix.SECCOMP_RET_ALLOW) allows. man 2 seccomp (\"Filter return values\").",
				"refuse := ret(unix.SECCOMP_RET_ERRNO | uint32(r.Errno)); if r.Mask == 0 { return []unix.SockFilter{jumpIf(unix.BPF_JEQ, r.Nr, 0, 1), refuse} }; return []unix.SockFilter{jumpIf(unix.BPF_JEQ, r.Nr, 0, 4), load(offsetArgs + 8*uint32(r.Arg)), jumpIf(unix.BPF_JSET, r.Mask, 0, 1), refuse, ret(unix.SECCOMP_RET_ALLOW)}",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise sec\.rule is not written yet`, Hint: "The stub is still there: return the jump on the number and the refusal."},
				{Output: `default profile: ".*: allowed`, Hint: "A call the filter should refuse got through: does the jump skip the refusal only when the number is not r.Nr (jt 0, jf past the block)?"},
				{Output: `invalid argument|prctl\(PR_SET_SECCOMP\)`, Hint: "The kernel refused the program: a jump goes past its end, or a block does not fall through to the next. Count the instructions each jf skips."},
				{Output: `unconfined: ".*refused`, Hint: "The unconfined container has no filter: that failure is not your rule's. Is the machine as the test expects?"},
			},
		},
		{
			ID: "sec.mask", Step: "security.paths", Minutes: 10, Root: true,
			Tests: []string{"TestMaskedAndReadonlyPaths"},
			Todo: "Hide path from the container: if it does not exist, do nothing; a directory gets an empty read-only tmpfs " +
				"mounted on it, a file gets /dev/null bind-mounted on it. Wrap errors with the path.",
			Hints: []string{
				"The container's /proc is its own mount, made by chapter 2's init: mounting over a file in it changes what the container reads there, and nothing on the host. A mount needs something to mount: /dev/null is an empty file, a fresh tmpfs an empty directory.",
				"os.Stat tells a directory from a file; errors.Is(err, fs.ErrNotExist) a missing path. mount(2) is unix.Mount(source, target, fstype, flags, data): (\"tmpfs\", path, \"tmpfs\", unix.MS_RDONLY, \"size=0\") for a directory, (\"/dev/null\", path, \"\", unix.MS_BIND, \"\") for a file. man 2 mount.",
				"fi, err := os.Stat(path); if errors.Is(err, fs.ErrNotExist) { return nil }; if err != nil { return fmt.Errorf(\"mask %s: %w\", path, err) }; if fi.IsDir() { err = unix.Mount(\"tmpfs\", path, \"tmpfs\", unix.MS_RDONLY, \"size=0\") } else { err = unix.Mount(\"/dev/null\", path, \"\", unix.MS_BIND, \"\") }; if err != nil { return fmt.Errorf(\"mask %s: %w\", path, err) }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise sec\.mask is not written yet`, Hint: "The stub is still there: stat the path, then mount over it."},
				{Output: `bytes or entries in a default container`, Hint: "A masked path still shows its content: is the mount on path itself, and the right kind for a file or a directory?"},
				{Output: `no such file or directory`, Hint: "A path this kernel does not have is not an error: return nil when os.Stat says it does not exist."},
			},
		},
		{
			ID: "sec.devrule", Step: "security.devices", Minutes: 10,
			Tests: []string{"TestParseDeviceRule"},
			Todo: "Read a device rule as devices.allow takes it: \"TYPE MAJOR:MINOR ACCESS\" (TYPE c, b or a; a number or * for any, " +
				"-1 in the rule; ACCESS letters of r, w, m), or \"a\" alone for every device. Anything else is an error that names the rule and shows the form: want TYPE MAJOR:MINOR ACCESS.",
			Hints: []string{
				"Both cgroup versions are driven from the same rules: v1 writes them back with String into devices.allow, v2 compiles them into its BPF program. A device is a type and two numbers: /dev/null is c 1:3.",
				"strings.Fields splits the line; strings.Cut(f[1], \":\") the numbers; deviceNumber reads one (\"*\" is -1); strings.Trim(access, \"rwm\") is empty only for a valid access. man 7 cgroups, Documentation/admin-guide/cgroup-v1/devices.rst.",
				"bad := fmt.Errorf(\"device rule %q: want TYPE MAJOR:MINOR ACCESS\", s); f := strings.Fields(s); if len(f) == 1 && f[0] == \"a\" { return DeviceRule{Type: 'a', Major: -1, Minor: -1, Access: \"rwm\"}, nil }; if len(f) != 3 || len(f[0]) != 1 || !strings.Contains(\"abc\", f[0]) { return DeviceRule{}, bad }; r := DeviceRule{Type: f[0][0], Access: f[2]}; major, minor, ok := strings.Cut(f[1], \":\"); ... check ok, both numbers and the access; return r, nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise sec\.devrule is not written yet`, Hint: "The stub is still there: split the rule into its three fields."},
				{Output: `want it back`, Hint: "A rule read and written back differs: is * read as -1, and the access kept as written?"},
				{Output: `want an error that shows the form`, Hint: "A bad rule got through: check the number of fields, the type letter, both numbers, and that the access has only r, w and m."},
			},
		},
		{
			ID: "sec.idmap", Step: "security.userns", Minutes: 10,
			Tests: []string{"TestHostID"},
			Todo: "Read idMap, the text of /proc/PID/uid_map: one range a line, INSIDE OUTSIDE COUNT. Return the host's ID " +
				"for id, from the line whose range holds it; an error for a line that is not three numbers, and for an id no line maps.",
			Hints: []string{
				"The kernel prints each range right-aligned in columns: strings.Fields splits a line whatever the spaces. A map may have up to 340 lines, each its own range; the ranges never overlap.",
				"id is in the range of a line when INSIDE <= id < INSIDE+COUNT, and its host ID is then OUTSIDE + (id - INSIDE). strconv.ParseUint(f, 10, 32) reads a number; compute in uint64, where INSIDE+COUNT cannot overflow (the host's own map is 0 0 4294967295). man 7 user_namespaces, \"User and group ID mappings\".",
				"for each line of strings.Split(strings.TrimSpace(idMap), \"\\n\"): f := strings.Fields(line); three numbers or an error; if uint64(id) >= inside && uint64(id)-inside < count { return uint32(outside + uint64(id) - inside), nil }; after the loop, an error: not in the map",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise sec\.idmap is not written yet`, Hint: "The stub is still there: split the map into lines, and each line into three numbers."},
				{Output: `HostID\(.*\) = \d+, <nil>, want`, Hint: "A wrong host ID: is it OUTSIDE + (id - INSIDE), from the line whose range holds id?"},
				{Output: `want an error with`, Hint: "A line of two numbers, or one that is not numbers, is an error; so is an id past every range."},
			},
		},
		{
			ID: "sec.verdict", Step: "security.lab", Minutes: 10,
			Tests: []string{"TestVerdict"},
			Todo: "Turn what an attack's call returned into the probe's line, \"NAME: VERDICT\": nil is allowed; a refusal (the probe's " +
				"own refusal type, or an errno refusedBy names) is refused (ERRNO or its words); ENOSYS or ENOENT is absent (ERRNO): " +
				"this kernel has none; any other errno is allowed (ERRNO after the permission check); anything else, error: and the error.",
			Hints: []string{
				"The attacks call dangerous system calls with an argument the kernel rejects only after its permission check: EPERM means a wall stopped the call, EINVAL means it got through every wall and was refused only for the argument. That is how the lab proves an attack would work without doing it.",
				"errors.As(err, &errno) with var errno unix.Errno finds the errno inside a wrapped error (an os.PathError, say); unix.ErrnoName(errno) is its name, EPERM. errors.As(err, &no) with var no refusal finds the probe's own refusals. man 3 errno.",
				"var errno unix.Errno; var no refusal; switch { case err == nil: return name + \": allowed\"; case errors.As(err, &no): return fmt.Sprintf(\"%s: refused (%s)\", name, no); case errors.As(err, &errno) && refusedBy(errno): ...; case ... ENOSYS, ENOENT: ...absent...; case errors.As(err, &errno): ...allowed (%s after the permission check)...; default: return fmt.Sprintf(\"%s: error: %v\", name, err) }",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise sec\.verdict is not written yet`, Hint: "The stub is still there: return the line for each kind of result."},
				{Output: `open x: read-only`, Hint: "A wrapped errno is missed: find it with errors.As, not a type assertion or ==."},
				{Output: `after the permission check\)", want "mount: refused`, Hint: "A refusal reads as allowed: check refusedBy(errno) before the catch-all errno case."},
			},
		},
	}
}
