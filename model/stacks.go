package model

import (
	"fmt"
	"slices"
	"sync"

	"github.com/google/pprof/profile"
)

// Stacks is the distinct call stacks of a profile for one sample type,
// each as its functions from the outermost caller in, with the summed value
// of the samples that have it. Views of a profile (inverted, focused on a
// function, with a function hidden) are Stacks rewritten by Transform, and
// every tree is built from Stacks.
type Stacks struct {
	// Funcs is the function table the stacks' FuncIDs index; shared by
	// every Stacks and Tree derived from the same profile and sample type.
	Funcs []Func
	// SampleType and SampleIndex name the value column.
	SampleType  SampleType
	SampleIndex int
	// Granularity is what the frames stand for: functions, lines...
	Granularity Granularity
	// AbsTotal is the sum of |value| over the profile's samples, pprof's
	// total: the denominator of percentages, kept through transforms.
	AbsTotal int64
	// OtherAbsTotal is the other profile's total, in a comparison.
	OtherAbsTotal int64

	start []int    // stack i's functions are list[start[i]:start[i+1]]
	list  []FuncID // the functions of every stack, one after the other
	value []int64
	other []int64 // the other profile's values, in a comparison; else nil
	// inlined has bit i set when list[i] was inlined into list[i-1] (a
	// frame of the same location); nil after Transform.
	inlined bitSet

	names *funcNames  // shared by derived Stacks, as Funcs is
	order *stackOrder // the sorted order, shared with Swapped copies
}

// stackOrder caches the stacks' lexicographic order.
type stackOrder struct {
	once sync.Once
	idx  []int32
}

// funcNames caches the lower-cased function names, for search.
type funcNames struct {
	once  sync.Once
	lower []string
}

// Len is the number of distinct stacks.
func (s *Stacks) Len() int { return len(s.value) }

// Frames returns stack i's functions, outermost first. Do not modify it.
func (s *Stacks) Frames(i int) []FuncID { return s.list[s.start[i]:s.start[i+1]] }

// Value is the summed value of stack i.
func (s *Stacks) Value(i int) int64 { return s.value[i] }

// OtherValue is stack i's value in the other profile of a comparison; 0
// when there is none.
func (s *Stacks) OtherValue(i int) int64 {
	if s.other == nil {
		return 0
	}
	return s.other[i]
}

// Inlined reports whether frame j of stack i was inlined into frame j-1
// (a frame of the same location); false once the stacks are transformed.
func (s *Stacks) Inlined(i, j int) bool { return s.inlined.has(s.start[i] + j) }

// Comparing reports whether the stacks carry a second profile's values.
func (s *Stacks) Comparing() bool { return s.other != nil }

// Transform returns new Stacks with each stack rewritten by rewrite, which
// appends the new stack's functions to dst and returns it, or returns nil
// to drop the stack. An empty stack keeps its value at the root.
func (s *Stacks) Transform(rewrite func(frames, dst []FuncID) []FuncID) *Stacks {
	out := &Stacks{Funcs: s.Funcs, SampleType: s.SampleType, SampleIndex: s.SampleIndex, Granularity: s.Granularity, AbsTotal: s.AbsTotal,
		OtherAbsTotal: s.OtherAbsTotal, start: make([]int, 1, len(s.start)), names: s.names}
	if s.other != nil {
		out.other = []int64{}
	}
	var buf []FuncID
	for i := range s.value {
		buf = rewrite(s.Frames(i), buf[:0])
		if buf == nil {
			continue
		}
		out.list = append(out.list, buf...)
		out.start = append(out.start, len(out.list))
		out.value = append(out.value, s.value[i])
		if s.other != nil {
			out.other = append(out.other, s.other[i])
		}
	}
	return out
}

// collectStacks merges samples with the same locations (found by a hash of
// their location IDs, so with no per-sample allocation) and expands each
// distinct stack into functions once. Samples valued 0 are skipped.
func collectStacks(raw *profile.Profile, sampleIndex int, frames *frameTable) (*Stacks, error) {
	locs, values, total, absTotal, err := distinctStacks(raw, sampleIndex, frames)
	if err != nil {
		return nil, err
	}
	s := &Stacks{names: &funcNames{}, AbsTotal: absTotal, value: values}
	s.start = make([]int, 1, len(locs)+1)
	s.list = make([]FuncID, 0, total)
	for _, stack := range locs {
		for j := len(stack) - 1; j >= 0; j-- {
			s.appendLocation(frames.of(stack[j]))
		}
		s.start = append(s.start, len(s.list))
	}
	return s, nil
}

// distinctStacks merges samples with the same locations (found by a hash
// of their location IDs, so with no per-sample allocation) and returns
// each distinct stack (leaf first) with its summed value, how many
// functions they hold in all, and the sum of |value| over the samples.
// Samples valued 0 are skipped.
func distinctStacks(raw *profile.Profile, sampleIndex int, frames *frameTable) (locs [][]*profile.Location, values []int64, funcCount int, absTotal int64, err error) {
	var next []int32 // the next distinct stack with the same hash, or -1
	first := make(map[uint64]int32, len(raw.Sample)/2)
	for _, sample := range raw.Sample {
		if sampleIndex >= len(sample.Value) {
			return nil, nil, 0, 0, fmt.Errorf("a sample has %d values, want %d", len(sample.Value), len(raw.SampleType))
		}
		v := sample.Value[sampleIndex]
		if v == 0 {
			continue
		}
		absTotal += abs(v)
		h := hashLocations(sample.Location)
		i, ok := first[h]
		for ok && !slices.Equal(locs[i], sample.Location) {
			i = next[i]
			ok = i >= 0
		}
		if ok {
			values[i] += v
			continue
		}
		i = int32(len(locs))
		if chain, found := first[h]; found {
			next = append(next, chain)
		} else {
			next = append(next, -1)
		}
		first[h] = i
		locs = append(locs, sample.Location)
		values = append(values, v)
		for _, l := range sample.Location {
			funcCount += len(frames.of(l))
		}
	}
	return locs, values, funcCount, absTotal, nil
}

// sorted returns the stack indices in lexicographic order of their
// functions, computed once and shared with Swapped copies.
func (s *Stacks) sorted() []int32 {
	if s.order == nil {
		s.order = &stackOrder{}
	}
	s.order.once.Do(func() {
		order := make([]int32, len(s.value))
		for i := range order {
			order[i] = int32(i)
		}
		cmpStacks := func(a, b int32) int { return slices.Compare(s.Frames(int(a)), s.Frames(int(b))) }
		if len(order) < 50_000 {
			slices.SortFunc(order, cmpStacks)
			s.order.idx = order
			return
		}
		// Two halves sorted on two cores, then merged.
		half := len(order) / 2
		done := make(chan struct{})
		go func() {
			slices.SortFunc(order[:half], cmpStacks)
			close(done)
		}()
		slices.SortFunc(order[half:], cmpStacks)
		<-done
		merged := make([]int32, 0, len(order))
		i, j := 0, half
		for i < half && j < len(order) {
			if cmpStacks(order[j], order[i]) < 0 {
				merged = append(merged, order[j])
				j++
			} else {
				merged = append(merged, order[i])
				i++
			}
		}
		merged = append(append(merged, order[i:half]...), order[j:]...)
		s.order.idx = merged
	})
	return s.order.idx
}

func hashLocations(locs []*profile.Location) uint64 {
	h := uint64(len(locs)) * 0x9e3779b97f4a7c15
	for _, l := range locs {
		h = mixID(h, l.ID)
	}
	return h
}
