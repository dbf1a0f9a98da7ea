// Package runstats says whether a change between two sets of runs is real:
// each measure (the total, or one function's value) is a sample of one
// value per run on each side, summarized and compared as benchstat does
// (golang.org/x/perf/benchmath, assuming nothing of the distribution:
// medians with order-statistic confidence intervals, the Mann–Whitney U
// test), with a noise floor and the Benjamini–Hochberg procedure for
// testing thousands of functions at once. It knows nothing of profiles:
// the session turns runs into samples, output writes the rows.
package runstats

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
)

// MinRuns is how many runs a side needs before a change is tested: with
// fewer, medians are shown and nothing is called significant.
const MinRuns = 3

// Options are the statistics' thresholds.
type Options struct {
	// Alpha is the false discovery rate over the functions tested (and the
	// significance level of the total's test). Default 0.05.
	Alpha float64
	// Confidence is the confidence level of the medians' intervals.
	// Default 0.95.
	Confidence float64
	// Threshold is the noise floor, a fraction of BEFORE's total: a change
	// of a median smaller than this is not tested and shown as "~".
	// Default 0.01; 0 after Defaults only if set negative (no floor).
	Threshold float64
}

// DefaultOptions are benchstat's alpha and confidence and a floor of 1%.
var DefaultOptions = Options{Alpha: 0.05, Confidence: 0.95, Threshold: 0.01}

// withDefaults fills what o leaves zero from DefaultOptions; a negative
// Threshold means no noise floor.
func (o Options) withDefaults() Options {
	if o.Alpha <= 0 {
		o.Alpha = DefaultOptions.Alpha
	}
	if o.Confidence <= 0 {
		o.Confidence = DefaultOptions.Confidence
	}
	switch {
	case o.Threshold == 0:
		o.Threshold = DefaultOptions.Threshold
	case o.Threshold < 0:
		o.Threshold = 0
	}
	return o
}

// Series is one measure across the runs: a value per run of each side,
// normalized as the caller chose.
type Series struct {
	Name          string
	Before, After []float64
}

// Summary is one side's sample: its median and the median's confidence
// interval (±Inf when too few runs give one), over N runs.
type Summary struct {
	Median, Lo, Hi float64
	N              int
}

// Change is one measure compared.
type Change struct {
	Name          string
	Before, After Summary
	// Delta is After's median minus Before's.
	Delta float64
	// DeltaPct is Delta as a percentage of Before's median, as benchstat
	// writes it; ±Inf when Before's median is 0 and After's is not.
	DeltaPct float64
	// OfTotalPct is Delta as a percentage of Before's total median: what
	// the noise floor and a gate compare.
	OfTotalPct float64
	// P is the U test's p-value (benchstat's), 1 when not tested.
	P float64
	// Q is P adjusted for the number of functions tested
	// (Benjamini–Hochberg); for the total, P itself.
	Q float64
	// Tested says the change was tested: both sides have MinRuns runs and
	// the change is past the noise floor.
	Tested bool
	// Significant says Q is below Alpha.
	Significant bool
}

// Result is a comparison of runs: the total and each function.
type Result struct {
	Total Change
	// Funcs are sorted by SortBySignificance.
	Funcs []Change
	// Options are those used, defaults filled in.
	Options Options
	// Enough says both sides have MinRuns runs, so changes were tested.
	Enough bool
}

// Compare summarizes and tests total and each of funcs. total's Before
// median is the base of the noise floor and of OfTotalPct. Series values
// are reordered (sorted) in place.
func Compare(total Series, funcs []Series, opt Options) Result {
	opt = opt.withDefaults()
	th := &benchmath.Thresholds{CompareAlpha: opt.Alpha}
	res := Result{Options: opt, Enough: len(total.Before) >= MinRuns && len(total.After) >= MinRuns}
	res.Total = compare(total, 0, th, opt, res.Enough)
	base := res.Total.Before.Median
	res.Total.OfTotalPct = pctOf(res.Total.Delta, base)
	res.Total.Tested = res.Enough && math.Abs(res.Total.Delta) >= opt.Threshold*math.Abs(base)
	if res.Total.Tested {
		res.Total.P = benchmath.AssumeNothing.Compare(sample(total.Before, th), sample(total.After, th)).P
	}
	res.Total.Q = res.Total.P
	res.Total.Significant = res.Total.Tested && res.Total.P < opt.Alpha

	res.Funcs = make([]Change, len(funcs))
	var tested []int
	for i, s := range funcs {
		c := compare(s, base, th, opt, res.Enough)
		if c.Tested {
			c.P = benchmath.AssumeNothing.Compare(sample(s.Before, th), sample(s.After, th)).P
			tested = append(tested, i)
		}
		res.Funcs[i] = c
	}
	adjust(res.Funcs, tested)
	for i := range res.Funcs {
		res.Funcs[i].Significant = res.Funcs[i].Tested && res.Funcs[i].Q < opt.Alpha
	}
	SortBySignificance(res.Funcs)
	return res
}

// compare summarizes s's sides; it is Tested when enough and past the
// noise floor of base (a total; 0 for the total itself, decided by the
// caller).
func compare(s Series, base float64, th *benchmath.Thresholds, opt Options, enough bool) Change {
	c := Change{Name: s.Name, P: 1, Q: 1}
	c.Before = summarize(s.Before, th, opt.Confidence)
	c.After = summarize(s.After, th, opt.Confidence)
	c.Delta = c.After.Median - c.Before.Median
	switch {
	case c.Delta == 0:
	case c.Before.Median == 0:
		c.DeltaPct = math.Inf(int(math.Copysign(1, c.Delta)))
	default:
		c.DeltaPct = (c.After.Median/c.Before.Median - 1) * 100
	}
	c.OfTotalPct = pctOf(c.Delta, base)
	c.Tested = enough && base != 0 && math.Abs(c.Delta) >= opt.Threshold*math.Abs(base)
	return c
}

func pctOf(v, total float64) float64 {
	if total == 0 {
		return 0
	}
	return v / math.Abs(total) * 100
}

func sample(values []float64, th *benchmath.Thresholds) *benchmath.Sample {
	return benchmath.NewSample(values, th)
}

// summarize is benchstat's summary of values: the median and its
// interval at confidence.
func summarize(values []float64, th *benchmath.Thresholds, confidence float64) Summary {
	if len(values) == 0 {
		return Summary{Lo: math.Inf(-1), Hi: math.Inf(1)}
	}
	s := benchmath.AssumeNothing.Summary(sample(values, th), confidence)
	return Summary{Median: s.Center, Lo: s.Lo, Hi: s.Hi, N: len(values)}
}

// adjust sets the Benjamini–Hochberg q-value of each change tested (the
// smallest false discovery rate at which it would be called a discovery):
// p × m / rank, made monotone from the largest p down, at most 1.
func adjust(changes []Change, tested []int) {
	m := len(tested)
	slices.SortStableFunc(tested, func(a, b int) int { return cmp.Compare(changes[a].P, changes[b].P) })
	q := 1.0
	for rank := m; rank >= 1; rank-- {
		c := &changes[tested[rank-1]]
		q = math.Min(q, c.P*float64(m)/float64(rank))
		c.Q = q
	}
}

// SortBySignificance orders changes as a reader wants them: significant
// changes first, by the size of their change (|Delta|) descending, then
// the rest by |Delta|; ties by name.
func SortBySignificance(changes []Change) {
	slices.SortStableFunc(changes, func(a, b Change) int {
		if a.Significant != b.Significant {
			if a.Significant {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(math.Abs(b.Delta), math.Abs(a.Delta)), cmp.Compare(a.Name, b.Name))
	})
}

// RangeString is the interval's half-width as a percentage of the median,
// as benchstat writes it after "±": "3%", "∞" (too few runs), "?" (the
// interval crosses zero).
func (s Summary) RangeString() string {
	return benchmath.Summary{Center: s.Median, Lo: s.Lo, Hi: s.Hi}.PctRangeString()
}

// ChangeString is the change as benchstat writes it: "~" for no
// significant change, else the median's change in percent ("+12.34%"), "?"
// from a median of zero. Without enough runs to test, the medians' change
// is given as it is.
func (c Change) ChangeString(enough bool) string {
	if enough && !c.Significant {
		return "~"
	}
	switch {
	case c.Delta == 0:
		return "0.00%"
	case math.IsInf(c.DeltaPct, 0):
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", c.DeltaPct)
}

// Finite is v, or nil when v is infinite or NaN (an interval too few runs
// give, a change from zero): for JSON, which has no infinities.
func Finite(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

// Verdict says what the runs showed of the change, for people:
// "significant (p=0.008)", "not significant (p=0.310)", "under the noise
// floor", or "not tested (3+ runs a side)" when enough is false.
func (c Change) Verdict(enough bool) string {
	switch {
	case !enough:
		return fmt.Sprintf("not tested (%d+ runs a side)", MinRuns)
	case !c.Tested:
		return "under the noise floor"
	case c.Significant:
		return fmt.Sprintf("significant (p=%.3f)", c.P)
	}
	return fmt.Sprintf("not significant (p=%.3f)", c.P)
}

// ByName is the functions' changes by name.
func (r Result) ByName() map[string]Change {
	m := make(map[string]Change, len(r.Funcs))
	for _, c := range r.Funcs {
		m[c.Name] = c
	}
	return m
}
