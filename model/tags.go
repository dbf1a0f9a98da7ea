package model

import (
	"cmp"
	"slices"
)

// Tag is one label key of a profile's samples with the values it takes.
type Tag struct {
	Key string
	// Values are the key's string values, by the number of samples that
	// carry them (most first, ties by value); empty for numeric labels.
	Values []TagValue
	// Numeric labels have a unit and a range instead of values.
	Numeric  bool
	Unit     string
	Min, Max int64
}

// TagValue is a label value and how many samples carry it.
type TagValue struct {
	Value   string
	Samples int
}

// Tags lists the labels present in the profile's samples, by key.
func (p *Profile) Tags() []Tag {
	str := map[string]map[string]int{}
	num := map[string]*Tag{}
	units, _ := p.Raw.NumLabelUnits()
	for _, s := range p.Raw.Sample {
		for k, vs := range s.Label {
			if str[k] == nil {
				str[k] = map[string]int{}
			}
			for _, v := range vs {
				str[k][v]++
			}
		}
		for k, vs := range s.NumLabel {
			t := num[k]
			for _, v := range vs {
				if t == nil {
					t = &Tag{Key: k, Numeric: true, Unit: units[k], Min: v, Max: v}
					num[k] = t
				}
				t.Min, t.Max = min(t.Min, v), max(t.Max, v)
			}
		}
	}
	var tags []Tag
	for k, counts := range str {
		t := Tag{Key: k}
		for v, n := range counts {
			t.Values = append(t.Values, TagValue{Value: v, Samples: n})
		}
		slices.SortFunc(t.Values, func(a, b TagValue) int {
			return cmp.Or(cmp.Compare(b.Samples, a.Samples), cmp.Compare(a.Value, b.Value))
		})
		tags = append(tags, t)
	}
	for _, t := range num {
		tags = append(tags, *t)
	}
	slices.SortFunc(tags, func(a, b Tag) int { return cmp.Compare(a.Key, b.Key) })
	return tags
}
