package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// DiffMode is how a base profile is combined with a newer one.
type DiffMode int

const (
	// DiffBase is pprof's -diff_base: NEW compared with BASE; percentages
	// are shares of BASE's total.
	DiffBase DiffMode = iota + 1
	// SubtractBase is pprof's -base: BASE subtracted from NEW, as for the
	// growth of a cumulative profile (allocs, mutex, block) between two
	// captures; percentages are shares of what is left.
	SubtractBase
)

// Comparison is two profiles of the same program compared, kept apart:
// their two-sided stacks give the side-by-side and differential flame
// graphs and NEW minus BASE; PprofMerge gives pprof's merged profile.
type Comparison struct {
	Base, New *Profile
	Mode      DiffMode
	// Normalize scales BASE to NEW's total, per sample type, as pprof's
	// -normalize does, before anything else.
	Normalize bool

	base *Profile // BASE as compared: normalized, values positive; filtered with New
}

// NewComparison prepares base and newP for comparing (mode as pprof's
// -diff_base or -base; normalize as -normalize, which scales BASE to
// NEW's total per sample type). Neither profile is changed.
func NewComparison(base, newP *Profile, mode DiffMode, normalize bool) (*Comparison, error) {
	for _, p := range []*Profile{base, newP} {
		if p.hasDiffBase() {
			return nil, fmt.Errorf("%s is a comparison already (two counts per line, or a -diff_base merge): it cannot be compared with another profile", p.Source)
		}
	}
	if err := compatible(base, newP); err != nil {
		return nil, err
	}
	if newP.Parts != nil {
		// pprof's merge of several sources has no source labels: samples
		// that differ only by them are one sample, normalized as one and
		// cancelling BASE's.
		raw, err := profile.Merge([]*profile.Profile{withoutLabel(newP.Raw, SourceLabel)})
		if err != nil {
			return nil, fmt.Errorf("%s: %v", newP.Source, err)
		}
		newP = &Profile{Info: newP.Info, Raw: raw}
	}
	c := &Comparison{Base: base, New: newP, Mode: mode, Normalize: normalize, base: base}
	if normalize {
		raw := base.Raw.Copy()
		if err := newP.Raw.Normalize(raw); err != nil {
			return nil, fmt.Errorf("normalizing %s to %s: %v", base.Source, newP.Source, err)
		}
		c.base = NewProfile(base.Source, base.Format, raw)
	}
	return c, nil
}

// Compare combines base and newP as pprof does for -diff_base or -base
// (-normalize with normalize): BASE's values are negated and merged into
// NEW's with the profile package's Merge. The result is one profile whose
// trees and tables print what go tool pprof prints for the same flags
// (SplitDiff gives a -diff_base merge's two sides back). base and newP are
// not changed.
func Compare(base, newP *Profile, mode DiffMode, normalize bool) (*Profile, error) {
	c, err := NewComparison(base, newP, mode, normalize)
	if err != nil {
		return nil, err
	}
	return c.PprofMerge()
}

// PprofMerge is the comparison as one profile: BASE negated and merged into
// NEW with pprof's own Merge, as go tool pprof does for -diff_base and -base.
func (c *Comparison) PprofMerge() (*Profile, error) {
	b := c.base.Raw.Copy()
	if c.Mode == DiffBase {
		b.SetLabel("pprof::base", []string{"true"})
	}
	b.Scale(-1)
	// The sample types were checked equal, so pprof's
	// CompatibilizeSampleTypes has nothing to do; Merge reads its inputs.
	merged, err := profile.Merge([]*profile.Profile{c.New.Raw, b})
	if err != nil {
		return nil, fmt.Errorf("comparing %s with %s: %v", c.New.Source, c.Base.Source, err)
	}
	p := NewProfile(c.New.Source, c.New.Format, merged)
	// pprof's totals: over the merged samples, not the stacks they make
	// (where NEW and BASE cancel), and BASE's alone for -diff_base.
	p.totals = p.pprofTotals()
	return p, nil
}

// SplitDiff is the comparison a -diff_base merge was made from — pprof's
// (its -proto output with -diff_base), Compare's, or a folded file's with
// two counts a line: the samples pprof labels as BASE's, negated back, are
// BASE, the others NEW. It is nil when p has no BASE samples.
func SplitDiff(p *Profile) *Comparison {
	if !p.hasDiffBase() {
		return nil
	}
	side := func(base bool, name string) *Profile {
		var samples []*profile.Sample
		for _, s := range p.Raw.Sample {
			if s.DiffBaseSample() != base {
				continue
			}
			if base {
				c := *s
				c.Value = make([]int64, len(s.Value))
				for i, v := range s.Value {
					c.Value[i] = -v
				}
				c.Label = maps.Clone(s.Label)
				delete(c.Label, "pprof::base")
				s = &c
			}
			samples = append(samples, s)
		}
		return NewProfile(name, p.Format, withSamples(p.Raw, samples))
	}
	base, newP := side(true, p.Source+" (BASE)"), side(false, p.Source+" (NEW)")
	return &Comparison{Base: base, New: newP, Mode: DiffBase, base: base}
}

// withSamples is raw with other samples: the rest (locations, functions,
// mappings) is shared, not copied.
func withSamples(raw *profile.Profile, samples []*profile.Sample) *profile.Profile {
	return &profile.Profile{SampleType: raw.SampleType, DefaultSampleType: raw.DefaultSampleType, Sample: samples,
		Mapping: raw.Mapping, Location: raw.Location, Function: raw.Function, Comments: raw.Comments, DocURL: raw.DocURL,
		DropFrames: raw.DropFrames, KeepFrames: raw.KeepFrames, TimeNanos: raw.TimeNanos, DurationNanos: raw.DurationNanos,
		PeriodType: raw.PeriodType, Period: raw.Period}
}

// withoutLabel is raw with the label key taken off its samples; the
// samples are copied, the rest is shared.
func withoutLabel(raw *profile.Profile, key string) *profile.Profile {
	samples := make([]*profile.Sample, len(raw.Sample))
	for i, s := range raw.Sample {
		c := *s
		if _, ok := s.Label[key]; ok {
			c.Label = maps.Clone(s.Label)
			delete(c.Label, key)
		}
		samples[i] = &c
	}
	return withSamples(raw, samples)
}

// hasDiffBase reports whether any of p's samples is labelled as BASE's in a
// -diff_base merge.
func (p *Profile) hasDiffBase() bool {
	return slices.ContainsFunc(p.Raw.Sample, (*profile.Sample).DiffBaseSample)
}

// compatible says clearly why two profiles cannot be compared.
func compatible(base, newP *Profile) error {
	bt, nt := base.SampleTypes(), newP.SampleTypes()
	if !slices.Equal(bt, nt) {
		names := func(ts []SampleType) string {
			var s []string
			for _, t := range ts {
				s = append(s, t.String())
			}
			return strings.Join(s, ", ")
		}
		return fmt.Errorf("cannot compare %s (%s) with %s (%s): the profiles have different sample types",
			newP.Source, names(nt), base.Source, names(bt))
	}
	return nil
}

// pprofTotals are pprof's totals for each sample type (its report's
// computeTotal): the sum of |value| over all samples, or, in a -diff_base
// merge, over BASE's samples only; for a filtered profile, those of the
// profile it was filtered from.
func (p *Profile) pprofTotals() []int64 {
	if p.totals != nil {
		return p.totals
	}
	n := len(p.Raw.SampleType)
	total, baseTotal := make([]int64, n), make([]int64, n)
	for _, s := range p.Raw.Sample {
		base := s.DiffBaseSample()
		for i, v := range s.Value[:min(n, len(s.Value))] {
			v = abs(v)
			total[i] += v
			if base {
				baseTotal[i] += v
			}
		}
	}
	for i := range total {
		if baseTotal[i] > 0 {
			total[i] = baseTotal[i]
		}
	}
	return total
}

// Stacks gathers the comparison's stacks for one sample type with two
// value columns: NEW's (the primary column) and BASE's (the other), on one
// function table. Trees from it have the same node ids whichever column
// shapes them (see Swapped), so a frame is found in both at once.
func (c *Comparison) Stacks(sampleIndex int, g Granularity) (*Stacks, error) {
	funcs := &funcTable{granularity: g}
	newRaw := c.New.Raw
	if sampleIndex < 0 || sampleIndex >= len(newRaw.SampleType) {
		return nil, fmt.Errorf("%s: sample index %d is outside [0..%d]", c.New.Source, sampleIndex, len(newRaw.SampleType)-1)
	}
	sn, err := collectStacks(newRaw, sampleIndex, newFrameTable(newRaw, funcs))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", c.New.Source, err)
	}
	sb, err := collectStacks(c.base.Raw, sampleIndex, newFrameTable(c.base.Raw, funcs))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", c.Base.Source, err)
	}
	// Shares stay shares of the whole runs when filters left part of them.
	if c.New.totals != nil {
		sn.AbsTotal = c.New.totals[sampleIndex]
	}
	if c.base.totals != nil {
		sb.AbsTotal = c.base.totals[sampleIndex]
	}
	st := newRaw.SampleType[sampleIndex]
	out := &Stacks{Funcs: funcs.funcs, SampleType: SampleType{Name: st.Type, Unit: st.Unit}, SampleIndex: sampleIndex, Granularity: g,
		AbsTotal: sn.AbsTotal, OtherAbsTotal: sb.AbsTotal, names: &funcNames{},
		start: make([]int, 1, len(sn.value)+len(sb.value)+1), list: make([]FuncID, 0, len(sn.list)+len(sb.list)),
		value: make([]int64, 0, len(sn.value)+len(sb.value)), other: make([]int64, 0, len(sn.value)+len(sb.value))}

	mergeSides(out, sn, sb)
	order := make([]int32, len(out.value))
	for k := range order {
		order[k] = int32(k)
	}
	out.order = &stackOrder{}
	out.order.once.Do(func() { out.order.idx = order })
	return out, nil
}

// mergeSides appends to out the stacks of both sides, NEW's (sn) values
// and BASE's (sb) beside them, in sorted order, joining equal stacks: the
// profiles number locations differently, and different locations can be
// the same functions. The union comes out sorted, ready for trees.
func mergeSides(out, sn, sb *Stacks) {
	on, ob := sn.sorted(), sb.sorted()
	// keepInlined marks the frames of the stack just added that side's
	// stack k marks as inlined: a frame is inlined if it is on either side.
	keepInlined := func(side *Stacks, k int32) {
		at := out.start[len(out.start)-2]
		for p := side.start[k]; p < side.start[k+1]; p++ {
			if side.inlined.has(p) {
				out.inlined.add(at + p - side.start[k])
			}
		}
	}
	add := func(frames []FuncID, v, other int64) {
		out.list = append(out.list, frames...)
		out.start = append(out.start, len(out.list))
		out.value, out.other = append(out.value, v), append(out.other, other)
	}
	i, j := 0, 0
	for i < len(on) || j < len(ob) {
		var cmp int
		switch {
		case i == len(on):
			cmp = 1
		case j == len(ob):
			cmp = -1
		default:
			cmp = slices.Compare(sn.Frames(int(on[i])), sb.Frames(int(ob[j])))
		}
		switch {
		case cmp < 0:
			add(sn.Frames(int(on[i])), sn.value[on[i]], 0)
			keepInlined(sn, on[i])
			i++
		case cmp > 0:
			add(sb.Frames(int(ob[j])), 0, sb.value[ob[j]])
			keepInlined(sb, ob[j])
			j++
		default:
			frames, v, o := sn.Frames(int(on[i])), sn.value[on[i]], sb.value[ob[j]]
			add(frames, v, o)
			keepInlined(sn, on[i])
			keepInlined(sb, ob[j])
			// Neighbours in each side may be equal too (locations that are
			// the same functions): fold them in.
			for i++; i < len(on) && slices.Equal(sn.Frames(int(on[i])), frames); i++ {
				v += sn.value[on[i]]
				keepInlined(sn, on[i])
			}
			for j++; j < len(ob) && slices.Equal(sb.Frames(int(ob[j])), frames); j++ {
				o += sb.value[ob[j]]
				keepInlined(sb, ob[j])
			}
			last := len(out.value) - 1
			out.value[last], out.other[last] = v, o
			continue
		}
		// A side's stack just added may repeat in that side: fold it in.
		last := len(out.value) - 1
		frames := out.Frames(last)
		for ; i < len(on) && slices.Equal(sn.Frames(int(on[i])), frames); i++ {
			out.value[last] += sn.value[on[i]]
			keepInlined(sn, on[i])
		}
		for ; j < len(ob) && slices.Equal(sb.Frames(int(ob[j])), frames); j++ {
			out.other[last] += sb.value[ob[j]]
			keepInlined(sb, ob[j])
		}
	}
}

// NewMinusBase returns single-column stacks of NEW minus BASE, the values pprof
// shows for a comparison, with pprof's -diff_base total (BASE's). For
// -base the total is the sum of |NEW−BASE| over call stacks, which can be
// below pprof's sum over its merged samples; Comparison.PprofMerge is exact.
func (s *Stacks) NewMinusBase(mode DiffMode) *Stacks {
	out := *s
	out.value = make([]int64, len(s.value))
	var abs int64
	for i := range s.value {
		out.value[i] = s.value[i] - s.other[i]
		abs += max(out.value[i], -out.value[i])
	}
	out.other = nil
	out.AbsTotal = abs
	if mode == DiffBase && s.OtherAbsTotal > 0 {
		out.AbsTotal = s.OtherAbsTotal
	}
	out.OtherAbsTotal = 0
	return &out
}

// CompareTrees builds the three trees of a comparison's stacks at once:
// shaped by NEW, shaped by BASE (both with the other side's values), and
// NEW minus BASE (pprof's view, totals as NewMinusBase gives them). They share
// their nodes, so a node id is the same call path in all three.
func (s *Stacks) CompareTrees(mode DiffMode) (byNew, byBase, newMinusBase *Tree) {
	byNew = s.Tree()
	rank := byNew.nameRank()
	byBase = byNew.reshaped(byNew.OtherSelf, byNew.OtherTotal, byNew.Self, byNew.Total, s.Swapped(), rank)
	diff := func(a, b []int64) []int64 {
		out := make([]int64, len(a))
		for i := range a {
			out[i] = a[i] - b[i]
		}
		return out
	}
	newMinusBase = byNew.reshaped(diff(byNew.Self, byNew.OtherSelf), diff(byNew.Total, byNew.OtherTotal), nil, nil, s.NewMinusBase(mode), rank)
	return byNew, byBase, newMinusBase
}

// reshaped is a tree with t's nodes and other values, made from s; its
// children are sorted anew.
func (t *Tree) reshaped(self, total, otherSelf, otherTotal []int64, s *Stacks, rank []int32) *Tree {
	out := &Tree{Funcs: t.Funcs, Fn: t.Fn, Parent: t.Parent, Depth: t.Depth, Self: self, Total: total,
		OtherSelf: otherSelf, OtherTotal: otherTotal, SampleType: t.SampleType, SampleIndex: t.SampleIndex,
		AbsTotal: s.AbsTotal, OtherAbsTotal: s.OtherAbsTotal, stacks: s,
		childStart: t.childStart, childList: slices.Clone(t.childList)}
	out.sortChildren(rank)
	return out
}

// Swapped returns the stacks with their two value columns exchanged, to
// shape a comparison's trees by BASE instead of NEW.
func (s *Stacks) Swapped() *Stacks {
	out := *s
	out.value, out.other = s.other, s.value
	out.AbsTotal, out.OtherAbsTotal = s.OtherAbsTotal, s.AbsTotal
	return &out
}

// FuncDelta is one function's flat and cum in both profiles of a
// comparison.
type FuncDelta struct {
	Func                FuncID
	Name                string
	Flat, Cum           int64 // in the primary column (NEW, unless swapped)
	OtherFlat, OtherCum int64 // in the other column (BASE, unless swapped)
}

// FunctionDeltas returns flat and cum of every function in both columns
// of a comparison tree, in FuncID order.
func (t *Tree) FunctionDeltas() []FuncDelta {
	primary := t.Functions()
	other := t.otherTree().Functions()
	byFunc := map[FuncID]*FuncDelta{}
	var out []FuncDelta
	for _, r := range primary {
		out = append(out, FuncDelta{Func: r.Func, Name: r.Name, Flat: r.Flat, Cum: r.Cum})
	}
	for i := range out {
		byFunc[out[i].Func] = &out[i]
	}
	for _, r := range other {
		if d, ok := byFunc[r.Func]; ok {
			d.OtherFlat, d.OtherCum = r.Flat, r.Cum
			continue
		}
		out = append(out, FuncDelta{Func: r.Func, Name: r.Name, OtherFlat: r.Flat, OtherCum: r.Cum})
	}
	slices.SortFunc(out, func(a, b FuncDelta) int { return int(a.Func) - int(b.Func) })
	return out
}

// otherTree is the same tree with its other column as the primary one.
func (t *Tree) otherTree() *Tree {
	o := *t
	o.Self, o.Total = t.OtherSelf, t.OtherTotal
	o.OtherSelf, o.OtherTotal = t.Self, t.Total
	return &o
}

// Filter applies pprof's filters to both sides of the comparison.
func (c *Comparison) Filter(steps ...Filters) (*Comparison, error) {
	newF, err := c.New.Filter(steps...)
	if err != nil {
		return nil, err
	}
	baseF, err := c.base.Filter(steps...)
	if err != nil {
		return nil, err
	}
	out := *c
	out.New, out.base = newF, baseF
	return &out, nil
}
