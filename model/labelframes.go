package model

import (
	"math/bits"
	"strings"

	"github.com/google/pprof/profile"
)

// LabelKeys splits a -tagroot/-tagleaf value into its keys, dropping
// empty ones.
func LabelKeys(value string) []string {
	var keys []string
	for _, k := range strings.Split(value, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// addLabelFrames gives each sample of raw frames for its label values, as
// pprof's -tagroot and -tagleaf do: a frame per key of rootKeys above
// its stack (the first key outermost) and per key of leafKeys below it
// (the last key innermost), each a function named by the sample's
// values of the key (comma-separated; "" when it has none) in a file
// named by the key. Numeric values are written as pprof writes them
// (PprofValue); keys in buckets group them into power-of-two ranges.
func addLabelFrames(raw *profile.Profile, rootKeys, leafKeys []string, buckets map[string]bool) {
	var nextLoc, nextFunc uint64
	for _, l := range raw.Location {
		nextLoc = max(nextLoc, l.ID)
	}
	for _, f := range raw.Function {
		nextFunc = max(nextFunc, f.ID)
	}
	type frameKey struct{ name, key string }
	frames := map[frameKey]*profile.Location{}
	frame := func(k frameKey) *profile.Location {
		if l, ok := frames[k]; ok {
			return l
		}
		nextLoc++
		nextFunc++
		fn := &profile.Function{ID: nextFunc, Name: k.name, Filename: k.key}
		l := &profile.Location{ID: nextLoc, Line: []profile.Line{{Function: fn}}}
		raw.Function = append(raw.Function, fn)
		raw.Location = append(raw.Location, l)
		frames[k] = l
		return l
	}
	// framesOf are s's frames for keys, leaf-most first, as stacks are kept.
	framesOf := func(s *profile.Sample, keys []string) []*profile.Location {
		out := make([]*profile.Location, 0, len(keys))
		for i := len(keys) - 1; i >= 0; i-- {
			k := keys[i]
			out = append(out, frame(frameKey{strings.Join(labelValues(s, k, buckets[k]), ","), k}))
		}
		return out
	}
	for _, s := range raw.Sample {
		leaves, roots := framesOf(s, leafKeys), framesOf(s, rootKeys)
		stack := make([]*profile.Location, 0, len(leaves)+len(s.Location)+len(roots))
		stack = append(append(append(stack, leaves...), s.Location...), roots...)
		s.Location = stack
	}
}

// labelValues are s's values of key: its strings, then its numbers as
// pprof writes them (in their unit, at its best scale), or their
// power-of-two ranges when bucketed.
func labelValues(s *profile.Sample, key string, bucketed bool) []string {
	values := append([]string(nil), s.Label[key]...)
	nums, units := s.NumLabel[key], s.NumUnit[key]
	if len(units) != 0 && len(units) != len(nums) {
		return values // as pprof: units that do not fit the numbers
	}
	for i, v := range nums {
		unit := ""
		if len(units) != 0 {
			unit = units[i]
		}
		if bucketed {
			values = append(values, Bucket(v, unit))
			continue
		}
		values = append(values, PprofValue(v, unit))
	}
	return values
}

// Bucket names the power-of-two range v falls in, in unit: "0", "1",
// "2–4", "1kB–2kB" (a range holds its low end, not its high end), and
// negative ranges likewise.
func Bucket(v int64, unit string) string {
	switch {
	case v == 0 || v == 1:
		return PprofValue(v, unit)
	case v < 0:
		if v == -1 {
			return PprofValue(v, unit)
		}
		lo := int64(1) << (bits.Len64(uint64(-v)) - 1)
		return PprofValue(-2*lo, unit) + "–" + PprofValue(-lo, unit)
	}
	lo := int64(1) << (bits.Len64(uint64(v)) - 1)
	hi := lo * 2
	if lo == 1<<62 {
		hi = 1<<63 - 1
	}
	return PprofValue(lo, unit) + "–" + PprofValue(hi, unit)
}
