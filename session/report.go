package session

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/runstats"
)

// Report is a comparison summed up for a pull request or a chat thread:
// the headline, the functions that changed most each way, and the
// insights about the change. Its numbers are flamelens top -diff_base's.
type Report struct {
	Type   model.SampleType `json:"type"`
	Before ReportSide       `json:"before"`
	After  ReportSide       `json:"after"`
	// Change is After − Before, and Percent its share of Before ("+12.34%").
	Change  int64  `json:"change"`
	Percent string `json:"percent"`
	// PerSecond, when the two durations differ by more than 1%, compares
	// the totals per second of profile: a longer capture is not a slower
	// program.
	PerSecond *Rates `json:"per_second,omitempty"`
	// Regressions grew the most (flat, NEW − BASE > 0), Improvements shrank
	// the most, the first ReportRows of each.
	Regressions  []ReportRow        `json:"regressions"`
	Improvements []ReportRow        `json:"improvements"`
	Findings     []insights.Finding `json:"findings"`
	// Runs, for a report of two sets of runs, is the statistics across
	// them (AddRuns); nil for two profiles.
	Runs *ReportRuns `json:"runs,omitempty"`

	view View // the comparison as derived for the rows: the picture's too
}

// View is what of the comparison's view the report was derived from:
// NEW's tree with BASE's values beside (as Main, Detail and CmpNew) and
// the functions' deltas, for its picture — one derivation serves the
// numbers and the flame graph. It has no BASE-shaped tree.
func (r *Report) View() *View { return &r.view }

// ReportSide is one profile of a report.
type ReportSide struct {
	Source   string        `json:"source"`
	Total    int64         `json:"total"`
	Duration time.Duration `json:"duration_ns"`
	Time     time.Time     `json:"time,omitzero"`
}

// Rates are the two totals per second of profile.
type Rates struct {
	Before  float64 `json:"before"` // the unit per second
	After   float64 `json:"after"`
	Percent string  `json:"percent"` // After's change from Before ("-31.20%")
}

// ReportRow is a function's change: flat and cum in both profiles.
type ReportRow struct {
	Name      string `json:"name"`
	BaseFlat  int64  `json:"base_flat"`
	Flat      int64  `json:"flat"`
	BaseCum   int64  `json:"base_cum"`
	Cum       int64  `json:"cum"`
	FlatDelta int64  `json:"flat_delta"` // flamelens top -diff_base's flat
	CumDelta  int64  `json:"cum_delta"`  // and cum
	// Stats, in a report of two sets of runs, is the flat change tested
	// across the runs.
	Stats *RunStats `json:"stats,omitempty"`
}

// ReportRows is how many regressions and improvements a report names.
const ReportRows = 10

// NewReport sums up spec's view of the comparison l. modules name the
// user's code for the insights, as for Insights.
func NewReport(l Loaded, spec Spec, modules []string) (*Report, error) {
	c := l.Comparison()
	if c == nil {
		return nil, errors.New("a report compares two profiles: give the one before as -diff_base BEFORE (or -base)")
	}
	s, err := comparisonStacks(c, spec)
	if err != nil {
		return nil, err
	}
	byNew := s.Tree() // NEW's tree, BASE's values beside: all a report reads (CompareTrees' other two are not)
	deltas := byNew.FunctionDeltas()
	r := &Report{Type: s.SampleType, view: View{Main: byNew, Detail: byNew, CmpNew: byNew, Deltas: deltas}}
	st := s.SampleType
	side := func(info *model.Info, total int64) ReportSide {
		h := model.HeaderOf(info, st, total)
		return ReportSide{Source: info.Source, Total: total, Duration: h.Duration, Time: h.Time}
	}
	r.Before = side(&c.Base.Info, byNew.OtherTotal[model.Root])
	r.After = side(&c.New.Info, byNew.Total[model.Root])
	r.Change = r.After.Total - r.Before.Total
	r.Percent = insights.SignedPercent(r.Change, r.Before.Total)
	if b, a := r.Before.Duration, r.After.Duration; b > 0 && a > 0 && math.Abs(float64(a-b)) > 0.01*float64(b) {
		rb, ra := float64(r.Before.Total)/b.Seconds(), float64(r.After.Total)/a.Seconds()
		r.PerSecond = &Rates{Before: rb, After: ra, Percent: insights.SignedPercent(int64(ra-rb), int64(rb))}
	}
	var rows []ReportRow
	for _, d := range deltas {
		rows = append(rows, ReportRow{Name: d.Name, BaseFlat: d.OtherFlat, Flat: d.Flat, BaseCum: d.OtherCum, Cum: d.Cum,
			FlatDelta: d.Flat - d.OtherFlat, CumDelta: d.Cum - d.OtherCum})
	}
	// As go tool pprof -top -diff_base orders them: by the change, then name.
	slices.SortFunc(rows, func(a, b ReportRow) int {
		return cmp.Or(cmp.Compare(b.FlatDelta, a.FlatDelta), cmp.Compare(a.Name, b.Name))
	})
	for _, row := range rows {
		if row.FlatDelta > 0 && len(r.Regressions) < ReportRows {
			r.Regressions = append(r.Regressions, row)
		}
	}
	for i := len(rows) - 1; i >= 0 && len(r.Improvements) < ReportRows; i-- {
		if rows[i].FlatDelta < 0 {
			r.Improvements = append(r.Improvements, rows[i])
		}
	}
	r.Findings = insights.Insights(s, ownerOf(l, s, modules))
	return r, nil
}

// ReportRuns is what a report of two sets of runs adds: how many runs
// each side had, and the total's change tested across them (medians of
// the runs, normalized as the comparison says).
type ReportRuns struct {
	Before    int       `json:"before_runs"`
	After     int       `json:"after_runs"`
	Normalize Normalize `json:"normalize"`
	Unit      string    `json:"unit"`
	Tested    bool      `json:"tested"` // false: fewer than 3 runs a side
	Total     RunStats  `json:"total"`
	// Comparison is the comparison of the runs' functions' cum; not written.
	Comparison *RunsComparison `json:"-"`
}

// RunStats is a change tested across runs: both medians with their
// intervals, the change of the medians, p (benchstat's) and q (adjusted for
// the functions tested), and whether it is significant.
type RunStats struct {
	Before      RunSummary `json:"before"`
	After       RunSummary `json:"after"`
	DeltaPct    *float64   `json:"delta_pct"`
	P           float64    `json:"p"`
	Q           float64    `json:"q"`
	Tested      bool       `json:"tested"`
	Significant bool       `json:"significant"`
	change      runstats.Change
}

// RunSummary is a side's median and its interval (null: too few runs),
// over N runs, and, where given, each run's value.
type RunSummary struct {
	Median float64   `json:"median"`
	Lo     *float64  `json:"lo"`
	Hi     *float64  `json:"hi"`
	N      int       `json:"n"`
	Values []float64 `json:"values,omitempty"`
}

// Change is the change as runstats has it.
func (s RunStats) Change() runstats.Change { return s.change }

// StatsOf is c as RunStats.
func StatsOf(c runstats.Change) RunStats {
	side := func(s runstats.Summary) RunSummary {
		return RunSummary{Median: s.Median, Lo: runstats.Finite(s.Lo), Hi: runstats.Finite(s.Hi), N: s.N}
	}
	return RunStats{Before: side(c.Before), After: side(c.After), DeltaPct: runstats.Finite(c.DeltaPct), P: c.P, Q: c.Q,
		Tested: c.Tested, Significant: c.Significant, change: c}
}

// AddRuns puts the statistics of two sets of runs in the report: the
// total's in Runs, each row's (its flat change, as the rows are) in its
// Stats. flat compares the runs' flat values, cum their cum.
func (r *Report) AddRuns(flat, cum *RunsComparison) {
	r.Runs = &ReportRuns{Before: cum.Before.Len(), After: cum.After.Len(), Normalize: cum.Normalize, Unit: cum.Unit,
		Tested: cum.Result.Enough, Total: StatsOf(cum.Result.Total), Comparison: cum}
	byName := flat.Result.ByName()
	for _, rows := range [][]ReportRow{r.Regressions, r.Improvements} {
		for i := range rows {
			if c, ok := byName[rows[i].Name]; ok {
				s := StatsOf(c)
				rows[i].Stats = &s
			}
		}
	}
}
