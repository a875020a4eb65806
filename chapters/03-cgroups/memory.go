package cgroups

import "errors"

// The memory controller counts every page a group's processes use (their
// own, and the page cache of the files they read) and caps the total. At
// the limit the kernel first reclaims (drops cache, swaps out); when that
// is not enough, it runs its OOM killer inside the group, and the group's
// largest process dies with SIGKILL. The rest of the machine never notices.

// ErrOOMKilled is in the error of a command the kernel's OOM killer ended.
var ErrOOMKilled = errors.New("killed by the kernel's OOM killer")

// memorySettings returns the settings of the memory limit for the group's
// directory dir, in the files of version: v2's memory.max, and
// memory.swap.max, which counts swap alone; v1's memory.limit_in_bytes, and
// memory.memsw.limit_in_bytes, which counts memory and swap together.
//
//workshop:exercise cg.memory
func memorySettings(version, dir string, l Limits) []Setting {
	if l.Memory == 0 {
		return nil
	}
	if version == V2 {
		swap := "max"
		if l.Swap != NoLimit {
			swap = decimal(l.Swap)
		}
		return []Setting{
			{File: dir + "/memory.max", Value: decimal(l.Memory)},
			{File: dir + "/memory.swap.max", Value: swap, Optional: l.Swap <= 0},
		}
	}
	memsw := "-1"
	if l.Swap != NoLimit {
		memsw = decimal(l.Memory + l.Swap)
	}
	return []Setting{
		{File: dir + "/memory.limit_in_bytes", Value: decimal(l.Memory)},
		{File: dir + "/memory.memsw.limit_in_bytes", Value: memsw, Optional: l.Swap <= 0},
	}
}

// memoryStats reads the memory counters of the group's directory dir, in
// the files of version. v2: memory.current, memory.peak (Linux 5.19),
// memory.max, memory.stat and memory.events, whose oom_kill counts the OOM
// killer's victims. v1: usage_in_bytes, max_usage_in_bytes,
// limit_in_bytes, memory.stat, the failcnt of memory and of memory+swap
// (whichever limit an allocation hit first counts it), and
// memory.oom_control's oom_kill (Linux 4.13).
//
//workshop:exercise cg.stats
func memoryStats(version, dir string, s *Stats) error {
	r := &fileReader{dir: dir}
	if version == V2 {
		s.Memory = r.number("memory.current")
		s.MemoryPeak = r.optional("memory.peak")
		s.MemoryLimit = r.number("memory.max")
		stat, events := r.flat("memory.stat"), r.flat("memory.events")
		s.Anon, s.File = stat["anon"], stat["file"]
		s.MemoryLimitHits, s.OOMKills = events["max"], events["oom_kill"]
		return r.err
	}
	s.Memory = r.number("memory.usage_in_bytes")
	s.MemoryPeak = r.number("memory.max_usage_in_bytes")
	s.MemoryLimit = r.number("memory.limit_in_bytes")
	stat, oom := r.flat("memory.stat"), r.flat("memory.oom_control")
	s.Anon, s.File = stat["rss"], stat["cache"]
	s.MemoryLimitHits = r.number("memory.failcnt") + r.optional("memory.memsw.failcnt")
	s.OOMKills = oom["oom_kill"]
	return r.err
}
