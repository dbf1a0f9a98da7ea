package model

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// A stackBuilder makes a pprof profile out of stacks read from another
// profiler's file (perf script, Chrome, trace events, speedscope, goroutine
// dumps): one function per name and file, one location per frame, and
// one sample per distinct stack and labels, its values summed.
type stackBuilder struct {
	p        *profile.Profile
	funcs    map[funcKey]*profile.Function
	locs     map[frame]*profile.Location
	mappings map[string]*profile.Mapping
	samples  map[string]*profile.Sample
	key      []byte
}

// frame is one frame as another profiler names it.
type frame struct {
	name, file string
	line       int64  // 0 if unknown
	startLine  int64  // the function's first line, 0 if unknown
	addr       uint64 // 0 if unknown
	object     string // the binary or library, "" if unknown
}

type funcKey struct {
	name, file string
	startLine  int64
}

// newStackBuilder starts a profile of the given sample types.
func newStackBuilder(types ...*profile.ValueType) *stackBuilder {
	return &stackBuilder{
		p:        &profile.Profile{SampleType: types, PeriodType: types[0], Period: 1},
		funcs:    map[funcKey]*profile.Function{},
		locs:     map[frame]*profile.Location{},
		mappings: map[string]*profile.Mapping{},
		samples:  map[string]*profile.Sample{},
	}
}

// location is f's location, made the first time it is asked for.
func (b *stackBuilder) location(f frame) *profile.Location {
	if l, ok := b.locs[f]; ok {
		return l
	}
	fk := funcKey{f.name, f.file, f.startLine}
	fn := b.funcs[fk]
	if fn == nil {
		fn = &profile.Function{ID: uint64(len(b.p.Function) + 1), Name: f.name, SystemName: f.name, Filename: f.file, StartLine: f.startLine}
		b.funcs[fk] = fn
		b.p.Function = append(b.p.Function, fn)
	}
	l := &profile.Location{ID: uint64(len(b.p.Location) + 1), Address: f.addr, Line: []profile.Line{{Function: fn, Line: f.line}}}
	if f.object != "" {
		m := b.mappings[f.object]
		if m == nil {
			m = &profile.Mapping{ID: uint64(len(b.p.Mapping) + 1), File: f.object, HasFunctions: true}
			b.mappings[f.object] = m
			b.p.Mapping = append(b.p.Mapping, m)
		}
		l.Mapping = m
	}
	b.locs[f] = l
	b.p.Location = append(b.p.Location, l)
	return l
}

// sampleLabels are a sample's labels, as pprof keeps them.
type sampleLabels struct {
	str     map[string][]string
	num     map[string][]int64
	numUnit map[string][]string
}

// add adds values (one per sample type) to the sample of stack (leaf
// first) and labels, made the first time.
func (b *stackBuilder) add(stack []*profile.Location, values []int64, labels sampleLabels) {
	s := b.sample(stack, labels)
	for i, v := range values {
		s.Value[i] += v
	}
}

// addAt adds v to value col of the sample of stack and labels, for
// readers that learn their sample types as they read (perf script's
// events): its values grow to col; fill evens them out at the end.
func (b *stackBuilder) addAt(stack []*profile.Location, col int, v int64, labels sampleLabels) {
	s := b.sample(stack, labels)
	for len(s.Value) <= col {
		s.Value = append(s.Value, 0)
	}
	s.Value[col] += v
}

// fill gives every sample a value for each sample type.
func (b *stackBuilder) fill() {
	for _, s := range b.p.Sample {
		for len(s.Value) < len(b.p.SampleType) {
			s.Value = append(s.Value, 0)
		}
	}
}

// sample is the sample of stack and labels, made the first time.
func (b *stackBuilder) sample(stack []*profile.Location, labels sampleLabels) *profile.Sample {
	b.key = b.key[:0]
	for _, l := range stack {
		b.key = binary.AppendUvarint(b.key, l.ID)
	}
	b.key = append(b.key, 0)
	b.key = labels.appendKey(b.key)
	s := b.samples[string(b.key)]
	if s == nil {
		s = &profile.Sample{Location: slices.Clone(stack), Value: make([]int64, len(b.p.SampleType)),
			Label: labels.str, NumLabel: labels.num, NumUnit: labels.numUnit}
		b.samples[string(b.key)] = s
		b.p.Sample = append(b.p.Sample, s)
	}
	return s
}

// appendKey appends the labels, in a fixed order, to key.
func (l sampleLabels) appendKey(key []byte) []byte {
	for _, k := range slices.Sorted(maps.Keys(l.str)) {
		key = append(key, k...)
		key = append(key, 1)
		for _, v := range l.str[k] {
			key = append(key, v...)
			key = append(key, 2)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(l.num)) {
		key = append(key, k...)
		key = append(key, 3)
		for _, v := range l.num[k] {
			key = binary.AppendVarint(key, v)
		}
		key = append(key, strings.Join(l.numUnit[k], ",")...)
		key = append(key, 4)
	}
	return key
}

// result is what was added as a Profile of format read from name,
// checked as pprof checks a profile it reads; an error names the format.
func (b *stackBuilder) result(name string, format Format) (*Profile, error) {
	if err := b.p.CheckValid(); err != nil {
		return nil, fmt.Errorf("%s: %v", format, err)
	}
	return NewProfile(name, format, b.p), nil
}
