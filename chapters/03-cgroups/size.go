package cgroups

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Sizes as people type them ("32M", "1.5GiB") and as the kernel wants them
// (bytes). Units are powers of 1024, as docker and the kernel use them: "M"
// and "MB" are both MiB here.

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
}

// ParseSize parses a size in bytes: "33554432", "32M", "32MiB", "512k",
// "1.5G".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' && r != '+' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	if num == "" {
		return 0, fmt.Errorf("size %q: want a number and a unit, e.g. 32M", s)
	}
	mult, ok := sizeUnits[strings.ToLower(unit)]
	if !ok {
		return 0, fmt.Errorf("size %q: unknown unit %q: use B, K, M, G or T (powers of 1024), e.g. 32M or 32MiB", s, unit)
	}
	f, err := strconv.ParseFloat(num, 64)
	switch {
	case err != nil:
		return 0, fmt.Errorf("size %q: %q is not a number", s, num)
	case f < 0:
		return 0, fmt.Errorf("size %q: must not be negative", s)
	case f*float64(mult) >= math.MaxInt64:
		return 0, fmt.Errorf("size %q: too large", s)
	}
	return int64(f * float64(mult)), nil
}

// FormatSize writes bytes for people: "32 MiB", "1.5 GiB", "812 KiB".
func FormatSize(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v, u := float64(n), 0
	for u < len(units)-1 && math.Abs(v) >= 1024 {
		v /= 1024
		u++
	}
	if v == math.Trunc(v) || u == 0 {
		return fmt.Sprintf("%d %s", int64(v), units[u])
	}
	return fmt.Sprintf("%.1f %s", v, units[u])
}

// ParseCPUs parses a CPU limit as docker's --cpus takes it: "0.5" is half
// of one CPU.
func ParseCPUs(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return 0, fmt.Errorf("CPUs %q: want a number of CPUs, e.g. 0.5 for half of one", s)
	case f < 0:
		return 0, fmt.Errorf("CPUs %q: must not be negative", s)
	}
	return f, nil
}
