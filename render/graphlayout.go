package render

import (
	"context"
	"fmt"

	"github.com/flamelens/flamelens/model"
)

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

// GraphLayout is a call graph placed in layers (LayoutGraph): node boxes and
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

// edgeLabelFont is the font size edge labels are drawn at (graphdraw.go).
const edgeLabelFont = 10

// LayoutGraph places the call graph in layers, top down, as Graphviz's dot
// places pprof's (see layered.go): in-process, pure Go, nothing made
// before a graph is asked for.
func LayoutGraph(ctx context.Context, g *model.CallGraph) (*GraphLayout, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("laying out the call graph: %w", err)
	}
	sc := scaleOf(g)
	l := &GraphLayout{Graph: g, Nodes: make([]NodePlace, len(g.Nodes)), Edges: make([]EdgePlace, len(g.Edges))}
	sizes := make([][2]float64, len(g.Nodes))
	for i := range g.Nodes {
		lines, font := nodeText(g, i, sc)
		w, h := nodeSize(lines, font)
		sizes[i] = [2]float64{w * 72, h * 72}
		l.Nodes[i] = NodePlace{W: w * 72, H: h * 72, Lines: lines, Font: font}
	}
	src, dst := make([]int, len(g.Edges)), make([]int, len(g.Edges))
	weights, labels := make([]float64, len(g.Edges)), make([][2]float64, len(g.Edges))
	measureMu.Lock()
	p := measurers.at(edgeLabelFont)
	for i, e := range g.Edges {
		src[i], dst[i] = e.Src, e.Dst
		weights[i] = float64(abs(e.Weight))/float64(max(sc.maxWeight, 1)) + 1e-3
		labels[i] = [2]float64{float64(p.TextWidth(GraphEdgeLabel(g, e))), float64(p.LineHeight())}
	}
	measureMu.Unlock()
	lg := layoutLayers(sizes, src, dst, weights, labels)
	l.Width, l.Height = lg.bounds()
	for i := range g.Nodes {
		l.Nodes[i].X, l.Nodes[i].Y = lg.nodes[i].x, lg.nodes[i].y
	}
	for i := range g.Edges {
		pts, label, ok := lg.edgePoints(i)
		l.Edges[i] = EdgePlace{Points: pts, LabelX: label[0], LabelY: label[1], HasLabel: ok}
	}
	return l, nil
}
