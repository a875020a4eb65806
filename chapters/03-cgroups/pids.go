package cgroups

// The pids controller caps how many tasks (processes and threads) a group
// holds at once. At the limit fork(2) and clone(2) fail with EAGAIN, "Resource
// temporarily unavailable": a fork bomb stalls at the limit instead of
// filling the machine's process table. Its files are the same in v1 and v2.

// pidsSettings returns the setting of the pids limit for the group's
// directory dir: pids.max, the same file in both versions.
//
//workshop:exercise cg.pids
func pidsSettings(dir string, l Limits) []Setting {
	if l.Pids == 0 {
		return nil
	}
	return []Setting{{File: dir + "/pids.max", Value: decimal(l.Pids)}}
}

// pidsStats reads pids.current, pids.max and pids.events, whose "max"
// counts the forks refused at the limit.
func pidsStats(dir string, s *Stats) error {
	r := &fileReader{dir: dir}
	s.Pids, s.PidsLimit = r.number("pids.current"), r.number("pids.max")
	s.PidsLimitHits = r.flat("pids.events")["max"]
	return r.err
}
