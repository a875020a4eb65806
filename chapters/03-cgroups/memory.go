package cgroups

import "strconv"

// The memory controller counts every page a group's processes use (their
// own, and the page cache of the files they read) and caps the total. At
// the limit the kernel first reclaims (drops cache, swaps out); when that
// is not enough, it runs its OOM killer inside the group, and the group's
// largest process dies with SIGKILL. The rest of the machine never notices.

// memoryV2 returns the v2 settings: memory.max, and memory.swap.max, which
// counts swap alone.
func memoryV2(dir string, l Limits) []Setting {
	if l.Memory == 0 {
		return nil
	}
	swap := "max"
	if l.Swap != NoLimit {
		swap = strconv.FormatInt(l.Swap, 10)
	}
	return []Setting{
		{File: dir + "/memory.max", Value: strconv.FormatInt(l.Memory, 10)},
		{File: dir + "/memory.swap.max", Value: swap, Optional: l.Swap <= 0},
	}
}

// memoryV1 returns the v1 settings: memory.limit_in_bytes, and
// memory.memsw.limit_in_bytes, which counts memory and swap together.
func memoryV1(dir string, l Limits) []Setting {
	if l.Memory == 0 {
		return nil
	}
	memsw := "-1"
	if l.Swap != NoLimit {
		memsw = strconv.FormatInt(l.Memory+l.Swap, 10)
	}
	return []Setting{
		{File: dir + "/memory.limit_in_bytes", Value: strconv.FormatInt(l.Memory, 10)},
		{File: dir + "/memory.memsw.limit_in_bytes", Value: memsw, Optional: l.Swap <= 0},
	}
}

// memoryStatsV2 reads memory.current, memory.peak (Linux 5.19), memory.max,
// memory.stat and memory.events, whose oom_kill counts the OOM killer's
// victims.
func memoryStatsV2(dir string, s *Stats) error {
	r := &fileReader{dir: dir}
	s.Memory = r.number("memory.current")
	s.MemoryPeak = r.optional("memory.peak")
	s.MemoryLimit = r.number("memory.max")
	stat, events := r.flat("memory.stat"), r.flat("memory.events")
	s.Anon, s.File = stat["anon"], stat["file"]
	s.MemoryLimitHits, s.OOMKills = events["max"], events["oom_kill"]
	return r.err
}

// memoryStatsV1 reads the v1 files: usage_in_bytes, max_usage_in_bytes,
// limit_in_bytes, memory.stat, the failcnt of memory and of memory+swap
// (whichever limit an allocation hit first counts it), and
// memory.oom_control's oom_kill (Linux 4.13).
func memoryStatsV1(dir string, s *Stats) error {
	r := &fileReader{dir: dir}
	s.Memory = r.number("memory.usage_in_bytes")
	s.MemoryPeak = r.number("memory.max_usage_in_bytes")
	s.MemoryLimit = r.number("memory.limit_in_bytes")
	stat, oom := r.flat("memory.stat"), r.flat("memory.oom_control")
	s.Anon, s.File = stat["rss"], stat["cache"]
	s.MemoryLimitHits = r.number("memory.failcnt") + r.optional("memory.memsw.failcnt")
	s.OOMKills = oom["oom_kill"]
	return r.err
}
