package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order. (The
// HintsIf patterns read cmp.Diff's output, which pads its lines with
// spaces or, at random, with U+00A0: hence [\s\x{a0}].)
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{
		{
			ID: "cg.mounts", Step: "cgroups.memory", Minutes: 15,
			Tests: []string{"TestDetectLayout", "TestDetectLayoutErrors", "TestGroupDirs"},
			Todo: "Find the cgroup filesystems in the mount table (/proc/self/mountinfo, as chapter 2 parses it): the mount points " +
				"of cgroup2, and for each v1 controller the mount point of its hierarchy. Nothing can be limited before minibox " +
				"knows where the controllers live, and that differs from machine to machine.",
			Hints: []string{
				"Each mount has a filesystem type: cgroup2 is the unified (v2) hierarchy; cgroup is a v1 hierarchy, " +
					"whose super options name its controllers (rw,memory). Count only the mounts a process can reach.",
				"Each Mount has FSType, MountPoint and SuperOptions; visibleMounts(mounts) drops the covered ones; ParseProcCgroups " +
					"lists the controllers the kernel knows, and v1Controllers(m.SuperOptions, known) picks them out of the options. " +
					"man 5 proc (/proc/pid/mountinfo, /proc/cgroups), Documentation/admin-guide/cgroup-v2.rst and " +
					"Documentation/admin-guide/cgroup-v1/cgroups.rst.",
				"table, err := ParseProcCgroups(procCgroups) (return its error); known := a map of the table's names; v1 = map[string]string{}; " +
					"for _, m := range visibleMounts(mounts) { switch m.FSType { case \"cgroup2\": v2Mounts = append(v2Mounts, m.MountPoint); " +
					"case \"cgroup\": for _, c := range v1Controllers(m.SuperOptions, known) { keep the first mount point of c } } }; return v2Mounts, v1, nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise cg\.mounts is not written yet`, Hint: "The stub is still there: walk the mount table and collect the cgroup2 and cgroup mounts."},
				{Output: `assignment to entry in nil map|\+[\s\x{a0}]+V1:[\s\x{a0}]+nil`, Hint: "Make the v1 map before the loop (v1 = map[string]string{}): a layout without v1 hierarchies has an empty map, not nil."},
				{Output: `\+[\s\x{a0}]+"(rw|ro|xattr|seclabel|name=systemd)":`, Hint: "Mount flags passed for controllers: pick the controllers out of the super options with v1Controllers(m.SuperOptions, known), known being the names /proc/cgroups lists."},
				{Output: `--- FAIL: TestDetectLayoutErrors/the_hierarchies_are_covered`, Hint: "A cgroup tree covered by a later mount (a tmpfs over /sys/fs/cgroup) cannot be reached: loop over visibleMounts(mounts), not over every mount."},
				{Output: `--- FAIL: TestDetectLayoutErrors/bad_/proc/cgroups`, Hint: "A bad /proc/cgroups must fail: return ParseProcCgroups' error as it is."},
			},
		},
		{
			ID: "cg.memory", Step: "cgroups.memory", Minutes: 10,
			Tests: []string{"TestSettings", "TestSwapLimitIsOptional"},
			Todo: "Turn the memory limit into the files to write, for either version: v2's memory.max and memory.swap.max " +
				"(swap alone), v1's memory.limit_in_bytes and memory.memsw.limit_in_bytes (memory plus swap). " +
				"The kernel enforces what these files hold, and each version spells the same limit its own way.",
			Hints: []string{
				"No memory limit (l.Memory 0), no settings. Otherwise two: the limit, then the swap limit, which makes Memory a hard limit when Swap is 0.",
				"In dir: v2 memory.max = Memory and memory.swap.max = Swap (max for NoLimit); v1 memory.limit_in_bytes = Memory and " +
					"memory.memsw.limit_in_bytes = Memory+Swap (-1 for NoLimit); decimal(n) writes a number as the files take it. " +
					"The swap setting is Optional unless a swap limit was asked for (Swap > 0): kernels that do not account swap lack its file. " +
					"Documentation/admin-guide/cgroup-v2.rst (Memory) and Documentation/admin-guide/cgroup-v1/memory.rst.",
				"if l.Memory == 0 { return nil }; if version == V2 { swap := \"max\"; if l.Swap != NoLimit { swap = decimal(l.Swap) }; " +
					"return []Setting{{File: dir + \"/memory.max\", Value: decimal(l.Memory)}, {File: dir + \"/memory.swap.max\", Value: swap, Optional: l.Swap <= 0}} }; " +
					"then the same for v1, with \"-1\" and l.Memory+l.Swap.",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise cg\.memory is not written yet`, Hint: "The stub is still there: return the memory settings for version, in dir."},
				{Output: `-[\s\x{a0}]+"memory\.swap\.max":[\s\x{a0}]+\w+,[\s\x{a0}]+\+[\s\x{a0}]+"memory\.swap\.max":|-[\s\x{a0}]+"memory\.memsw\.limit_in_bytes":[\s\x{a0}]+\w+,[\s\x{a0}]+\+[\s\x{a0}]+"memory\.memsw\.limit_in_bytes":`, Hint: "The swap setting is Optional when no swap limit was asked for (l.Swap <= 0): a kernel that does not account swap lacks the file, and the memory limit alone must do; a swap limit asked for must not be skipped."},
				{Output: `\+[\s\x{a0}]+"(memory\.)?(limit_in_bytes|memsw\.limit_in_bytes)"`, Hint: "v1's file names in a v2 group: v2 spells the limits memory.max and memory.swap.max. Is version == V2 checked?"},
				{Output: `-[\s\x{a0}]+"max",[\s\x{a0}]+\+[\s\x{a0}]+"-1",[\s\x{a0}]+" > \S+memory\.swap\.max"|-[\s\x{a0}]+"-1",[\s\x{a0}]+\+[\s\x{a0}]+"max",[\s\x{a0}]+" > \S+memory\.memsw\.limit_in_bytes"`, Hint: "No limit is spelled max in v2 and -1 in v1."},
				{Output: `\+[\s\x{a0}]+"(memory\.)?(max|swap\.max)"`, Hint: "v2's file names in a v1 group: v1 spells the limits memory.limit_in_bytes and memory.memsw.limit_in_bytes."},
				{Output: `-[\s\x{a0}]+"50331648",[\s\x{a0}]+\+[\s\x{a0}]+"16777216"`, Hint: "v1's memsw limit counts memory and swap together: write Memory+Swap (Swap alone is v2's memory.swap.max)."},
				{Output: `-[\s\x{a0}]+"echo \S+ > \S+/memory\.(swap\.max|memsw\.limit_in_bytes)",`, Hint: "The swap limit is missing: after the memory limit comes memory.swap.max (v2) or memory.memsw.limit_in_bytes (v1), or the group swaps instead of meeting its limit."},
			},
		},
		{
			ID: "cg.join", Step: "cgroups.memory", Minutes: 5, Root: true,
			Tests: []string{"TestCommandRunsInItsCgroupFromItsFirstInstruction", "TestMemoryHogIsOOMKilled"},
			Todo: "Put a process into its group: write its PID into cgroup.procs in each of the group's directories " +
				"(one under v2, one per hierarchy under v1). From then on the kernel charges it, and every child it forks, to the group.",
			Hints: []string{
				"Joining a cgroup is a write, not a syscall of its own: the PID, in decimal, into a file. Start does it before the shim execs " +
					"the command, so that the command's first instruction already runs under the limits.",
				"The file is cgroup.procs, in every directory of dirs: under v1 each hierarchy (memory, cpu, pids) has its own. " +
					"Setting{File, Value}.write() opens it O_WRONLY and writes once. Documentation/admin-guide/cgroup-v2.rst " +
					"(Processes) and Documentation/admin-guide/cgroup-v1/cgroups.rst.",
				"for _, d := range dirs { s := Setting{File: d + \"/cgroup.procs\", Value: strconv.Itoa(pid)}; if err := s.write(); err != nil { " +
					"return fmt.Errorf(\"add PID %d to cgroup %s: %w\", pid, name, err) } }; return nil",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise cg\.join is not written yet`, Hint: "The stub is still there: write the PID into each directory's cgroup.procs."},
				{Output: `the command was not in`, Hint: "The command ran outside its group in some hierarchy: write the PID into the cgroup.procs of every directory in dirs, not only the first (v1 has one per controller)."},
				{Output: `cgroup\S*: (no such file or directory|permission denied)`, Hint: "The PID goes into cgroup.procs, which every group has (v2 has no tasks file); a file that is not there cannot be made in a cgroup, and asking to (O_CREAT) gets permission denied."},
				{Output: `invalid argument`, Hint: "The kernel refused what was written: cgroup.procs takes one PID, in decimal, strconv.Itoa(pid)."},
			},
		},
		{
			ID: "cg.pids", Step: "cgroups.pids", Minutes: 5,
			Tests: []string{"TestSettings"},
			Todo: "Write the pids limit: pids.max, the same file in v1 and v2, holds the most tasks the group may have at once. " +
				"Beyond it fork(2) fails with EAGAIN, so a fork bomb stalls instead of filling the machine's process table.",
			Hints: []string{
				"No limit (l.Pids 0), no setting; otherwise exactly one.",
				"The file is pids.max in dir, the value decimal(l.Pids); it counts tasks, threads included. " +
					"Documentation/admin-guide/cgroup-v2.rst (PID) and Documentation/admin-guide/cgroup-v1/pids.rst.",
				"if l.Pids == 0 { return nil }; return []Setting{{File: dir + \"/pids.max\", Value: decimal(l.Pids)}}",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise cg\.pids is not written yet`, Hint: "The stub is still there: return the pids.max setting."},
				{Output: `\+[\s\x{a0}]+"echo 0 > \S+/pids\.max"`, Hint: "Pids 0 in Limits means no limit, but pids.max 0 would let the group start nothing: return no setting then."},
			},
		},
		{
			ID: "cg.cpu", Step: "cgroups.cpu", Minutes: 10,
			Tests: []string{"TestSettings"},
			Todo: "Turn the CPU limits into the files to write, for either version: v2's cpu.max holds \"QUOTA PERIOD\" in microseconds " +
				"and cpu.weight the weight; v1 splits the quota into cpu.cfs_period_us and cpu.cfs_quota_us, and its cpu.shares is 1024 " +
				"for the default weight of 100. The quota caps the CPU time the group gets in every period.",
			Hints: []string{
				"Half a CPU is 50 ms of CPU time in every 100 ms period. l.cpuQuota() is the quota and CPUPeriod the period; " +
					"the kernel takes both in microseconds. A limit that is 0 writes nothing.",
				"v2: cpu.max = \"QUOTA PERIOD\" (\"50000 100000\"), cpu.weight = CPUWeight. v1: cpu.cfs_period_us first (the kernel checks " +
					"a new quota against the period in force), then cpu.cfs_quota_us, then cpu.shares = CPUWeight*1024/100, each decimal(n). " +
					"Documentation/admin-guide/cgroup-v2.rst (CPU) and Documentation/scheduler/sched-bwc.rst.",
				"var s []Setting; if version == V2 { if l.CPUs > 0 { s = append(s, Setting{File: dir + \"/cpu.max\", " +
					"Value: fmt.Sprintf(\"%d %d\", l.cpuQuota(), CPUPeriod.Microseconds())}) }; if l.CPUWeight > 0 { append cpu.weight }; return s }; " +
					"then v1: period and quota if l.CPUs > 0, shares if l.CPUWeight > 0; return s",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise cg\.cpu is not written yet`, Hint: "The stub is still there: return the CPU settings for version, in dir."},
				{Output: `\+[\s\x{a0}]+"[^"\n]*(cfs_|shares)`, Hint: "v1's file names in a v2 group: v2 has one file for the quota, cpu.max, holding \"QUOTA PERIOD\", and cpu.weight for the weight. Is version == V2 checked?"},
				{Output: `-[\s\x{a0}]+"period",[\s\x{a0}]+\+[\s\x{a0}]+"quota"`, Hint: "v1 wants cpu.cfs_period_us written before cpu.cfs_quota_us: the kernel checks a new quota against the period in force."},
				{Output: `\+[\s\x{a0}]+"[^"\n]*(max|weight)"`, Hint: "v2's file names in a v1 group: v1 has cpu.cfs_period_us, cpu.cfs_quota_us and cpu.shares."},
				{Output: `[-+][\s\x{a0}]+"0+",[\s\x{a0}]+"[^"\n]*(cpu\.max|cfs_period_us)"|\+[\s\x{a0}]+"0?\.5"`, Hint: "The kernel counts the quota and the period in whole microseconds: l.cpuQuota() and CPUPeriod.Microseconds(), 100000."},
			},
		},
		{
			ID: "cg.stats", Step: "cgroups.stats", Minutes: 15,
			Tests: []string{"TestStats", "TestStatsWithoutLimits"},
			Todo: "Read a group's memory counters, for either version: in use, peak, limit, anon and file pages, limit hits and OOM kills " +
				"(v2: memory.current, memory.peak, memory.max, memory.stat, memory.events; v1: memory.usage_in_bytes, " +
				"memory.max_usage_in_bytes, memory.limit_in_bytes, memory.stat, memory.failcnt, memory.oom_control). " +
				"The OOM kill count is how Wait tells the OOM killer's SIGKILL from any other.",
			Hints: []string{
				"A fileReader reads the counters: r.number for a one-number file, r.optional for one older kernels lack (0 then), " +
					"r.flat for \"key value\" lines. It keeps the first error, so one return r.err at the end does.",
				"v2: Memory memory.current, MemoryPeak memory.peak (optional: Linux 5.19), MemoryLimit memory.max, Anon and File from memory.stat " +
					"anon and file, MemoryLimitHits and OOMKills from memory.events max and oom_kill. v1: memory.usage_in_bytes, " +
					"memory.max_usage_in_bytes, memory.limit_in_bytes, memory.stat rss and cache, memory.failcnt plus the optional " +
					"memory.memsw.failcnt, memory.oom_control oom_kill. Documentation/admin-guide/cgroup-v2.rst (Memory Interface Files) " +
					"and Documentation/admin-guide/cgroup-v1/memory.rst.",
				"r := &fileReader{dir: dir}; if version == V2 { s.Memory = r.number(\"memory.current\"); s.MemoryPeak = r.optional(\"memory.peak\"); ...; " +
					"stat, events := r.flat(\"memory.stat\"), r.flat(\"memory.events\"); s.OOMKills = events[\"oom_kill\"]; ...; return r.err }; " +
					"then the same from v1's files; return r.err",
			},
			HintsIf: []workshop.FailureHint{
				{Output: `exercise cg\.stats is not written yet`, Hint: "The stub is still there: read the memory files into s and return the reader's error."},
				{Output: `(memory\.peak|memory\.memsw\.failcnt): no such file`, Hint: "Older kernels lack that file (memory.peak came in Linux 5.19, memsw with swap accounting): read it with r.optional, which gives 0 when it is not there."},
				{Output: `memory\.(current|usage_in_bytes|max|limit_in_bytes): no such file`, Hint: "A file of the other version: v2 reads memory.current and memory.max, v1 memory.usage_in_bytes and memory.limit_in_bytes. Is version == V2 checked?"},
				{Output: `\+[\s\x{a0}]+OOMKills:`, Hint: "The OOM kills are counted under the key oom_kill: in memory.events under v2, in memory.oom_control under v1."},
			},
		},
	}
}
