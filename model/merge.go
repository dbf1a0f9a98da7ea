package model

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/google/pprof/profile"
)

// SourceLabel is the label key each sample of a merged profile gets: the
// source it came from (a file's name, a service's host:port), so that the
// labels machinery (-tagfocus, -tagroot, the Tags dialog) can tell the
// sources apart again.
const SourceLabel = "source"

// Part is one of the sources merged into a profile: the name its samples
// are labelled with, and why it could not be read, if it could not.
type Part struct {
	Source string // as given: a path or a URL
	Name   string // its SourceLabel value
	Err    error
}

// PartsNote says how many of a merged profile's sources it holds: "4
// sources", or "3 of 4 sources" when some could not be read; "" for a
// profile of one source.
func (p *Info) PartsNote() string {
	if len(p.Parts) == 0 {
		return ""
	}
	read := 0
	for _, part := range p.Parts {
		if part.Err == nil {
			read++
		}
	}
	if read == len(p.Parts) {
		return fmt.Sprintf("%d sources", read)
	}
	return fmt.Sprintf("%d of %d sources", read, len(p.Parts))
}

// PartNames are the SourceLabel values for sources, in order: a file's
// base name, a URL's host:port, or, where two would be the same, the
// source as given.
func PartNames(sources []string) []string {
	names := make([]string, len(sources))
	seen := map[string]int{}
	for i, s := range sources {
		names[i] = partName(s)
		seen[names[i]]++
	}
	for i, s := range sources {
		if seen[names[i]] > 1 {
			names[i] = s
		}
	}
	return names
}

func partName(source string) string {
	if strings.Contains(source, "://") {
		if u, err := url.Parse(source); err == nil && u.Host != "" {
			return u.Host
		}
		return source
	}
	if !strings.ContainsAny(source, `/\`) && strings.Contains(source, ":") {
		return source // pprof's host:port shorthand
	}
	return filepath.Base(source)
}

// Merge merges the profiles read from parts (nil where a part failed,
// with its Err set) into one, as go tool pprof merges the profiles it is
// given: sample types made compatible (profile.CompatibilizeSampleTypes),
// values scaled to the finest unit each type has among them, then the
// samples put together with profile.Merge's header (see concat). Each
// sample is labelled with its part's name (SourceLabel). The profiles
// given are changed and must not be used again. The result is named after the parts and lists them, failed ones
// too (Info.Parts); when none could be read, the error names each.
func Merge(parts []Part, profiles []*Profile) (*Profile, error) {
	var raws []*profile.Profile
	var names []string
	var warnings []string
	for i, p := range profiles {
		if p == nil {
			continue
		}
		if p.hasDiffBase() {
			return nil, fmt.Errorf("%s: is a -diff_base comparison, which cannot be merged with other profiles", p.Source)
		}
		raws = append(raws, p.Raw)
		names = append(names, parts[i].Name)
		warnings = append(warnings, p.Warnings...)
	}
	if len(raws) == 0 {
		var errs []error
		for _, part := range parts {
			errs = append(errs, part.Err)
		}
		return nil, fmt.Errorf("none of the %d sources could be read:\n%w", len(parts), errors.Join(errs...))
	}
	if err := profile.CompatibilizeSampleTypes(raws); err != nil {
		return nil, fmt.Errorf("merging %s: %v", strings.Join(names, ", "), err)
	}
	if err := scaleToCommonUnits(raws); err != nil {
		return nil, fmt.Errorf("merging %s: %v", strings.Join(names, ", "), err)
	}
	merged, err := concat(raws, names)
	if err != nil {
		return nil, fmt.Errorf("merging %s: %v", strings.Join(names, ", "), err)
	}
	format := FormatPprof
	for _, p := range profiles {
		if p != nil && p.Format == FormatFolded {
			format = FormatFolded
		}
	}
	out := NewProfile(strings.Join(names, " + "), format, merged)
	out.Parts, out.Warnings = parts, warnings
	return out, nil
}

// scaleToCommonUnits scales each sample type (and the period) to the
// finest unit it has among the profiles, as pprof does before merging
// (a profile in milliseconds with one in nanoseconds: both in
// nanoseconds). Types whose units cannot be converted are an error.
func scaleToCommonUnits(raws []*profile.Profile) error {
	if len(raws) < 2 {
		return nil
	}
	var periods []*profile.ValueType
	for _, p := range raws {
		if p.PeriodType != nil {
			periods = append(periods, p.PeriodType)
		}
	}
	period, err := finestUnit(periods)
	if err != nil {
		return fmt.Errorf("period type: %v", err)
	}
	common := make([]string, len(raws[0].SampleType))
	for i := range common {
		var types []*profile.ValueType
		for _, p := range raws {
			types = append(types, p.SampleType[i])
		}
		if common[i], err = finestUnit(types); err != nil {
			return fmt.Errorf("sample types: %v", err)
		}
	}
	for _, p := range raws {
		if p.PeriodType != nil && period != "" {
			p.Period = int64(float64(p.Period) * unitRatio(p.PeriodType.Unit, period))
			p.PeriodType.Unit = period
		}
		ratios := make([]float64, len(p.SampleType))
		scale := false
		for i, st := range p.SampleType {
			ratios[i] = 1
			if common[i] != "" && st.Unit != common[i] {
				ratios[i] = unitRatio(st.Unit, common[i])
				st.Unit = common[i]
				scale = true
			}
		}
		if scale {
			if err := p.ScaleN(ratios); err != nil {
				return err
			}
		}
	}
	return nil
}

// finestUnit is the smallest of the units of types, which must all be of
// one kind (time, memory, …); "" when they are one unit already.
func finestUnit(types []*profile.ValueType) (string, error) {
	if len(types) < 2 {
		return "", nil
	}
	finest := types[0]
	for _, t := range types[1:] {
		if t.Unit == finest.Unit {
			continue
		}
		if strings.TrimSuffix(t.Type, "s") != strings.TrimSuffix(finest.Type, "s") || !sameUnitKind(t.Unit, finest.Unit) {
			return "", fmt.Errorf("incompatible types: %s/%s and %s/%s", finest.Type, finest.Unit, t.Type, t.Unit)
		}
		if unitRatio(t.Unit, finest.Unit) < 1 {
			finest = t
		}
	}
	return finest.Unit, nil
}

// sameUnitKind reports whether a value in unit a can be given in unit b.
func sameUnitKind(a, b string) bool {
	ua, _ := findPprofUnit(a)
	ub, _ := findPprofUnit(b)
	return ua != nil && len(ua) == len(ub) && &ua[0] == &ub[0]
}

// unitRatio is what one of unit from is in unit to (1 when either is not
// a unit pprof knows).
func unitRatio(from, to string) float64 {
	_, f := findPprofUnit(from)
	_, t := findPprofUnit(to)
	if f == nil || t == nil {
		return 1
	}
	return f.factor / t.factor
}

// concat puts the samples of raws together in one profile, each labelled
// with its source's name, with the header profile.Merge gives (earliest
// time, summed durations, largest period). Unlike profile.Merge it does
// not look for samples, locations or functions that are the same in two
// sources: the samples keep theirs (their IDs renumbered), which gives
// the same stacks, values and so numbers, at a fraction of the cost —
// merging a fleet is reading it, then this. raws are taken over.
func concat(raws []*profile.Profile, names []string) (*profile.Profile, error) {
	first := raws[0]
	out := &profile.Profile{SampleType: first.SampleType, PeriodType: first.PeriodType,
		DropFrames: first.DropFrames, KeepFrames: first.KeepFrames}
	seenComments := map[string]bool{}
	var mappingID, locationID, functionID uint64
	samples := 0
	for i, p := range raws {
		if err := sameTypes(first, p); err != nil {
			return nil, err
		}
		if out.TimeNanos == 0 || p.TimeNanos < out.TimeNanos {
			out.TimeNanos = p.TimeNanos
		}
		out.DurationNanos += p.DurationNanos
		out.Period = max(out.Period, p.Period)
		for _, c := range p.Comments {
			if !seenComments[c] {
				out.Comments = append(out.Comments, c)
				seenComments[c] = true
			}
		}
		if out.DefaultSampleType == "" {
			out.DefaultSampleType = p.DefaultSampleType
		}
		if out.DocURL == "" {
			out.DocURL = p.DocURL
		}
		for _, m := range p.Mapping {
			mappingID++
			m.ID = mappingID
		}
		for _, l := range p.Location {
			locationID++
			l.ID = locationID
		}
		for _, f := range p.Function {
			functionID++
			f.ID = functionID
		}
		out.Mapping = append(out.Mapping, p.Mapping...)
		out.Location = append(out.Location, p.Location...)
		out.Function = append(out.Function, p.Function...)
		samples += len(p.Sample)
		// One label map for the source's samples without labels of their own.
		label := map[string][]string{SourceLabel: {names[i]}}
		for _, s := range p.Sample {
			if len(s.Label) == 0 {
				s.Label = label
				continue
			}
			s.Label = maps.Clone(s.Label)
			s.Label[SourceLabel] = label[SourceLabel]
		}
	}
	out.Sample = make([]*profile.Sample, 0, samples)
	for _, p := range raws {
		out.Sample = append(out.Sample, p.Sample...)
	}
	return out, nil
}

// sameTypes says how b's sample and period types differ from a's.
func sameTypes(a, b *profile.Profile) error {
	if len(a.SampleType) != len(b.SampleType) {
		return fmt.Errorf("incompatible sample types: %d and %d types", len(a.SampleType), len(b.SampleType))
	}
	for i, t := range a.SampleType {
		if u := b.SampleType[i]; t.Type != u.Type || t.Unit != u.Unit {
			return fmt.Errorf("incompatible sample types: %s/%s and %s/%s", t.Type, t.Unit, u.Type, u.Unit)
		}
	}
	pa, pb := a.PeriodType, b.PeriodType
	if (pa == nil) != (pb == nil) || (pa != nil && (pa.Type != pb.Type || pa.Unit != pb.Unit)) {
		return fmt.Errorf("incompatible period types: %v and %v", pa, pb)
	}
	return nil
}
