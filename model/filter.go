package model

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

// Filters are pprof's sample filters, by their flag names, each a regular
// expression ("" for none). Apply runs them with pprof's own meaning and
// order, through the profile package's filter functions.
type Filters struct {
	// Focus keeps samples with a frame matching (function name or file).
	Focus string
	// Ignore drops samples with a frame matching.
	Ignore string
	// Hide removes matching frames from stacks, keeping the samples.
	Hide string
	// Show keeps only matching frames.
	Show string
	// ShowFrom drops the frames above (callers of) the outermost match.
	ShowFrom string
	// PruneFrom drops the frames below (callees of) matches.
	PruneFrom string
	// TagFocus keeps samples whose labels match: "regexp[,regexp]" against
	// "key:value", "key=regexp[,regexp]" against key's values, or a numeric
	// range against numeric labels ("key=1kb:", "64:128").
	TagFocus string
	// TagIgnore drops samples whose labels match, in TagFocus's syntax.
	TagIgnore string
	// TagRoot and TagLeaf are label keys, comma-separated, whose values
	// become frames at the root (the first key outermost) or at the leaf
	// (the last key innermost) of each sample's stack: "KEY" frames
	// named by the sample's values of KEY, as pprof's -tagroot/-tagleaf.
	// They apply before every other filter, so -focus can match them.
	TagRoot, TagLeaf string
	// TagBuckets are numeric label keys, comma-separated, whose values
	// TagRoot and TagLeaf group into power-of-two ranges ("1kB–2kB")
	// rather than a frame per value: flamelens's, not pprof's.
	TagBuckets string
	// TagShow keeps only the labels whose key matches; TagHide drops
	// those whose key matches (pprof's -tagshow, -taghide).
	TagShow, TagHide string
}

// FilterNames lists the filters by flag name, in the order pprof applies them.
var FilterNames = []string{"tagroot", "tagleaf", "tagbuckets", "focus", "ignore", "hide", "show", "show_from", "tagfocus", "tagignore", "tagshow", "taghide", "prune_from"}

// Field returns the filter's field by flag name, for flag parsing.
func (f *Filters) Field(name string) *string {
	switch name {
	case "focus":
		return &f.Focus
	case "ignore":
		return &f.Ignore
	case "hide":
		return &f.Hide
	case "show":
		return &f.Show
	case "show_from":
		return &f.ShowFrom
	case "prune_from":
		return &f.PruneFrom
	case "tagfocus":
		return &f.TagFocus
	case "tagignore":
		return &f.TagIgnore
	case "tagroot":
		return &f.TagRoot
	case "tagleaf":
		return &f.TagLeaf
	case "tagbuckets":
		return &f.TagBuckets
	case "tagshow":
		return &f.TagShow
	case "taghide":
		return &f.TagHide
	}
	return nil
}

// IsZero reports whether no filter is set.
func (f Filters) IsZero() bool { return f == Filters{} }

// String is the filters as pprof flags: "-focus=json -hide=runtime".
func (f Filters) String() string {
	var parts []string
	for _, name := range FilterNames {
		if v := *f.Field(name); v != "" {
			parts = append(parts, "-"+name+"="+v)
		}
	}
	return strings.Join(parts, " ")
}

// compiled is Filters ready to run.
type compiled struct {
	focus, ignore, hide, show, showFrom, pruneFrom *regexp.Regexp
	tagFocus, tagIgnore                            func(*profile.Sample) bool
	tagShow, tagHide                               *regexp.Regexp
	tagRoot, tagLeaf                               []string
	buckets                                        map[string]bool
}

// Compile checks every filter, returning the first bad one as an error
// that names the flag and the expression.
func (f Filters) Compile(raw *profile.Profile) (*compiled, error) {
	c := &compiled{}
	var err error
	re := func(name, v string) *regexp.Regexp {
		if v == "" || err != nil {
			return nil
		}
		var rx *regexp.Regexp
		rx, err = regexp.Compile(v)
		if err != nil {
			err = fmt.Errorf("-%s %q: %v", name, v, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		return rx
	}
	c.focus = re("focus", f.Focus)
	c.ignore = re("ignore", f.Ignore)
	c.hide = re("hide", f.Hide)
	c.show = re("show", f.Show)
	c.showFrom = re("show_from", f.ShowFrom)
	c.pruneFrom = re("prune_from", f.PruneFrom)
	c.tagShow = re("tagshow", f.TagShow)
	c.tagHide = re("taghide", f.TagHide)
	c.tagRoot, c.tagLeaf = LabelKeys(f.TagRoot), LabelKeys(f.TagLeaf)
	if b := LabelKeys(f.TagBuckets); len(b) > 0 {
		c.buckets = map[string]bool{}
		for _, k := range b {
			c.buckets[k] = true
		}
	}
	if err != nil {
		return nil, err
	}
	units, _ := raw.NumLabelUnits()
	if c.tagFocus, err = tagFilter("tagfocus", f.TagFocus, units); err != nil {
		return nil, err
	}
	if c.tagIgnore, err = tagFilter("tagignore", f.TagIgnore, units); err != nil {
		return nil, err
	}
	return c, nil
}

// CheckFilters says what is wrong with f, if anything, for this
// profile: a bad regexp, or a tag filter that cannot apply.
func (p *Info) CheckFilters(f Filters) error {
	_, err := f.Compile(p.header)
	return err
}

// apply filters raw in place, in pprof's order (its driver's label
// frames, then applyFocus).
func (c *compiled) apply(raw *profile.Profile) {
	if len(c.tagRoot)+len(c.tagLeaf) > 0 {
		addLabelFrames(raw, c.tagRoot, c.tagLeaf, c.buckets)
	}
	raw.FilterSamplesByName(c.focus, c.ignore, c.hide, c.show)
	raw.ShowFrom(c.showFrom)
	if c.tagFocus != nil || c.tagIgnore != nil {
		raw.FilterSamplesByTag(c.tagFocus, c.tagIgnore)
	}
	if c.tagShow != nil || c.tagHide != nil {
		raw.FilterTagsByName(c.tagShow, c.tagHide)
	}
	if c.pruneFrom != nil {
		raw.PruneFrom(c.pruneFrom)
	}
}

// Filter returns a copy of p with each set of filters applied in turn;
// p is unchanged. Percentages of the result stay shares of p's total, as
// in pprof. A bad expression is an error naming its flag.
func (p *Profile) Filter(steps ...Filters) (*Profile, error) {
	var cs []*compiled
	for _, f := range steps {
		if f.IsZero() {
			continue
		}
		c, err := f.Compile(p.Raw)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return p, nil
	}
	raw := p.Raw.Copy()
	for _, c := range cs {
		c.apply(raw)
	}
	out := NewProfile(p.Source, p.Format, raw)
	out.totals = p.pprofTotals()
	return out, nil
}

// tagFilter compiles a -tagfocus/-tagignore value as pprof does.
func tagFilter(name, value string, numUnits map[string]string) (func(*profile.Sample) bool, error) {
	if value == "" {
		return nil, nil
	}
	wantKey := ""
	if k, v, ok := strings.Cut(value, "="); ok {
		wantKey, value = k, v
	}
	if inRange := parseTagRange(value); inRange != nil {
		match := func(vals []int64, unit string) bool {
			return slices.ContainsFunc(vals, func(v int64) bool { return inRange(v, unit) })
		}
		if wantKey == "" {
			return func(s *profile.Sample) bool {
				for key, vals := range s.NumLabel {
					if match(vals, numUnits[key]) {
						return true
					}
				}
				return false
			}, nil
		}
		return func(s *profile.Sample) bool {
			vals, ok := s.NumLabel[wantKey]
			return ok && match(vals, numUnits[wantKey])
		}, nil
	}

	var rxs []*regexp.Regexp
	for _, part := range strings.Split(value, ",") {
		rx, err := regexp.Compile(part)
		if err != nil {
			return nil, fmt.Errorf("-%s %q: %v", name, part, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		rxs = append(rxs, rx)
	}
	if wantKey == "" {
		// Every expression must match some "key:value" of the sample.
		return func(s *profile.Sample) bool {
		next:
			for _, rx := range rxs {
				for key, vals := range s.Label {
					for _, v := range vals {
						if rx.MatchString(key + ":" + v) {
							continue next
						}
					}
				}
				return false
			}
			return true
		}, nil
	}
	return func(s *profile.Sample) bool {
		vals, ok := s.Label[wantKey]
		if !ok {
			return false
		}
		for _, rx := range rxs {
			if slices.ContainsFunc(vals, rx.MatchString) {
				return true
			}
		}
		return false
	}, nil
}

var tagRangeRx = regexp.MustCompile(`([+-]?[[:digit:]]+)([[:alpha:]]*)`)

// parseTagRange reads "N", "N:", ":N" or "N:M" (each N with an optional
// unit such as kb or ms) as a test on a numeric label value and its unit,
// or returns nil when value is not a range.
func parseTagRange(value string) func(v int64, unit string) bool {
	m := tagRangeRx.FindAllStringSubmatch(value, 2)
	if len(m) == 0 {
		return nil
	}
	lo, loFamily, ok := scaleToBase(m[0][1], m[0][2])
	if !ok {
		return nil
	}
	in := func(test func(int64) bool) func(int64, string) bool {
		return func(v int64, unit string) bool {
			base, family, ok := scaleToBase(strconv.FormatInt(v, 10), unit)
			return ok && family == loFamily && test(base)
		}
	}
	if len(m) == 1 {
		switch value {
		case m[0][0]:
			return in(func(v int64) bool { return v == lo })
		case m[0][0] + ":":
			return in(func(v int64) bool { return v >= lo })
		case ":" + m[0][0]:
			return in(func(v int64) bool { return v <= lo })
		}
		return nil
	}
	if value != m[0][0]+":"+m[1][0] {
		return nil
	}
	hi, hiFamily, ok := scaleToBase(m[1][1], m[1][2])
	if !ok || hiFamily != loFamily {
		return nil
	}
	return in(func(v int64) bool { return v >= lo && v <= hi })
}

// unitScale is each known unit's size in its family's base unit.
var unitScale = map[string]struct {
	family string
	scale  int64
}{
	"": {"", 1}, "count": {"", 1},
	"b": {"bytes", 1}, "byte": {"bytes", 1}, "bytes": {"bytes", 1},
	"kb": {"bytes", 1 << 10}, "mb": {"bytes", 1 << 20}, "gb": {"bytes", 1 << 30}, "tb": {"bytes", 1 << 40},
	"ns": {"time", 1}, "nanosecond": {"time", 1}, "nanoseconds": {"time", 1},
	"us": {"time", 1e3}, "microsecond": {"time", 1e3}, "microseconds": {"time", 1e3},
	"ms": {"time", 1e6}, "millisecond": {"time", 1e6}, "milliseconds": {"time", 1e6},
	"s": {"time", 1e9}, "sec": {"time", 1e9}, "second": {"time", 1e9}, "seconds": {"time", 1e9},
	"m": {"time", 60e9}, "min": {"time", 60e9}, "minute": {"time", 60e9}, "minutes": {"time", 60e9},
	"h": {"time", 3600e9}, "hour": {"time", 3600e9}, "hours": {"time", 3600e9},
}

// scaleToBase converts a number in unit to its family's base unit (bytes,
// nanoseconds, or a bare count).
func scaleToBase(num, unit string) (int64, string, bool) {
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, "", false
	}
	u, ok := unitScale[strings.ToLower(unit)]
	if !ok {
		return 0, "", false
	}
	return v * u.scale, u.family, true
}
