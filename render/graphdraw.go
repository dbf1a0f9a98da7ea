package render

import (
	"bufio"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/flamelens/flamelens/model"
)

// GraphPainters are painters by font size for drawing call graphs; like
// a Painter, one is used from one goroutine at a time.
type GraphPainters map[float64]*Painter

func (ps GraphPainters) at(size float64) *Painter {
	p, ok := ps[size]
	if !ok {
		p = NewPainter(size)
		ps[size] = p
	}
	return p
}

var (
	measureMu sync.Mutex // guards measurers, used by layouts on any goroutine
	measurers = GraphPainters{}
)

// GraphView is the part of a laid-out graph on screen: pixels per point
// and the point at the top left corner.
type GraphView struct {
	Scale      float64
	OffX, OffY float64
}

// FitGraph is the view showing all of l in a w×h pixel area.
func FitGraph(l *GraphLayout, w, h int) GraphView {
	if l.Width <= 0 || l.Height <= 0 {
		return GraphView{Scale: 1}
	}
	s := math.Min(float64(w)/l.Width, float64(h)/l.Height)
	return GraphView{Scale: s, OffX: -(float64(w)/s - l.Width) / 2, OffY: -(float64(h)/s - l.Height) / 2}
}

// ReadableFont is the least label size, in pixels, at which a call graph
// opens: its hot path is read without zooming.
const ReadableFont = 11.0

// OpenGraph is the view a call graph opens at in a w×h pixel area: all of
// it, when its hot path's labels can be read so; else zoomed in until
// they are (ReadableFont), the hot path's first node at the top and the
// path centred, the rest of the graph a pan away.
func OpenGraph(l *GraphLayout, hot []bool, w, h int) GraphView {
	fit := FitGraph(l, w, h)
	least := math.Inf(1)
	for i, n := range l.Nodes {
		if i < len(hot) && hot[i] {
			least = math.Min(least, n.Font)
		}
	}
	if math.IsInf(least, 1) || fit.Scale*least >= ReadableFont {
		return fit
	}
	s := ReadableFont / least
	// The path's nodes from the top down; shown: the longest run of them
	// that fits the area together (the earliest of equals), centred, its
	// first node at the top. A path that jumps across the graph (through
	// functions left out) shows its part that reads as one.
	var path []NodePlace
	for i, n := range l.Nodes {
		if i < len(hot) && hot[i] {
			path = append(path, n)
		}
	}
	slices.SortFunc(path, func(a, b NodePlace) int { return cmp.Compare(a.Y, b.Y) })
	type run struct {
		count           int
		top, minX, maxX float64
	}
	var best run
	for k, first := range path {
		r := run{1, first.Y - first.H/2, first.X - first.W/2, first.X + first.W/2}
		for _, n := range path[k+1:] {
			lo, hi := math.Min(r.minX, n.X-n.W/2), math.Max(r.maxX, n.X+n.W/2)
			if (hi-lo)*s > float64(w) || (n.Y+n.H/2-r.top)*s > float64(h) {
				break
			}
			r.count, r.minX, r.maxX = r.count+1, lo, hi
		}
		if r.count > best.count {
			best = r
		}
	}
	const margin = 12.0 // pixels above the first node
	return GraphView{Scale: s, OffX: (best.minX+best.maxX)/2 - float64(w)/s/2, OffY: best.top - margin/s}
}

// ToPixel maps a layout point to a pixel.
func (v GraphView) ToPixel(x, y float64) (float64, float64) {
	return (x - v.OffX) * v.Scale, (y - v.OffY) * v.Scale
}

// NodeAt is the node under the pixel (px, py), or -1.
func (v GraphView) NodeAt(l *GraphLayout, px, py float64) int {
	x, y := px/v.Scale+v.OffX, py/v.Scale+v.OffY
	for i, n := range l.Nodes {
		if math.Abs(x-n.X) <= n.W/2 && math.Abs(y-n.Y) <= n.H/2 {
			return i
		}
	}
	return -1
}

// GraphStyle is how a call graph is drawn beyond its layout.
type GraphStyle struct {
	Theme    Theme
	Selected int    // node outlined; -1 for none
	HotPath  []bool // nodes on the hottest path from the root, emphasized
	// Diff, when the graph is of a comparison (NEW minus BASE), colours
	// nodes and edges by sign: red grew, blue shrank.
	Diff *DiffStyle
}

// DrawGraph paints a laid-out call graph into img through view, with
// text from ps.
func DrawGraph(img *image.RGBA, ps GraphPainters, l *GraphLayout, view GraphView, st GraphStyle) {
	fillRect(img, img.Bounds(), st.Theme.Background)
	g := l.Graph
	sc := scaleOf(g)
	for i, e := range g.Edges {
		place := l.Edges[i]
		c := GraphColor(e.Weight, g.Total, st.Theme.Dark, false)
		if st.Diff != nil {
			c = diffSign(e.Weight, st)
		}
		width := math.Max(1, edgePenWidth(sc, e)*view.Scale)
		drawBezier(img, place.Points, view, c, width, e.Residual)
		if n := len(place.Points); n > 0 {
			drawArrowHead(img, place.Points, view, c, width)
		}
		if place.HasLabel && view.Scale > 0.35 {
			p := ps.at(math.Round(math.Max(6, 10*view.Scale)))
			x, y := view.ToPixel(place.LabelX, place.LabelY)
			text := GraphEdgeLabel(g, e)
			p.drawText(img, img.Bounds(), int(x)-p.TextWidth(text)/2, int(y)+p.ascent/2, text, TextColor(st.Theme.Background))
		}
	}
	for i, n := range l.Nodes {
		node := g.Nodes[i]
		fill := GraphColor(node.Cum, g.Total, st.Theme.Dark, true)
		border := GraphColor(node.Cum, g.Total, st.Theme.Dark, false)
		if st.Diff != nil {
			border = diffSign(node.Cum, st)
			fill = Blend(st.Theme.Background, border, 0.25)
		}
		x0, y0 := view.ToPixel(n.X-n.W/2, n.Y-n.H/2)
		x1, y1 := view.ToPixel(n.X+n.W/2, n.Y+n.H/2)
		r := image.Rect(int(x0), int(y0), int(x1), int(y1))
		fillRect(img, r, fill)
		bw := 1
		if st.HotPath != nil && st.HotPath[i] {
			bw = 3
		}
		strokeRect(img, r, border, bw)
		if i == st.Selected {
			strokeRect(img, r.Inset(-3), st.Theme.Selection, 2)
		}
		fontPx := n.Font * view.Scale
		if fontPx < 5 {
			continue // too small to read: the box alone
		}
		p := ps.at(math.Round(fontPx))
		lh := p.LineHeight()
		top := int(y0) + (r.Dy()-lh*len(n.Lines))/2
		for k, line := range n.Lines {
			tw := p.TextWidth(line)
			p.drawText(img, r, r.Min.X+(r.Dx()-tw)/2, top+k*lh+p.ascent, line, TextColor(fill))
		}
	}
}

// diffSign colours a value of a difference graph by its sign.
func diffSign(v int64, st GraphStyle) color.NRGBA {
	grew, shrank, neutral := DiffColors(st.Diff.Palette, st.Theme.Dark)
	switch {
	case v > 0:
		return grew
	case v < 0:
		return shrank
	}
	return neutral
}

// drawBezier strokes a chain of cubic Bézier segments.
func drawBezier(img *image.RGBA, pts [][2]float64, view GraphView, c color.NRGBA, width float64, dotted bool) {
	if len(pts) < 4 {
		return
	}
	step := 0
	for i := 0; i+3 < len(pts); i += 3 {
		p0, p1, p2, p3 := pts[i], pts[i+1], pts[i+2], pts[i+3]
		const n = 24
		var px, py float64
		for k := 0; k <= n; k++ {
			t := float64(k) / n
			u := 1 - t
			x := u*u*u*p0[0] + 3*u*u*t*p1[0] + 3*u*t*t*p2[0] + t*t*t*p3[0]
			y := u*u*u*p0[1] + 3*u*u*t*p1[1] + 3*u*t*t*p2[1] + t*t*t*p3[1]
			x, y = view.ToPixel(x, y)
			if k > 0 {
				step++
				if !dotted || step%3 != 0 {
					drawLine(img, px, py, x, y, c, width)
				}
			}
			px, py = x, y
		}
	}
}

// drawArrowHead draws an arrow at the end of an edge, toward its last point.
func drawArrowHead(img *image.RGBA, pts [][2]float64, view GraphView, c color.NRGBA, width float64) {
	n := len(pts)
	if n < 2 {
		return
	}
	x1, y1 := view.ToPixel(pts[n-1][0], pts[n-1][1])
	x0, y0 := view.ToPixel(pts[n-2][0], pts[n-2][1])
	dx, dy := x1-x0, y1-y0
	d := math.Hypot(dx, dy)
	if d == 0 {
		return
	}
	dx, dy = dx/d, dy/d
	size := math.Max(5, 8*view.Scale+width)
	for _, side := range []float64{-1, 1} {
		ax := x1 - dx*size + side*dy*size*0.5
		ay := y1 - dy*size - side*dx*size*0.5
		drawLine(img, x1, y1, ax, ay, c, math.Max(1, width*0.8))
	}
}

// drawLine draws a thick line by stamping squares along it.
func drawLine(img *image.RGBA, x0, y0, x1, y1 float64, c color.NRGBA, width float64) {
	d := math.Hypot(x1-x0, y1-y0)
	steps := int(d) + 1
	half := width / 2
	for k := 0; k <= steps; k++ {
		t := float64(k) / float64(steps)
		x, y := x0+(x1-x0)*t, y0+(y1-y0)*t
		fillRect(img, image.Rect(int(x-half), int(y-half), int(math.Ceil(x+half)), int(math.Ceil(y+half))), c)
	}
}

// Image draws the whole laid-out graph at one pixel per point.
func (l *GraphLayout) Image(th Theme) *image.RGBA {
	const margin = 8
	img := image.NewRGBA(image.Rect(0, 0, int(l.Width)+2*margin, int(l.Height)+2*margin))
	DrawGraph(img, GraphPainters{}, l, GraphView{Scale: 1, OffX: -margin, OffY: -margin},
		GraphStyle{Theme: th, Selected: -1, HotPath: HotPath(l.Graph)})
	return img
}

// WriteSVG writes the laid-out graph as SVG: a titled group per node and
// per edge, so a browser shows names and values as tooltips.
func (l *GraphLayout) WriteSVG(w io.Writer, th Theme) error {
	g := l.Graph
	sc := scaleOf(g)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="-8 -8 %.0f %.0f" font-family="Go, 'DejaVu Sans', Verdana, sans-serif">
<rect x="-8" y="-8" width="%.0f" height="%.0f" fill="%s"/>
`, l.Width+16, l.Height+16, l.Width+16, l.Height+16, l.Width+16, l.Height+16, hexColor(th.Background))
	for i, e := range g.Edges {
		pts := l.Edges[i].Points
		if len(pts) < 4 {
			continue
		}
		var d strings.Builder
		fmt.Fprintf(&d, "M%.1f,%.1f", pts[0][0], pts[0][1])
		for k := 1; k+2 < len(pts); k += 3 {
			fmt.Fprintf(&d, " C%.1f,%.1f %.1f,%.1f %.1f,%.1f", pts[k][0], pts[k][1], pts[k+1][0], pts[k+1][1], pts[k+2][0], pts[k+2][1])
		}
		dash := ""
		if e.Residual {
			dash = ` stroke-dasharray="2 3"`
		}
		c := hexColor(GraphColor(e.Weight, g.Total, th.Dark, false))
		fmt.Fprintf(bw, `<g><title>%s</title><path d="%s" fill="none" stroke="%s" stroke-width="%.1f"%s/>`,
			xmlText(fmt.Sprintf("%s -> %s (%s)", g.Name(e.Src), g.Name(e.Dst), GraphEdgeLabel(g, e))), d.String(), c, edgePenWidth(sc, e), dash)
		if p := l.Edges[i]; p.HasLabel {
			fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">%s</text>`,
				p.LabelX, p.LabelY, hexColor(TextColor(th.Background)), xmlText(GraphEdgeLabel(g, e)))
		}
		bw.WriteString("</g>\n")
	}
	for i, n := range l.Nodes {
		node := g.Nodes[i]
		fill := GraphColor(node.Cum, g.Total, th.Dark, true)
		fmt.Fprintf(bw, `<g><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="%s"/>`,
			xmlText(fmt.Sprintf("%s\nflat %s\ncum %s", g.Name(i), model.FormatValue(node.Flat, g.SampleType.Unit), model.FormatValue(node.Cum, g.SampleType.Unit))),
			n.X-n.W/2, n.Y-n.H/2, n.W, n.H, hexColor(fill), hexColor(GraphColor(node.Cum, g.Total, th.Dark, false)))
		lineH := n.Font * 1.2
		top := n.Y - lineH*float64(len(n.Lines))/2 + n.Font
		for k, line := range n.Lines {
			fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" font-size="%.0f" text-anchor="middle" fill="%s">%s</text>`,
				n.X, top+float64(k)*lineH, n.Font, hexColor(TextColor(fill)), xmlText(line))
		}
		bw.WriteString("</g>\n")
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}
