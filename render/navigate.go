package render

import (
	"fmt"
	"strings"

	"github.com/flamelens/flamelens/model"
)

// History is a graph's zoom history: the views before the one shown (most
// recent last) and those Back undid, for Forward. V is the widget's view.
type History[V comparable] struct {
	back, forward []V
}

// Push records a move from cur to next and returns the view to show:
// next; a move to where the graph already is records nothing.
func (h *History[V]) Push(cur, next V) V {
	if next != cur {
		h.back = append(h.back, cur)
		h.forward = nil
	}
	return next
}

// Back returns the view before cur, and false when there is none.
func (h *History[V]) Back(cur V) (V, bool) { return step(&h.back, &h.forward, cur) }

// Forward redoes what Back undid from cur, and false when there is nothing.
func (h *History[V]) Forward(cur V) (V, bool) { return step(&h.forward, &h.back, cur) }

// step moves from cur to the last view of from, keeping cur in to.
func step[V any](from, to *[]V, cur V) (V, bool) {
	if len(*from) == 0 {
		return cur, false
	}
	next := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	*to = append(*to, cur)
	return next, true
}

// Map replaces every view kept by f of it: the views of a tree that
// another, with the same frames, replaced.
func (h *History[V]) Map(f func(V) V) {
	for _, views := range [][]V{h.back, h.forward} {
		for i := range views {
			views[i] = f(views[i])
		}
	}
}

// Clear forgets every view: a new tree is shown.
func (h *History[V]) Clear() { h.back, h.forward = nil, nil }

// Move is a step of the selection over a tree with the keyboard.
type Move uint8

const (
	ToCaller Move = iota // the frame's parent
	ToCallee             // its largest child
	ToPrev               // the sibling before it
	ToNext               // the sibling after it
)

// Step is the frame a move from n leads to in t: n itself when there is
// nowhere to go (the root's caller, a leaf's callee, the last sibling).
// Children are in the tree's order: largest first.
func Step(t *model.Tree, n model.NodeID, m Move) model.NodeID {
	switch m {
	case ToCaller:
		if p := t.Parent[n]; p >= 0 {
			return p
		}
	case ToCallee:
		if kids := t.Children(n); len(kids) > 0 {
			return kids[0]
		}
	case ToPrev, ToNext:
		p := t.Parent[n]
		if p < 0 {
			return n
		}
		kids := t.Children(p)
		for i, k := range kids {
			switch {
			case k != n:
			case m == ToPrev && i > 0:
				return kids[i-1]
			case m == ToNext && i+1 < len(kids):
				return kids[i+1]
			}
		}
	}
	return n
}

// NearestMine is the frame nearest above n (or n itself) in the user's
// code by origins (whose code each function is), or -1; false when
// origins are not t's (not worked out yet).
func NearestMine(t *model.Tree, n model.NodeID, origins []model.Origin) (model.NodeID, bool) {
	if len(origins) != len(t.Funcs) {
		return -1, false
	}
	for ; n > model.Root; n = t.Parent[n] {
		if f := t.Fn[n]; f >= 0 && origins[f] == model.OriginMine {
			return n, true
		}
	}
	return -1, true
}

// TooltipText describes box b of tree t: full name, whose code and the
// user's nearest caller (with origins), file, self and total with units,
// share of the whole profile and of the caller; a comparison's change
// instead when diff is set.
func TooltipText(t *model.Tree, b Box, origins []model.Origin, diff *DiffStyle) string {
	if b.Node == Narrow {
		return fmt.Sprintf("frames narrower than a pixel\ntotal: %s (%s of all)\nclick to magnify",
			model.FormatValue(b.Value, t.SampleType.Unit), model.Percent(b.Value, t.AbsTotal))
	}
	n := b.Node
	var s strings.Builder
	s.WriteString(model.EscapeControl(t.Label(n)))
	if n != model.Root {
		if full := t.Funcs[t.Fn[n]].FullName; full != "" {
			s.WriteString("\n" + model.EscapeControl(full)) // before pprof shortened it
		}
		if t.Inlined(n) {
			s.WriteString("\ninlined into its caller")
		}
		// Whose code it is, and where the user's own code calls into it:
		// the line to change is usually there.
		if mine, known := NearestMine(t, n, origins); known {
			switch {
			case mine == n:
				s.WriteString("\nyour code")
			case mine >= 0:
				fmt.Fprintf(&s, "\n%s; your nearest caller: %s", origins[t.Fn[n]], model.EscapeControl(t.Name(mine)))
			default:
				fmt.Fprintf(&s, "\n%s; none of your code above it", origins[t.Fn[n]])
			}
		}
	}
	if diff.Compared(t) != nil {
		s.WriteString("\n" + DiffTooltip(t, n, diff))
		return s.String()
	}
	if n != model.Root {
		if f := t.Funcs[t.Fn[n]]; f.File != "" {
			fmt.Fprintf(&s, "\n%s", f.File)
			if f.StartLine > 0 {
				fmt.Fprintf(&s, ":%d", f.StartLine)
			}
		}
	}
	unit := t.SampleType.Unit
	fmt.Fprintf(&s, "\nself: %s (%s of all)", model.FormatValue(t.Self[n], unit), model.Percent(t.Self[n], t.AbsTotal))
	fmt.Fprintf(&s, "\ntotal: %s (%s of all", model.FormatValue(t.Total[n], unit), model.Percent(t.Total[n], t.AbsTotal))
	if p := t.Parent[n]; p >= 0 {
		fmt.Fprintf(&s, ", %s of %s", model.Percent(t.Total[n], t.Total[p]), t.Name(p))
	}
	s.WriteString(")")
	return s.String()
}

// MarkedRows are the rows (depths) of t that hold a frame of a function
// highlight marks, among focus's callers and the frames under focus, each
// row once, and how many rows there are down to the deepest under focus:
// what the overview strip beside a zoomed graph shows. At most
// markedRowsWalk frames under focus are looked at, so that a keystroke
// never waits on a walk of a huge tree.
func MarkedRows(t *model.Tree, focus model.NodeID, highlight []bool) (rows []int, count int) {
	seen := map[int]bool{}
	mark := func(n model.NodeID) {
		if d := int(t.Depth[n]); n != model.Root && highlight[t.Fn[n]] && !seen[d] {
			seen[d] = true
			rows = append(rows, d)
		}
	}
	for n := t.Parent[focus]; n > 0; n = t.Parent[n] {
		mark(n)
	}
	deepest := int(t.Depth[focus])
	stack := []model.NodeID{focus}
	for seen := 0; len(stack) > 0 && seen < markedRowsWalk; seen++ {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		deepest = max(deepest, int(t.Depth[n]))
		mark(n)
		stack = append(stack, t.Children(n)...)
	}
	return rows, deepest + 1
}

// markedRowsWalk bounds MarkedRows' walk of the frames under focus.
const markedRowsWalk = 200_000

// OverviewOf is the overview strip of a graph of count rows, rows marked,
// in view v heightPx pixels tall; nil when every row is on screen.
func OverviewOf(rows []int, count int, v View, heightPx int) *Overview {
	first := int(v.ScrollY / v.RowHeight)
	last := int((v.ScrollY + Pixels(heightPx)) / v.RowHeight)
	if count <= last-first+1 && first == 0 {
		return nil
	}
	return &Overview{Rows: count, FirstVisible: first, LastVisible: last, Marked: rows, RootAtBottom: v.Orientation == Flame}
}

// NodeAtPath is the node at the end of a call path of names from the root
// (a saved session's zoom), as far as the path goes in t.
func NodeAtPath(t *model.Tree, path []string) model.NodeID {
	ids := make([]model.FuncID, 0, len(path))
	for _, name := range path {
		f, ok := t.FuncByName(name)
		if !ok {
			break
		}
		ids = append(ids, f)
	}
	return t.Find(ids)
}
