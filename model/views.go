package model

import (
	"cmp"
	"slices"
)

// Inverted returns the stacks leaf first: the tree's roots are the
// functions where samples were taken, their children their callers.
func (s *Stacks) Inverted() *Stacks {
	return s.Transform(func(frames, dst []FuncID) []FuncID {
		for i := len(frames) - 1; i >= 0; i-- {
			dst = append(dst, frames[i])
		}
		return ensure(dst)
	})
}

// FocusOn keeps the stacks that pass through f, each from f's outermost
// call on: the tree has f as its only root, with every call site merged.
// Given several frames (a function's lines, at -lines), it keeps the
// stacks through any, from the outermost on.
func (s *Stacks) FocusOn(f ...FuncID) *Stacks {
	return s.Transform(func(frames, dst []FuncID) []FuncID {
		i := indexAny(frames, f)
		if i < 0 {
			return nil
		}
		return append(dst, frames[i:]...)
	})
}

// CallersOf keeps the stacks that pass through f, each from f's outermost
// call back out to the root: the tree has f as its root and its callers,
// callers of callers and so on below it. Several frames are taken as one,
// as in FocusOn.
func (s *Stacks) CallersOf(f ...FuncID) *Stacks {
	return s.Transform(func(frames, dst []FuncID) []FuncID {
		i := indexAny(frames, f)
		if i < 0 {
			return nil
		}
		for ; i >= 0; i-- {
			dst = append(dst, frames[i])
		}
		return dst
	})
}

// MergeIntoCaller removes f's frames from every stack, keeping the
// samples: their value goes to f's caller (the view step; pprof's -hide,
// which does the same to the profile, is Filters.Hide). Given several
// frames, it removes them all.
func (s *Stacks) MergeIntoCaller(f ...FuncID) *Stacks {
	return s.Transform(func(frames, dst []FuncID) []FuncID {
		for _, g := range frames {
			if !slices.Contains(f, g) {
				dst = append(dst, g)
			}
		}
		return ensure(dst)
	})
}

// indexAny is the position of the first of frames that is one of fs, or -1.
func indexAny(frames, fs []FuncID) int {
	if len(fs) == 1 {
		return slices.Index(frames, fs[0])
	}
	return slices.IndexFunc(frames, func(g FuncID) bool { return slices.Contains(fs, g) })
}

// ensure turns a nil result (every frame removed) into an empty stack, so
// that Transform keeps its value at the root instead of dropping it.
func ensure(dst []FuncID) []FuncID {
	if dst == nil {
		return []FuncID{}
	}
	return dst
}

// Edge is a caller or callee of a function with the value that flows
// through that call.
type Edge struct {
	Func  FuncID // NoFunc for the root, when f is called from nowhere
	Value int64
}

// Neighbors returns f's callers and callees, each with the total value of
// the calls between them, largest first (ties by name). Recursive calls
// count once: only f's outermost frames are followed.
func (t *Tree) Neighbors(f FuncID) (callers, callees []Edge) {
	in := map[FuncID]int64{}
	out := map[FuncID]int64{}
	t.Walk(func(n NodeID, _ int) bool {
		if n == Root || t.Fn[n] != f {
			return true
		}
		in[t.Fn[t.Parent[n]]] += t.Total[n]
		for _, c := range t.Children(n) {
			out[t.Fn[c]] += t.Total[c]
		}
		return false // below an outermost frame, f's frames are recursion
	})
	return t.edges(in), t.edges(out)
}

// NearestCallers returns, for f's outermost frames, the nearest frame
// above each whose function mine accepts (the user's code), with the
// total value through it, largest first; f's frames with none above are
// left out. It answers "where does my code call into this?".
func (t *Tree) NearestCallers(f FuncID, mine func(FuncID) bool) []Edge {
	at := map[FuncID]int64{}
	t.Walk(func(n NodeID, _ int) bool {
		if n == Root || t.Fn[n] != f {
			return true
		}
		for p := t.Parent[n]; p > Root; p = t.Parent[p] {
			if mine(t.Fn[p]) {
				at[t.Fn[p]] += t.Total[n]
				break
			}
		}
		return false // below an outermost frame, f's frames are recursion
	})
	return t.edges(at)
}

func (t *Tree) edges(m map[FuncID]int64) []Edge {
	out := make([]Edge, 0, len(m))
	for f, v := range m {
		out = append(out, Edge{Func: f, Value: v})
	}
	slices.SortFunc(out, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(abs(b.Value), abs(a.Value)), cmp.Compare(t.funcName(a.Func), t.funcName(b.Func)))
	})
	return out
}

func (t *Tree) funcName(f FuncID) string {
	if f == NoFunc {
		return "root"
	}
	return t.Funcs[f].Name
}

// FuncByName returns the function with exactly this name.
func (t *Tree) FuncByName(name string) (FuncID, bool) { return funcByName(t.Funcs, name) }

// FuncByName returns the function with exactly this name.
func (s *Stacks) FuncByName(name string) (FuncID, bool) { return funcByName(s.Funcs, name) }

// FramesOf returns the frames a view step made on name means at the
// stacks' granularity: the frame with exactly this name, else those of the
// function function (its lines, at -lines; its one frame, when the step was
// made at a finer granularity than these stacks').
func (s *Stacks) FramesOf(name, function string) []FuncID {
	if f, ok := s.FuncByName(name); ok {
		return []FuncID{f}
	}
	if function == "" {
		return nil
	}
	var out []FuncID
	for i, f := range s.Funcs {
		if f.Function == function && f.Address == 0 {
			out = append(out, FuncID(i))
		}
	}
	return out
}

func funcByName(funcs []Func, name string) (FuncID, bool) {
	for i, f := range funcs {
		if f.Name == name {
			return FuncID(i), true
		}
	}
	return NoFunc, false
}

// CollapseRecursion merges f's recursive calls into its outermost call:
// a stack main;f;g;f;h becomes main;f;h, so the time under the inner
// calls shows under the outer one, however indirect the recursion.
// Several frames are taken as one function (a function's lines).
func (s *Stacks) CollapseRecursion(f ...FuncID) *Stacks {
	return s.Transform(func(frames, dst []FuncID) []FuncID {
		outer := -1 // f's position in dst
		for _, g := range frames {
			if slices.Contains(f, g) {
				if outer >= 0 {
					dst = dst[:outer+1] // drop what lies between the calls
					continue
				}
				outer = len(dst)
			}
			dst = append(dst, g)
		}
		return ensure(dst)
	})
}

// LargestFrame is the frame of f with the largest total, or -1 if f has none.
func (t *Tree) LargestFrame(f FuncID) NodeID {
	best := NodeID(-1)
	for n := 1; n < len(t.Fn); n++ {
		if t.Fn[n] == f && (best < 0 || t.Total[n] > t.Total[best]) {
			best = NodeID(n)
		}
	}
	return best
}
