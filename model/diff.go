package model

import (
	"fmt"
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

// Comparison is two profiles of the same program compared: pprof's merged
// profile (for the numbers pprof prints) and both sides kept apart (for
// side-by-side and differential flame graphs).
type Comparison struct {
	Base, New *Profile
	Mode      DiffMode
	// Normalize scales BASE to NEW's total, per sample type, as pprof's
	// -normalize does, before anything else.
	Normalize bool

	base *profile.Profile // BASE as compared: normalized, values positive
}

// Compare combines base and newP as pprof does for -diff_base or -base
// (-normalize with normalize): BASE's values are negated and merged into
// NEW's. The result is a Profile whose trees and tables print what
// go tool pprof prints for the same flags. base and newP are not changed.
func Compare(base, newP *Profile, mode DiffMode, normalize bool) (*Profile, error) {
	if err := compatible(base, newP); err != nil {
		return nil, err
	}
	c := &Comparison{Base: base, New: newP, Mode: mode, Normalize: normalize}
	b := base.Raw.Copy()
	if normalize {
		if err := newP.Raw.Normalize(b); err != nil {
			return nil, fmt.Errorf("normalizing %s to %s: %v", base.Source, newP.Source, err)
		}
	}
	c.base = b.Copy()
	if mode == DiffBase {
		b.SetLabel("pprof::base", []string{"true"})
	}
	b.Scale(-1)
	n := newP.Raw.Copy()
	profiles := []*profile.Profile{n, b}
	if err := profile.CompatibilizeSampleTypes(profiles); err != nil {
		return nil, fmt.Errorf("comparing %s with %s: %v", newP.Source, base.Source, err)
	}
	merged, err := profile.Merge(profiles)
	if err != nil {
		return nil, fmt.Errorf("comparing %s with %s: %v", newP.Source, base.Source, err)
	}
	return &Profile{Source: newP.Source, Format: newP.Format, Raw: merged, comparison: c}, nil
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

// Comparison is what p was made from by Compare, or nil.
func (p *Profile) Comparison() *Comparison { return p.root().comparison }

// pprofTotal is pprof's total for a sample type (its report's
// computeTotal): the sum of |value| over all samples, or, in a -diff_base
// comparison, over BASE's samples only.
func (p *Profile) pprofTotal(sampleIndex int) int64 {
	var total, baseTotal int64
	diff := p.comparison != nil && p.comparison.Mode == DiffBase
	for _, s := range p.Raw.Sample {
		if sampleIndex >= len(s.Value) {
			continue
		}
		v := abs(s.Value[sampleIndex])
		total += v
		if diff && s.DiffBaseSample() {
			baseTotal += v
		}
	}
	if baseTotal > 0 {
		return baseTotal
	}
	return total
}

// Stacks gathers the comparison's stacks for one sample type with two
// value columns: NEW's (the primary column) and BASE's (the other), on one
// function table. Trees from it have the same node ids whichever column
// shapes them (see Swapped), so a frame is found in both at once.
func (c *Comparison) Stacks(sampleIndex int) (*Stacks, error) {
	funcs := &funcTable{}
	newRaw := c.New.Raw
	if sampleIndex < 0 || sampleIndex >= len(newRaw.SampleType) {
		return nil, fmt.Errorf("%s: sample index %d is outside [0..%d]", c.New.Source, sampleIndex, len(newRaw.SampleType)-1)
	}
	sn, err := collectStacks(newRaw, sampleIndex, newFrameTable(newRaw, funcs))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", c.New.Source, err)
	}
	sb, err := collectStacks(c.base, sampleIndex, newFrameTable(c.base, funcs))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", c.Base.Source, err)
	}
	st := newRaw.SampleType[sampleIndex]
	out := &Stacks{Funcs: funcs.funcs, SampleType: SampleType{Name: st.Type, Unit: st.Unit}, SampleIndex: sampleIndex,
		AbsTotal: sn.AbsTotal, OtherAbsTotal: sb.AbsTotal, start: []int{0}, names: &funcNames{}, other: []int64{}}

	// Union the two by function sequence: different locations can be the
	// same functions, and the profiles number their locations differently.
	index := map[uint64][]int32{}
	add := func(frames []FuncID, v int64, other bool) {
		h := hashFuncs(frames)
		for _, i := range index[h] {
			if slices.Equal(out.Frames(int(i)), frames) {
				if other {
					out.other[i] += v
				} else {
					out.value[i] += v
				}
				return
			}
		}
		index[h] = append(index[h], int32(len(out.value)))
		out.list = append(out.list, frames...)
		out.start = append(out.start, len(out.list))
		if other {
			out.value, out.other = append(out.value, 0), append(out.other, v)
		} else {
			out.value, out.other = append(out.value, v), append(out.other, 0)
		}
	}
	for i := range sn.value {
		add(sn.Frames(i), sn.value[i], false)
	}
	for i := range sb.value {
		add(sb.Frames(i), sb.value[i], true)
	}
	return out, nil
}

func hashFuncs(frames []FuncID) uint64 {
	h := uint64(len(frames)) * 0x9e3779b97f4a7c15
	for _, f := range frames {
		h ^= uint64(uint32(f))
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return h
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
	baseF, err := (&Profile{Source: c.Base.Source, Format: c.Base.Format, Raw: c.base}).Filter(steps...)
	if err != nil {
		return nil, err
	}
	out := *c
	out.New, out.base = newF, baseF.Raw
	return &out, nil
}
