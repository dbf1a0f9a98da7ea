package model

import (
	"github.com/google/pprof/profile"
)

// ProfileOfStacks is s written as a pprof profile of one sample type: a
// function and a location per frame (its name, file and start line), a
// sample per stack with its value. In a comparison (stacks with BASE's
// values), BASE's are further samples, negated and labelled pprof::base
// as go tool pprof -proto -diff_base writes them. What it loses is what
// the stacks do not keep: addresses, mappings, inlining and labels.
func ProfileOfStacks(s *Stacks, info *Info) *profile.Profile {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: s.SampleType.Name, Unit: s.SampleType.Unit}},
	}
	if info != nil && info.header != nil {
		raw := info.header
		p.TimeNanos, p.DurationNanos, p.Period = raw.TimeNanos, raw.DurationNanos, raw.Period
		if raw.PeriodType != nil {
			p.PeriodType = &profile.ValueType{Type: raw.PeriodType.Type, Unit: raw.PeriodType.Unit}
		}
		p.Comments = append(p.Comments, raw.Comments...)
	}
	locs := make([]*profile.Location, len(s.Funcs))
	location := func(f FuncID) *profile.Location {
		if locs[f] == nil {
			fn := &s.Funcs[f]
			name := fn.Function
			if name == "" {
				name = fn.Name
			}
			pf := &profile.Function{ID: uint64(len(p.Function) + 1), Name: name, SystemName: name, Filename: fn.File, StartLine: fn.StartLine}
			p.Function = append(p.Function, pf)
			locs[f] = &profile.Location{ID: uint64(len(p.Location) + 1), Line: []profile.Line{{Function: pf, Line: fn.Line}}}
			p.Location = append(p.Location, locs[f])
		}
		return locs[f]
	}
	for i := 0; i < s.Len(); i++ {
		frames := s.Frames(i)
		stack := make([]*profile.Location, len(frames))
		for j, f := range frames {
			stack[len(frames)-1-j] = location(f) // leaf first, as pprof keeps them
		}
		if v := s.value[i]; v != 0 {
			p.Sample = append(p.Sample, &profile.Sample{Location: stack, Value: []int64{v}})
		}
		if b := s.OtherValue(i); b != 0 {
			p.Sample = append(p.Sample, &profile.Sample{Location: stack, Value: []int64{-b},
				Label: map[string][]string{"pprof::base": {"true"}}})
		}
	}
	return p
}
