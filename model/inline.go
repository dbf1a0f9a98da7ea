package model

import "math/bits"

// InlineMark is how go tool pprof -top marks a function by the calls into
// it: "(inline)" when every call into it was inlined, "(partial-inline)"
// when some were, "" when none were (or it is never called).
type InlineMark string

const (
	NotInlined      InlineMark = ""
	Inlined         InlineMark = "(inline)"
	PartiallyInline InlineMark = "(partial-inline)"
)

// defaultEdgeFraction is pprof's -edgefraction default.
const defaultEdgeFraction = 0.001

// appendLocation adds one location's frames (outermost first) to the stack
// being built: every frame after the first is inlined into the one before.
func (s *Stacks) appendLocation(frames []FuncID) {
	at := len(s.list)
	s.list = append(s.list, frames...)
	for i := 1; i < len(frames); i++ {
		s.inlined.add(at + i)
	}
}

// bitSet is a set of small non-negative integers, a bit each.
type bitSet []uint64

// add puts i in the set, growing it as needed.
func (b *bitSet) add(i int) {
	for i/64 >= len(*b) {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

// has reports whether i is in the set.
func (b bitSet) has(i int) bool { return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

// InlineMarks gives each function (by FuncID; frames without symbols under
// their table row's FuncID) the mark go tool pprof -top prints beside it;
// with rows given, only those rows' functions are marked (the rest are
// NotInlined), which is all a report of the top rows needs. As pprof does,
// it follows the calls of each stack from the root: a call from a function
// to another counts at its first occurrence in a stack, a call of a
// function by itself not at all, and a call is inlined when every
// occurrence counted was; then calls whose summed value is under pprof's
// default -edgefraction (0.1% of the stacks' sum) are left out, as pprof
// trims them from its report before reading the marks. Stacks made by
// Transform have no marks.
func (s *Stacks) InlineMarks(rows ...FuncStat) []InlineMark {
	marks := make([]InlineMark, len(s.Funcs))
	if len(s.inlined) == 0 {
		return marks
	}
	same := sameName(s.Funcs)
	candidate, found := s.inlineCandidates(same, rows)
	if !found {
		return marks
	}
	cutoff := abs(int64(float64(s.Sum()) * defaultEdgeFraction))
	for f, cs := range s.callsInto(same, candidate) {
		inline, notInline := false, false
		for _, c := range cs {
			if abs(c.weight) < cutoff {
				continue
			}
			if c.inline {
				inline = true
			} else {
				notInline = true
			}
		}
		switch {
		case inline && notInline:
			marks[f] = PartiallyInline
		case inline:
			marks[f] = Inlined
		}
	}
	return marks
}

// inlineCandidates are the functions (by same, the FuncID of their name)
// that are ever inlined, of rows' functions when rows are given: only
// calls into them can give a mark.
func (s *Stacks) inlineCandidates(same []FuncID, rows []FuncStat) (candidate []bool, found bool) {
	wanted := make([]bool, len(s.Funcs))
	for _, r := range rows {
		wanted[r.Func] = true
	}
	candidate = make([]bool, len(s.Funcs))
	for w, word := range s.inlined {
		for ; word != 0; word &= word - 1 {
			pos := w*64 + bits.TrailingZeros64(word)
			if pos < len(s.list) {
				if f := same[s.list[pos]]; rows == nil || wanted[f] {
					candidate[f] = true
					found = true
				}
			}
		}
	}
	return candidate, found
}

// inlineCall is the calls of a candidate from one caller: inline says
// every one of them was inlined; weight sums the stacks they are on.
type inlineCall struct {
	caller FuncID
	inline bool
	stamp  int32 // the stack that last counted it, plus one
	weight int64
}

// callsInto are the calls into each candidate, found by scanning its few
// callers, each counted once per stack.
func (s *Stacks) callsInto(same []FuncID, candidate []bool) [][]inlineCall {
	calls := make([][]inlineCall, len(s.Funcs))
	for i := range s.value {
		if s.value[i] == 0 {
			continue
		}
		stamp := int32(i + 1)
		lo, hi := s.start[i], s.start[i+1]
		for pos := lo + 1; pos < hi; pos++ {
			callee := same[s.list[pos]]
			if !candidate[callee] {
				continue
			}
			caller := same[s.list[pos-1]]
			if caller == callee {
				continue
			}
			cs := calls[callee]
			k := 0
			for k < len(cs) && cs[k].caller != caller {
				k++
			}
			inline := s.inlined.has(pos)
			switch {
			case k == len(cs):
				calls[callee] = append(cs, inlineCall{caller: caller, inline: inline, stamp: stamp, weight: s.value[i]})
			case cs[k].stamp != stamp:
				cs[k].stamp = stamp
				cs[k].inline = cs[k].inline && inline
				cs[k].weight += s.value[i]
			}
		}
	}
	return calls
}

// Inlined says whether node n's frame was inlined into its caller's (in
// at least one of the stacks through it); false for trees of transformed
// stacks, which do not know.
func (t *Tree) Inlined(n NodeID) bool { return t.inlined.has(int(n)) }
