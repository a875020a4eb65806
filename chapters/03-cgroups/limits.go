package cgroups

import (
	"fmt"
	"time"
)

// Limits are what a cgroup may use. A zero field sets no limit. Each field
// names the file it is written to, in v2 and then in v1.
type Limits struct {
	// Memory is the most memory, in bytes, the group's processes may use
	// together: beyond it the kernel reclaims pages, and when it cannot,
	// its OOM killer kills one of them (memory.max; memory.limit_in_bytes).
	Memory int64
	// Swap is the swap the group may use on top of Memory, in bytes: 0 for
	// none, so Memory is a hard limit, or NoLimit. It needs Memory.
	// (memory.swap.max; memory.memsw.limit_in_bytes, which counts memory
	// plus swap, set to Memory+Swap.) Kernels that do not account swap lack
	// these files: there no swap limit applies.
	Swap int64
	// Pids is the most tasks (processes and threads) the group may hold at
	// once: fork and clone fail beyond it (pids.max, in both versions).
	Pids int64
	// CPUs is the CPU time the group may use per unit of wall-clock time:
	// 0.5 is half of one CPU, 2 is two CPUs. The kernel gives it a quota of
	// CPUs × CPUPeriod every CPUPeriod and throttles it, holding its threads
	// back, once the quota is spent (cpu.max; cpu.cfs_quota_us and
	// cpu.cfs_period_us).
	CPUs float64
	// CPUWeight is the group's share of the CPU when groups compete for it,
	// from 1 to 10000; 100 is everyone's default (cpu.weight; cpu.shares,
	// whose default is 1024, set to CPUWeight × 1024 / 100). A weight is
	// not a limit: an idle machine gives any group all it wants.
	CPUWeight int64
}

// NoLimit as Limits.Swap lets the group swap as much as the machine can.
const NoLimit = -1

// CPUPeriod is the period of the CPU quota. 100 ms is the kernel's
// default: a shorter one throttles more smoothly but costs more overhead.
const CPUPeriod = 100 * time.Millisecond

// MaxCPUWeight is the largest CPUWeight.
const MaxCPUWeight = 10000

// Validate checks l before anything is created, so a bad limit is reported
// as such and not as the kernel's "invalid argument".
func (l Limits) Validate() error {
	switch {
	case l.Memory < 0:
		return fmt.Errorf("memory limit %d: must not be negative (0 means no limit)", l.Memory)
	case l.Swap < NoLimit:
		return fmt.Errorf("swap limit %d: must not be negative (0 means no swap, %d no limit)", l.Swap, NoLimit)
	case l.Swap != 0 && l.Memory == 0:
		return fmt.Errorf("swap limit %s without a memory limit: swap is limited on top of memory; set Memory too", swapString(l.Swap))
	case l.Pids < 0:
		return fmt.Errorf("pids limit %d: must not be negative (0 means no limit)", l.Pids)
	case l.CPUs < 0:
		return fmt.Errorf("CPU limit %g: must not be negative (0 means no limit)", l.CPUs)
	case l.CPUs > 0 && l.cpuQuota() < 1000:
		return fmt.Errorf("CPU limit %g: too small; the kernel's smallest quota is 1 ms per %v period, %g CPUs", l.CPUs, CPUPeriod, 1000/float64(CPUPeriod.Microseconds()))
	case l.CPUWeight < 0 || l.CPUWeight > MaxCPUWeight:
		return fmt.Errorf("CPU weight %d: must be from 1 to %d (0 means the default, 100)", l.CPUWeight, MaxCPUWeight)
	}
	return nil
}

// cpuQuota is the quota of CPU time per CPUPeriod, in microseconds.
func (l Limits) cpuQuota() int64 {
	return int64(l.CPUs * float64(CPUPeriod.Microseconds()))
}

func swapString(swap int64) string {
	if swap == NoLimit {
		return "NoLimit"
	}
	return FormatSize(swap)
}

// Settings returns the files that cg.Set(l) writes, in order, with their
// values: the cgroup interface, file by file, for cg's version of cgroups.
func Settings(cg Cgroup, l Limits) []Setting {
	switch g := cg.(type) {
	case *v1Group:
		return g.settings(l)
	case *v2Group:
		return g.settings(l)
	}
	return nil
}

// set validates l and writes settings in order.
func set(l Limits, settings []Setting) error {
	if err := l.Validate(); err != nil {
		return err
	}
	for _, s := range settings {
		if err := s.write(); err != nil {
			return err
		}
	}
	return nil
}
