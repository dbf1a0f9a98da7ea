package model

import (
	"strconv"
	"strings"
)

// FormatValue renders v in unit for people: nanoseconds as a duration
// ("1.41s", "250ms"), bytes with binary prefixes ("1.50MB", as pprof
// prints them), anything else as a plain integer; zero is "0" in any unit.
func FormatValue(v int64, unit string) string {
	if v == 0 {
		return "0"
	}
	if places := UnitScale(unit); places > 0 {
		return FormatDecimal(v, places) // counts read with decimals
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	switch strings.ToLower(unit) {
	case "nanoseconds", "ns":
		return sign + scaled(float64(v), []step{{1, "ns"}, {1e3, "us"}, {1e6, "ms"}, {1e9, "s"}, {60e9, "mins"}, {3600e9, "hrs"}})
	case "bytes", "b":
		return sign + scaled(float64(v), []step{{1, "B"}, {1 << 10, "kB"}, {1 << 20, "MB"}, {1 << 30, "GB"}, {1 << 40, "TB"}})
	}
	return sign + strconv.FormatInt(v, 10)
}

type step struct {
	size float64
	name string
}

// scaled picks the largest step not above v and prints v in it with up to
// two decimals, trailing zeros dropped.
func scaled(v float64, steps []step) string {
	s := steps[0]
	for _, c := range steps[1:] {
		if v >= c.size {
			s = c
		}
	}
	out := strconv.FormatFloat(v/s.size, 'f', 2, 64)
	out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	return out + s.name
}
