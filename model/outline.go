package model

// Outline builds the part of the stacks' call tree that a first frame
// shows: the nodes whose total is at least minTotal, with their values as
// in the whole tree (so a node's callees may add up to less than its
// total minus its self value: the rest were too small to keep). Frames
// narrower than a pixel are merged when drawn anyway, so with minTotal at
// most the total over the widest picture's pixels, an outline draws like
// the whole tree. It needs no sort: from the root down, each kept node's
// stacks are grouped by their next frame with counting arrays, and only
// groups of minTotal or more are visited, so its work is the stacks of the
// kept nodes, not the tree's size. The window draws its first frame from
// it while the whole tree is built. Marked Partial; not for tables (use
// Stacks.Functions) or further views.
func (s *Stacks) Outline(minTotal int64) *Tree {
	t := &Tree{Funcs: s.Funcs, SampleType: s.SampleType, SampleIndex: s.SampleIndex, AbsTotal: s.AbsTotal,
		stacks: s, Partial: true}
	idx := make([]int32, len(s.value)) // the stacks of each kept node are a run of idx
	for i := range idx {
		idx[i] = int32(i)
	}
	tmp := make([]int32, len(s.value))
	sums := make([]int64, len(s.Funcs))   // by function: the value of the run's stacks through it
	counts := make([]int32, len(s.Funcs)) // how many of them
	at := make([]int32, len(s.Funcs))     // where its group goes in idx, for the kept ones; -1 else
	for i := range at {
		at[i] = -1
	}
	var visit func(parent NodeID, fn FuncID, lo, hi, depth int)
	visit = func(parent NodeID, fn FuncID, lo, hi, depth int) {
		var self, total int64
		var next []FuncID // the functions at depth in this run, as met
		for _, si := range idx[lo:hi] {
			v := s.value[si]
			total += v
			fr := s.Frames(int(si))
			if len(fr) == depth {
				self += v
				continue
			}
			f := fr[depth]
			if counts[f] == 0 {
				next = append(next, f)
			}
			counts[f]++
			sums[f] += v
		}
		n := NodeID(len(t.Fn))
		t.Fn = append(t.Fn, fn)
		t.Parent = append(t.Parent, parent)
		t.Depth = append(t.Depth, int32(depth))
		t.Self = append(t.Self, self)
		t.Total = append(t.Total, total)
		// Gather the groups kept into the front of the run, in the order met.
		type group struct {
			f      FuncID
			lo, hi int
		}
		var kept []group
		end := lo
		for _, f := range next {
			if sums[f] >= minTotal {
				at[f] = int32(end)
				kept = append(kept, group{f, end, end + int(counts[f])})
				end += int(counts[f])
			}
			sums[f], counts[f] = 0, 0
		}
		if len(kept) > 0 {
			for _, si := range idx[lo:hi] {
				fr := s.Frames(int(si))
				if len(fr) > depth && at[fr[depth]] >= 0 {
					tmp[at[fr[depth]]] = si
					at[fr[depth]]++
				}
			}
			copy(idx[lo:end], tmp[lo:end])
			for _, g := range kept {
				at[g.f] = -1
			}
		}
		for _, g := range kept {
			visit(n, g.f, g.lo, g.hi, depth+1)
		}
	}
	visit(-1, NoFunc, 0, len(idx), 0)
	t.link()
	return t
}

// MaxFirstViewPixels is the widest flame graph a first view is drawn for:
// an outline keeps every frame that is a pixel wide or more at this width.
const MaxFirstViewPixels = 8192

// FirstView is what a window needs to show a profile's stacks before its
// whole call tree is built: an outline of the tree, the function table
// and the search index.
type FirstView struct {
	Outline *Tree
	Table   []FuncStat // Stacks.Functions, in FuncID order
	Index   *FuzzyIndex
}

// NewFirstView computes the first view of s, the outline and the table on
// two cores at once.
func NewFirstView(s *Stacks) FirstView {
	var fv FirstView
	done := make(chan struct{})
	go func() {
		fv.Table = s.Functions()
		fv.Index = NewFuzzyIndex(fv.Table)
		close(done)
	}()
	fv.Outline = s.Outline(s.AbsTotal / MaxFirstViewPixels)
	<-done
	return fv
}

// PathOf is node n's functions from the root's callee down to n.
func (t *Tree) PathOf(n NodeID) []FuncID {
	var path []FuncID
	for ; n > 0; n = t.Parent[n] {
		path = append(path, t.Fn[n])
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// Find is the node reached from the root by path, or the deepest node on
// the way that the tree has.
func (t *Tree) Find(path []FuncID) NodeID {
	n := Root
	for _, f := range path {
		next := NodeID(-1)
		for _, c := range t.Children(n) {
			if t.Fn[c] == f {
				next = c
				break
			}
		}
		if next < 0 {
			break
		}
		n = next
	}
	return n
}
