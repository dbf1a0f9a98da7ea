package model

import (
	"fmt"
	"math"
	"slices"
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

// pprofUnit is one of the units pprof scales values to.
type pprofUnit struct {
	name    string
	aliases []string
	factor  float64
}

// pprofUnitTypes are pprof's units (its measurement package), each type's
// default first.
var pprofUnitTypes = [][]pprofUnit{{
	{"B", []string{"b", "byte"}, 1},
	{"kB", []string{"kb", "kbyte", "kilobyte"}, 1 << 10},
	{"MB", []string{"mb", "mbyte", "megabyte"}, 1 << 20},
	{"GB", []string{"gb", "gbyte", "gigabyte"}, 1 << 30},
	{"TB", []string{"tb", "tbyte", "terabyte"}, 1 << 40},
	{"PB", []string{"pb", "pbyte", "petabyte"}, 1 << 50},
}, {
	{"s", []string{"s", "sec", "second"}, 1e9},
	{"ns", []string{"ns", "nanosecond"}, 1},
	{"us", []string{"μs", "us", "microsecond"}, 1e3},
	{"ms", []string{"ms", "millisecond"}, 1e6},
	{"hrs", []string{"hour", "hr"}, 3600e9},
}, {
	{"GCU", []string{"gcu"}, 1},
	{"n*GCU", []string{"nanogcu"}, 1e-9},
	{"u*GCU", []string{"microgcu"}, 1e-6},
	{"m*GCU", []string{"milligcu"}, 1e-3},
	{"k*GCU", []string{"kilogcu"}, 1e3},
	{"M*GCU", []string{"megagcu"}, 1e6},
	{"G*GCU", []string{"gigagcu"}, 1e9},
	{"T*GCU", []string{"teragcu"}, 1e12},
	{"P*GCU", []string{"petagcu"}, 1e15},
}}

// PprofValue formats v, in unit, as go tool pprof's reports do at its
// default -unit=minimum: scaled to the largest unit it is at least one of,
// two decimals unless they are ".00" ("360ms", "10.66s", "1.50MB"); a unit
// pprof does not know is printed as a plain number.
func PprofValue(v int64, unit string) string {
	if v < 0 && -v > 0 {
		return "-" + PprofValue(-v, unit)
	}
	f, name := float64(v), ""
	if units, u := findPprofUnit(unit); u != nil {
		base := f * u.factor
		best := 0.0
		for _, c := range units {
			if c.factor >= best && base/c.factor >= 1 {
				best, name = c.factor, c.name
			}
		}
		if best == 0 {
			best, name = units[0].factor, units[0].name
		}
		f = base / best
	}
	s := strings.TrimSuffix(strconv.FormatFloat(f, 'f', 2, 64), ".00")
	if s == "0" || s == "-0" {
		return "0"
	}
	return s + name
}

func findPprofUnit(unit string) ([]pprofUnit, *pprofUnit) {
	unit = strings.ToLower(unit)
	if len(unit) > 2 {
		unit = strings.TrimSuffix(unit, "s")
	}
	for _, units := range pprofUnitTypes {
		for i, u := range units {
			if slices.Contains(u.aliases, unit) {
				return units, &units[i]
			}
		}
	}
	return nil, nil
}

// PprofPercent formats v as a share of total as pprof's list header does:
// "  100%", "50.24%", " 0.12%".
func PprofPercent(v, total int64) string {
	var ratio float64
	if total != 0 {
		ratio = math.Abs(float64(v)/float64(total)) * 100
	}
	switch {
	case ratio >= 99.95 && ratio <= 100.05:
		return "  100%"
	case ratio >= 1.0:
		return fmt.Sprintf("%5.2f%%", ratio)
	default:
		return fmt.Sprintf("%5.2g%%", ratio)
	}
}

// A Column formats the values of one table column in one unit, the one
// the column's largest magnitude reads best in, so that every row of the
// column can be compared at a glance: "0.25s" under "18.05s", never
// "250ms" under "1.01mins". Times are never scaled past seconds, as in
// pprof -top. Values are written with two decimals (trailing zeros kept,
// for a right-aligned column); one too small to show is "<0.01s".
type Column struct {
	unit   string  // the sample type's unit, as given
	name   string  // the unit shown; "" for plain numbers
	factor float64 // a shown unit is factor of the sample type's units
	places int     // decimals a count of folded stacks keeps (UnitScale)
	whole  bool    // every value is a whole number of the unit: no decimals
}

// NewColumn is the column format for values in unit whose largest
// magnitude is maxAbs.
func NewColumn(maxAbs int64, unit string) Column {
	c := Column{unit: unit, places: UnitScale(unit), factor: 1}
	if maxAbs < 0 {
		maxAbs = -maxAbs
	}
	units, u := findPprofUnit(unit)
	if u == nil {
		return c
	}
	base := float64(maxAbs) * u.factor
	c.name, c.factor = u.name, 1
	best := 0.0
	for _, cand := range units {
		if units[0].name == "s" && cand.factor > 1e9 {
			continue // minutes and hours read worse than seconds in a column
		}
		if cand.factor >= best && base/cand.factor >= 1 {
			best, c.name = cand.factor, cand.name
		}
	}
	if best == 0 {
		best, c.name = u.factor, u.name
	}
	c.factor = best / u.factor
	return c
}

// Format writes v in the column's unit: "0" for zero.
func (c Column) Format(v int64) string {
	if v == 0 {
		return "0"
	}
	if c.places > 0 {
		return FormatDecimal(v, c.places)
	}
	if c.factor == 1 {
		return strconv.FormatInt(v, 10) + c.name
	}
	f := float64(v) / c.factor
	if c.whole {
		return strconv.FormatFloat(f, 'f', 0, 64) + c.name
	}
	if math.Abs(f) < 0.005 {
		if v < 0 {
			return "-<0.01" + c.name
		}
		return "<0.01" + c.name
	}
	return strconv.FormatFloat(f, 'f', 2, 64) + c.name
}

// Whole reports whether v is a whole number of the column's unit (410ms
// in a column of ms): a column of only such values needs no decimals.
func (c Column) Whole(v int64) bool {
	return c.places > 0 || c.factor == 1 || math.Mod(float64(v), c.factor) == 0
}

// WholeNumbers is the column written without decimals ("740ms", not
// "740.00ms"): for a column whose every value is Whole.
func (c Column) WholeNumbers() Column {
	c.whole = true
	return c
}

// Unit is the unit the column shows ("s", "MB"); "" for plain numbers.
func (c Column) Unit() string { return c.name }

// IsTimeUnit reports whether unit measures time (nanoseconds, seconds,
// ...), as pprof's units say: a profile of time can be taken per second.
func IsTimeUnit(unit string) bool {
	units, u := findPprofUnit(unit)
	return u != nil && units[0].name == "s"
}
