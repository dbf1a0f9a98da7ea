package render

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/flamelens/flamelens/model"
)

// Call graph sizes, in points (1/72 inch), as Graphviz measures.
const (
	graphMinFont = 8.0
	graphMaxFont = 24.0
	graphPadX    = 8.0
	graphPadY    = 5.0
)

// graphScale is what a graph's sizes are relative to: its largest flat
// and its heaviest edge.
type graphScale struct{ maxFlat, maxWeight int64 }

func scaleOf(g *model.CallGraph) graphScale {
	var sc graphScale
	for _, n := range g.Nodes {
		sc.maxFlat = max(sc.maxFlat, abs(n.Flat))
	}
	for _, e := range g.Edges {
		sc.maxWeight = max(sc.maxWeight, abs(e.Weight))
	}
	return sc
}

// nodeText is what a call graph node shows, line by line, and at what
// font size: the function's short name, its flat and its cum values. The
// font grows with flat, as in pprof.
func nodeText(g *model.CallGraph, i int, sc graphScale) (lines []string, fontSize float64) {
	n := g.Nodes[i]
	name := DisplayNames(g.Name(i))
	short := name[len(name)-1]
	if len(name) > 1 {
		short = name[1] // without the package path
	}
	unit := g.SampleType.Unit
	pct := func(v int64) string { return model.Percent(v, g.Total) }
	lines = []string{short}
	if n.Flat == n.Cum {
		lines = append(lines, fmt.Sprintf("%s (%s)", model.FormatValue(n.Flat, unit), pct(n.Flat)))
	} else {
		lines = append(lines, fmt.Sprintf("%s (%s)", model.FormatValue(n.Flat, unit), pct(n.Flat)),
			fmt.Sprintf("of %s (%s)", model.FormatValue(n.Cum, unit), pct(n.Cum)))
	}
	fontSize = graphMinFont
	if sc.maxFlat > 0 {
		fontSize += math.Ceil((graphMaxFont - graphMinFont) * math.Sqrt(float64(abs(n.Flat))/float64(sc.maxFlat)))
	}
	return lines, fontSize
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// GraphEdgeLabel is an edge's label: its value, and "(inline)" for inlined calls.
func GraphEdgeLabel(g *model.CallGraph, e model.GraphEdge) string {
	s := model.FormatValue(e.Weight, g.SampleType.Unit)
	if e.Inline {
		s += " (inline)"
	}
	return s
}

// edgePenWidth grows with an edge's share of the heaviest edge, 1 to 6.
func edgePenWidth(sc graphScale, e model.GraphEdge) float64 {
	if sc.maxWeight == 0 {
		return 1
	}
	return 1 + 5*float64(abs(e.Weight))/float64(sc.maxWeight)
}

// GraphColor is a node's or edge's colour by its share of the total, in
// pprof's scheme: grey for cold, toward red for hot; fill is the pale
// variant for a node's background.
func GraphColor(value, total int64, dark, fill bool) color.NRGBA {
	score := 0.0
	if total != 0 {
		score = math.Min(1, math.Abs(float64(value)/float64(total)))
	}
	score = math.Sqrt(score) // make small values stand out, as pprof does
	cold, hot := color.NRGBA{0xb2, 0xb2, 0xb2, 0xff}, color.NRGBA{0xb2, 0x15, 0x00, 0xff}
	c := Blend(cold, hot, score)
	if fill {
		base := color.NRGBA{0xf8, 0xf8, 0xf8, 0xff}
		if dark {
			base = color.NRGBA{0x26, 0x26, 0x2a, 0xff}
		}
		return Blend(base, c, 0.18)
	}
	if dark {
		return Blend(c, color.NRGBA{0xff, 0xff, 0xff, 0xff}, 0.25)
	}
	return c
}

// hexColor is c as #rrggbb.
func hexColor(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// WriteDOT writes the call graph as Graphviz DOT, as go tool pprof -dot
// draws it: boxes with name, flat and cum; the font grows with flat, the
// colour with cum; edges as wide as their weight, dotted through dropped
// functions, marked when inlined. Node sizes are set, so that a layout of
// this text fits the labels flamelens draws.
func WriteDOT(w io.Writer, g *model.CallGraph, title string) error {
	sc := scaleOf(g)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "digraph %s {\n", strconv.Quote(title))
	fmt.Fprintf(bw, "node [style=filled fillcolor=\"#f8f8f8\" shape=box fixedsize=true]\n")
	for i, n := range g.Nodes {
		lines, font := nodeText(g, i, sc)
		wIn, hIn := nodeSize(lines, font)
		label := strings.Join(lines, "\\n")
		fmt.Fprintf(bw, "N%d [label=%s fontsize=%.0f width=%.3f height=%.3f tooltip=%s color=%q fillcolor=%q]\n",
			i+1, dotQuote(label), font, wIn, hIn,
			dotQuote(fmt.Sprintf("%s (%s)", g.Name(i), model.FormatValue(n.Cum, g.SampleType.Unit))),
			hexColor(GraphColor(n.Cum, g.Total, false, false)), hexColor(GraphColor(n.Cum, g.Total, false, true)))
	}
	for _, e := range g.Edges {
		style := ""
		if e.Residual {
			style = " style=dotted"
		}
		fmt.Fprintf(bw, "N%d -> N%d [label=%s penwidth=%.2f color=%q tooltip=%s%s]\n",
			e.Src+1, e.Dst+1, dotQuote(" "+GraphEdgeLabel(g, e)), edgePenWidth(sc, e), hexColor(GraphColor(e.Weight, g.Total, false, false)),
			dotQuote(fmt.Sprintf("%s -> %s (%s)", g.Name(e.Src), g.Name(e.Dst), model.FormatValue(e.Weight, g.SampleType.Unit))), style)
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// dotQuote quotes s for DOT, keeping \n escapes.
func dotQuote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + s + `"`
}

// nodeSize is a node's box for its lines at a font size, in inches.
func nodeSize(lines []string, font float64) (w, h float64) {
	measureMu.Lock()
	defer measureMu.Unlock()
	p := measurers.at(font)
	widest := 0
	for _, l := range lines {
		widest = max(widest, p.TextWidth(l))
	}
	wPt := float64(widest) + 2*graphPadX
	hPt := float64(len(lines)*p.LineHeight()) + 2*graphPadY
	return wPt / 72, hPt / 72
}

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

// GraphLayout is a call graph placed by Graphviz's dot: node boxes and
// edge curves, in points from the top left corner.
type GraphLayout struct {
	Graph         *model.CallGraph
	Width, Height float64
	Nodes         []NodePlace // by node index
	Edges         []EdgePlace // by edge index
}

// NodePlace is where a node's box is: its centre and size.
type NodePlace struct {
	X, Y, W, H float64
	Lines      []string
	Font       float64
}

// EdgePlace is an edge's curve, as cubic Bézier control points (a start
// point, then three points per segment), and where its label goes.
type EdgePlace struct {
	Points         [][2]float64
	LabelX, LabelY float64
	HasLabel       bool
}

var (
	layoutMu sync.Mutex // Graphviz's runtime is not safe for concurrent use
	gv       *graphviz.Graphviz
)

// LayoutGraph places the call graph with Graphviz's dot layout, which
// github.com/goccy/go-graphviz runs inside the process (no Graphviz to
// install).
func LayoutGraph(ctx context.Context, g *model.CallGraph) (*GraphLayout, error) {
	var dot bytes.Buffer
	if err := WriteDOT(&dot, g, "flamelens"); err != nil {
		return nil, err
	}
	layoutMu.Lock()
	defer layoutMu.Unlock()
	if gv == nil {
		var err error
		if gv, err = graphviz.New(ctx); err != nil {
			return nil, fmt.Errorf("laying out the call graph: %v", err)
		}
	}
	parsed, err := graphviz.ParseBytes(dot.Bytes())
	if err != nil {
		return nil, fmt.Errorf("laying out the call graph: %v", err)
	}
	defer parsed.Close()
	var plain bytes.Buffer
	if err := gv.Render(ctx, parsed, graphviz.Format("plain"), &plain); err != nil {
		return nil, fmt.Errorf("laying out the call graph: %v", err)
	}
	return parsePlain(g, plain.String())
}

// parsePlain reads Graphviz's "plain" output (inches, origin bottom left).
func parsePlain(g *model.CallGraph, plain string) (*GraphLayout, error) {
	sc := scaleOf(g)
	l := &GraphLayout{Graph: g, Nodes: make([]NodePlace, len(g.Nodes)), Edges: make([]EdgePlace, len(g.Edges))}
	edgeOf := map[[2]int][]int{}
	for i, e := range g.Edges {
		k := [2]int{e.Src, e.Dst}
		edgeOf[k] = append(edgeOf[k], i)
	}
	for _, line := range strings.Split(plain, "\n") {
		f := plainFields(line)
		if len(f) == 0 {
			continue
		}
		num := func(i int) float64 {
			v, _ := strconv.ParseFloat(f[i], 64)
			return v * 72
		}
		switch f[0] {
		case "graph":
			if len(f) >= 4 {
				l.Width, l.Height = num(2), num(3)
			}
		case "node":
			i, err := strconv.Atoi(strings.TrimPrefix(f[1], "N"))
			if err != nil || i < 1 || i > len(g.Nodes) || len(f) < 6 {
				continue
			}
			lines, font := nodeText(g, i-1, sc)
			l.Nodes[i-1] = NodePlace{X: num(2), Y: l.Height - num(3), W: num(4), H: num(5), Lines: lines, Font: font}
		case "edge":
			src, err1 := strconv.Atoi(strings.TrimPrefix(f[1], "N"))
			dst, err2 := strconv.Atoi(strings.TrimPrefix(f[2], "N"))
			n, err3 := strconv.Atoi(f[3])
			if err1 != nil || err2 != nil || err3 != nil || len(f) < 4+2*n {
				continue
			}
			ids := edgeOf[[2]int{src - 1, dst - 1}]
			if len(ids) == 0 {
				continue
			}
			e := ids[0]
			edgeOf[[2]int{src - 1, dst - 1}] = ids[1:]
			var pts [][2]float64
			for k := 0; k < n; k++ {
				pts = append(pts, [2]float64{num(4 + 2*k), l.Height - num(5+2*k)})
			}
			place := EdgePlace{Points: pts}
			if rest := f[4+2*n:]; len(rest) >= 5 { // label x y style color
				place.HasLabel = true
				place.LabelX, _ = strconv.ParseFloat(rest[1], 64)
				place.LabelY, _ = strconv.ParseFloat(rest[2], 64)
				place.LabelX *= 72
				place.LabelY = l.Height - place.LabelY*72
			}
			l.Edges[e] = place
		}
	}
	return l, nil
}

// plainFields splits a line of Graphviz plain output, keeping quoted
// strings whole.
func plainFields(line string) []string {
	var out []string
	for {
		line = strings.TrimLeft(line, " ")
		if line == "" {
			return out
		}
		if line[0] == '"' {
			end := 1
			for end < len(line) && (line[end] != '"' || line[end-1] == '\\') {
				end++
			}
			out = append(out, line[1:min(end, len(line))])
			line = line[min(end+1, len(line)):]
			continue
		}
		i := strings.IndexByte(line, ' ')
		if i < 0 {
			return append(out, line)
		}
		out = append(out, line[:i])
		line = line[i:]
	}
}

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

// HotPath marks the nodes on the hottest path: from the heaviest entry
// node, following the heaviest outgoing edge each time.
func HotPath(g *model.CallGraph) []bool {
	on := make([]bool, len(g.Nodes))
	cur := -1
	for i, n := range g.Nodes {
		if len(n.In) == 0 && (cur < 0 || abs(n.Cum) > abs(g.Nodes[cur].Cum)) {
			cur = i
		}
	}
	for cur >= 0 && !on[cur] {
		on[cur] = true
		next := -1
		for _, e := range g.Nodes[cur].Out { // heaviest first
			if !g.Edges[e].Residual || next < 0 {
				next = g.Edges[e].Dst
				break
			}
		}
		cur = next
	}
	return on
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
