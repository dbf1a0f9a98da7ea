package model

import (
	"cmp"
	"slices"
)

// Tag is one label key of a profile's samples with the values it takes.
type Tag struct {
	Key string
	// Values are the key's string values, by the value of the samples that
	// carry them in the sample type asked for (largest first, as go tool
	// pprof -tags lists them; ties by sample count, then value); empty for
	// numeric labels.
	Values []TagValue
	// Total is the value of the samples that carry the key, in the sample
	// type's unit: pprof's "Total X" (a sample with several values of the
	// key counts once).
	Total int64
	// Numeric labels have a unit and a range instead of values.
	Numeric  bool
	Unit     string
	Min, Max int64
}

// TagValue is a label value, how many samples carry it and their value
// in the sample type asked for (its share is of the profile's total, as
// in go tool pprof -tags).
type TagValue struct {
	Value   string
	Samples int
	Total   int64
}

// Tags lists the labels present in the profile's samples, by key, with
// their values in sample type sampleIndex. An index out of range counts
// samples only.
func (p *Profile) Tags(sampleIndex int) []Tag {
	type acc struct {
		samples int
		total   int64
	}
	str := map[string]map[string]*acc{}
	keyTotal := map[string]int64{}
	num := map[string]*Tag{}
	units, _ := p.Raw.NumLabelUnits()
	for _, s := range p.Raw.Sample {
		var v int64
		if sampleIndex >= 0 && sampleIndex < len(s.Value) {
			v = s.Value[sampleIndex]
		}
		for k, vs := range s.Label {
			if str[k] == nil {
				str[k] = map[string]*acc{}
			}
			if len(vs) > 0 {
				keyTotal[k] += v
			}
			for _, val := range vs {
				a := str[k][val]
				if a == nil {
					a = &acc{}
					str[k][val] = a
				}
				a.samples++
				a.total += v
			}
		}
		for k, vs := range s.NumLabel {
			t := num[k]
			for _, nv := range vs {
				if t == nil {
					t = &Tag{Key: k, Numeric: true, Unit: units[k], Min: nv, Max: nv}
					num[k] = t
				}
				t.Min, t.Max = min(t.Min, nv), max(t.Max, nv)
			}
			if t != nil && len(vs) > 0 {
				t.Total += v
			}
		}
	}
	var tags []Tag
	for k, values := range str {
		t := Tag{Key: k, Total: keyTotal[k]}
		for val, a := range values {
			t.Values = append(t.Values, TagValue{Value: val, Samples: a.samples, Total: a.total})
		}
		slices.SortFunc(t.Values, func(a, b TagValue) int {
			return cmp.Or(cmp.Compare(abs(b.Total), abs(a.Total)), cmp.Compare(b.Samples, a.Samples), cmp.Compare(a.Value, b.Value))
		})
		tags = append(tags, t)
	}
	for _, t := range num {
		tags = append(tags, *t)
	}
	slices.SortFunc(tags, func(a, b Tag) int { return cmp.Compare(a.Key, b.Key) })
	return tags
}
