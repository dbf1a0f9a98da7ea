package render

import (
	"github.com/flamelens/flamelens/model"
)

// Orientation says where the root is drawn.
type Orientation int

const (
	// Icicle draws the root at the top, callees below their callers.
	Icicle Orientation = iota
	// Flame draws the root at the bottom, callees above their callers.
	Flame
)

// View is what part of a tree is shown, in the tree's own terms.
type View struct {
	// Focus is the node zoomed to: it spans the full width, its ancestors
	// are shown (dimmed) above it and its descendants below. Root shows all.
	Focus model.NodeID
	// XStart and XEnd are the visible part of Focus's width, in tree
	// space: 0 and 1 show all of it, 0.25 and 0.5 its second quarter magnified.
	XStart, XEnd Fraction
	// ScrollY is how far the rows are scrolled away from the root, on screen.
	ScrollY Pixels
	// Orientation puts the root at the top or at the bottom.
	Orientation Orientation
	// RowHeight is the height of a row of frames, on screen.
	RowHeight Pixels
	// ScaleTotal, when larger than the focus's total, is the value that
	// spans the full width instead, so that two graphs side by side share
	// one scale: the focus (and its ancestors) are then as wide as their
	// share of it. 0 lets the focus fill the width.
	ScaleTotal int64
}

// Fraction is a position or a width in tree space: a share of the focused
// frame's width, 0 at its left edge and 1 at its right, whatever the zoom.
type Fraction float64

// Pixels is a position or a length in screen space.
type Pixels float64

// NewView shows the whole tree, root on top, with rows rowHeight pixels tall.
func NewView(rowHeight Pixels) View {
	return View{Focus: model.Root, XEnd: 1, RowHeight: rowHeight}
}

// Box is one frame (or a run of frames merged into one) placed in pixels.
type Box struct {
	// Node is the frame drawn, or Merged for frames narrower than a pixel.
	Node model.NodeID
	// Depth is the frame's row: 0 for the root.
	Depth int
	// X, Y, W, H place the box in pixels from the top left corner.
	X, Y, W, H float64
	// Dim marks an ancestor of the focus, shown above it for context.
	Dim bool
	// Value is the box's total in the tree's unit (the sum, when merged).
	Value int64
}

// Narrow is the Node of a box that stands for several frames, each narrower
// than a pixel: they are summed into one box per run, never drawn one by one.
const Narrow model.NodeID = -1

// MinFrameWidth is the pixel width below which frames are merged.
const MinFrameWidth = 1.0

// Layout places the visible frames of t in a width×height pixel viewport.
// Boxes come depth-first from the focus's ancestors down, callers before
// callees and callees left to right. Frames
// left or right of the viewport, and rows above or below it, are skipped;
// runs of frames narrower than MinFrameWidth become one Merged box, and
// their descendants are not visited, so the work is bounded by what fits
// on screen, not by the size of the tree.
func Layout(t *model.Tree, v View, width, height int) []Box {
	if t == nil || width <= 0 || height <= 0 || v.RowHeight <= 0 {
		return nil
	}
	l := layouter{t: t, v: v, width: float64(width), height: float64(height)}
	if v.XEnd <= v.XStart {
		l.v.XStart, l.v.XEnd = 0, 1
	}
	l.firstRow, l.lastRow = l.visibleRows()

	focusTotal := t.Total[v.Focus]
	scale := max(focusTotal, v.ScaleTotal)
	// xPixel = (xSample/scale - XStart) * pxPerFraction
	if scale > 0 {
		l.pxPerSample = l.width / float64(l.v.XEnd-l.v.XStart) / float64(scale)
	}
	l.xOrigin = 0 - float64(l.v.XStart)*l.width/float64(l.v.XEnd-l.v.XStart) // 0 - x: never -0

	// The focus and its ancestors span the whole width, or on a shared
	// scale the focus's share of it.
	x, w := 0.0, l.width
	if v.ScaleTotal > focusTotal {
		x, w = l.xOrigin, float64(max(focusTotal, 0))*l.pxPerSample
	}
	path := ancestors(t, v.Focus)
	for i, n := range path {
		if i >= l.firstRow && i <= l.lastRow && w > 0 {
			l.add(Box{Node: n, Depth: i, X: x, W: w, Dim: n != v.Focus, Value: t.Total[n]})
		}
	}
	if focusTotal <= 0 {
		return l.boxes
	}
	l.children(v.Focus, len(path)-1, l.xOrigin, l.pxPerSample)
	return l.boxes
}

type layouter struct {
	t                 *model.Tree
	v                 View
	width, height     float64
	firstRow, lastRow int
	pxPerSample       float64 // pixels per unit of value
	xOrigin           float64 // pixel x of the focus's left edge
	boxes             []Box
}

// visibleRows is the range of rows that intersect the viewport.
func (l *layouter) visibleRows() (first, last int) {
	first = int(l.v.ScrollY / l.v.RowHeight)
	if first < 0 {
		first = 0
	}
	last = int((l.v.ScrollY + Pixels(l.height)) / l.v.RowHeight)
	return first, last
}

// rowY is the top pixel of a row.
func (l *layouter) rowY(depth int) float64 {
	rowH, scrollY := float64(l.v.RowHeight), float64(l.v.ScrollY)
	if l.v.Orientation == Flame {
		return l.height - float64(depth+1)*rowH + scrollY
	}
	return float64(depth)*rowH - scrollY
}

func (l *layouter) add(b Box) {
	b.Y, b.H = l.rowY(b.Depth), float64(l.v.RowHeight)
	l.boxes = append(l.boxes, b)
}

// children lays out n's callees, whose row is depth+1; xSample is the value
// to the left of n within the focus.
func (l *layouter) children(n model.NodeID, depth int, xPixel, pxPerSample float64) {
	row := depth + 1
	if row > l.lastRow {
		return
	}
	t := l.t
	kids := t.Children(n)
	// In a tree of differences (NEW minus BASE) values can be negative and
	// a node's growing callees can add up to more than the node: they are
	// then shrunk to fit inside it. Negative ones are not drawn.
	if total := t.Total[n]; total > 0 {
		var positive int64
		for _, c := range kids {
			positive += max(t.Total[c], 0)
		}
		if positive > total {
			pxPerSample *= float64(total) / float64(positive)
		}
	}
	x := xPixel // callees start at their caller's left edge; self is the gap on the right
	for i, c := range kids {
		total := t.Total[c]
		if total <= 0 {
			continue
		}
		wPixel := float64(total) * pxPerSample
		if wPixel < MinFrameWidth {
			// Children are sorted by total, so the rest are narrower still:
			// they become one box.
			var rest int64
			for _, r := range kids[i:] {
				rest += max(t.Total[r], 0)
			}
			l.merged(row, x, float64(rest)*pxPerSample, rest)
			return
		}
		if x < l.width && x+wPixel > 0 {
			if row >= l.firstRow {
				l.add(Box{Node: c, Depth: row, X: x, W: wPixel, Value: total})
			}
			l.children(c, row, x, pxPerSample)
		}
		x += wPixel
	}
}

// merged adds a box for a run of sub-pixel frames if it shows at all.
func (l *layouter) merged(row int, xPixel, wPixel float64, value int64) {
	if row < l.firstRow || xPixel >= l.width || xPixel+wPixel <= 0 || wPixel < 0.5 {
		return
	}
	l.add(Box{Node: Narrow, Depth: row, X: xPixel, W: wPixel, Value: value})
}

// ancestors returns the path from the root to n, both included.
func ancestors(t *model.Tree, n model.NodeID) []model.NodeID {
	var path []model.NodeID
	for ; n >= 0; n = t.Parent[n] {
		path = append(path, n)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// Hit returns the index of the box under the pixel (x, y), or -1.
func Hit(boxes []Box, x, y float64) int {
	for i := len(boxes) - 1; i >= 0; i-- {
		b := boxes[i]
		if x >= b.X && x < b.X+b.W && y >= b.Y && y < b.Y+b.H {
			return i
		}
	}
	return -1
}
