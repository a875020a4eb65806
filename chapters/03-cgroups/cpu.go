package cgroups

import (
	"fmt"
	"time"
)

// The cpu controller shares CPU time out in two ways. A weight (cpu.weight,
// v1 cpu.shares) divides the CPUs between groups that all want more than
// there is, in proportion. A quota (cpu.max, v1 cpu.cfs_quota_us and
// cpu.cfs_period_us) is a hard cap: so many microseconds of CPU time per
// period, after which the group's threads are throttled, taken off the CPU
// until the next period begins, even when the CPU would otherwise be idle.
// cpu.stat counts the periods and the time throttled.

// cpuSettings returns the settings of the CPU quota and weight for the
// group's directory dir, in the files of version: v2's cpu.max ("quota
// period") and cpu.weight; v1's cpu.cfs_period_us before cpu.cfs_quota_us
// (the kernel checks the quota against the period in force), and
// cpu.shares.
//
//workshop:exercise cg.cpu
func cpuSettings(version, dir string, l Limits) []Setting {
	var s []Setting
	if version == V2 {
		if l.CPUs > 0 {
			s = append(s, Setting{File: dir + "/cpu.max", Value: fmt.Sprintf("%d %d", l.cpuQuota(), CPUPeriod.Microseconds())})
		}
		if l.CPUWeight > 0 {
			s = append(s, Setting{File: dir + "/cpu.weight", Value: decimal(l.CPUWeight)})
		}
		return s
	}
	if l.CPUs > 0 {
		s = append(s,
			Setting{File: dir + "/cpu.cfs_period_us", Value: decimal(CPUPeriod.Microseconds())},
			Setting{File: dir + "/cpu.cfs_quota_us", Value: decimal(l.cpuQuota())})
	}
	if l.CPUWeight > 0 {
		s = append(s, Setting{File: dir + "/cpu.shares", Value: decimal(l.CPUWeight * 1024 / 100)})
	}
	return s
}

// cpuStatsV2 reads cpu.stat (in microseconds) and cpu.max. Only usage_usec
// is there when the cpu controller is not enabled for the group.
func cpuStatsV2(dir string, s *Stats) error {
	r := &fileReader{dir: dir}
	stat, cpuMax := r.flat("cpu.stat"), r.text("cpu.max")
	if r.err != nil {
		return r.err
	}
	s.CPUUsage = time.Duration(stat["usage_usec"]) * time.Microsecond
	s.CPUThrottled = time.Duration(stat["throttled_usec"]) * time.Microsecond
	s.CPUPeriods, s.CPUThrottledPeriods = stat["nr_periods"], stat["nr_throttled"]
	quota, period, err := parseCPUMax(cpuMax)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if quota > 0 {
		s.CPULimit = float64(quota) / float64(period)
	}
	return nil
}

// cpuStatsV1 reads cpu.stat (throttled_time in nanoseconds), the quota and
// period (a quota of -1, no limit, reads as 0), and the usage from the
// cpuacct controller, when it is mounted.
func cpuStatsV1(cpuDir, cpuacctDir string, s *Stats) error {
	r := &fileReader{dir: cpuDir}
	stat := r.flat("cpu.stat")
	s.CPUThrottled = time.Duration(stat["throttled_time"])
	s.CPUPeriods, s.CPUThrottledPeriods = stat["nr_periods"], stat["nr_throttled"]
	if quota, period := r.number("cpu.cfs_quota_us"), r.number("cpu.cfs_period_us"); quota > 0 && period > 0 {
		s.CPULimit = float64(quota) / float64(period)
	}
	if cpuacctDir != "" && r.err == nil {
		r.dir = cpuacctDir
		s.CPUUsage = time.Duration(r.number("cpuacct.usage"))
	}
	return r.err
}
