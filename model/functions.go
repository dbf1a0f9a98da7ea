package model

import (
	"cmp"
	"slices"
)

// FuncStat is one function's row in the table: its flat (self) and cum
// (inclusive) value, in the tree's sample-type unit.
type FuncStat struct {
	Func FuncID
	Name string
	// Flat is the value of samples whose innermost frame is this function.
	Flat int64
	// Cum is the value of samples with this function anywhere on the stack,
	// counted once per sample however often it recurses.
	Cum int64
}

// Functions returns one row per function that has a non-zero flat or cum
// value, in FuncID order. Cum counts recursion once: a node adds its total
// only when no ancestor has the same function.
func (t *Tree) Functions() []FuncStat {
	flat := make([]int64, len(t.Funcs))
	cum := make([]int64, len(t.Funcs))
	onStack := make([]int32, len(t.Funcs))
	seen := make([]bool, len(t.Funcs))
	same := sameName(t.Funcs)

	// Depth-first with an explicit stack; a negative entry marks leaving a node.
	stack := []NodeID{Root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n < 0 {
			onStack[same[t.Fn[^n]]]--
			continue
		}
		if f := t.Fn[n]; f != NoFunc {
			f = same[f]
			seen[f] = true
			flat[f] += t.Self[n]
			if onStack[f] == 0 {
				cum[f] += t.Total[n]
			}
			onStack[f]++
			stack = append(stack, ^n)
		}
		stack = append(stack, t.Children(n)...)
	}

	rows := make([]FuncStat, 0, len(t.Funcs))
	for f := range t.Funcs {
		if seen[f] && (flat[f] != 0 || cum[f] != 0) {
			rows = append(rows, FuncStat{Func: FuncID(f), Name: t.Funcs[f].Name, Flat: flat[f], Cum: cum[f]})
		}
	}
	return rows
}

// Functions is Tree.Functions without building the tree: each stack adds
// its value to its leaf's flat and, once, to the cum of each function on
// it. For a table alone (flamelens top, find) it saves the tree's memory.
func (s *Stacks) Functions() []FuncStat {
	flat := make([]int64, len(s.Funcs))
	cum := make([]int64, len(s.Funcs))
	stamp := make([]int32, len(s.Funcs)) // the stack that last counted a function, plus one
	seen := make([]bool, len(s.Funcs))
	same := sameName(s.Funcs)
	for i, v := range s.value {
		frames := s.Frames(i)
		if len(frames) == 0 {
			continue
		}
		flat[same[frames[len(frames)-1]]] += v
		for _, f := range frames {
			f = same[f]
			if stamp[f] != int32(i+1) {
				stamp[f] = int32(i + 1)
				cum[f] += v
				seen[f] = true
			}
		}
	}
	rows := make([]FuncStat, 0, len(s.Funcs))
	for f := range s.Funcs {
		if seen[f] && (flat[f] != 0 || cum[f] != 0) {
			rows = append(rows, FuncStat{Func: FuncID(f), Name: s.Funcs[f].Name, Flat: flat[f], Cum: cum[f]})
		}
	}
	return rows
}

// sameName maps each function to the first with its name: frames without
// symbols are one Func per address but one row per binary in tables, as
// in pprof.
func sameName(funcs []Func) []FuncID {
	out := make([]FuncID, len(funcs))
	first := map[string]FuncID{}
	for i, f := range funcs {
		out[i] = FuncID(i)
		if f.Address == 0 {
			continue
		}
		if j, ok := first[f.Name]; ok {
			out[i] = j
		} else {
			first[f.Name] = FuncID(i)
		}
	}
	return out
}

// Sum is the sum of the stacks' values: what a tree of them shows at its root.
func (s *Stacks) Sum() int64 {
	var sum int64
	for _, v := range s.value {
		sum += v
	}
	return sum
}

// SortByFlat orders rows as go tool pprof -top does: by |flat| descending,
// then by name (pprof's tie-break), then by |cum| descending.
func SortByFlat(rows []FuncStat) {
	slices.SortFunc(rows, func(a, b FuncStat) int {
		return cmp.Or(
			cmp.Compare(abs(b.Flat), abs(a.Flat)),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(abs(b.Cum), abs(a.Cum)))
	})
}

// SortByCum orders rows as go tool pprof -top -cum does: by |cum| descending,
// then by name, then by |flat| descending.
func SortByCum(rows []FuncStat) {
	slices.SortFunc(rows, func(a, b FuncStat) int {
		return cmp.Or(
			cmp.Compare(abs(b.Cum), abs(a.Cum)),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(abs(b.Flat), abs(a.Flat)))
	})
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
