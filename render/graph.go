// The call graph in three parts: what a graph says (labels, colours,
// DOT, its hot path) here; how Graphviz places it in graphlayout.go;
// how it is drawn (pixels, SVG) in graphdraw.go.

package render

import (
	"bufio"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

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
// font size: as pprof labels it, the function's package (the last element
// of its path) above its name within the package, then its flat and its
// cum values. The font grows with flat, as in pprof.
func nodeText(g *model.CallGraph, i int, sc graphScale) (lines []string, fontSize float64) {
	n := g.Nodes[i]
	full := g.Name(i)
	name := DisplayNames(full)
	short := name[len(name)-1]
	if len(name) > 1 {
		short = name[1] // without the package path
	}
	if pkg := model.PackageOf(full); pkg != "" && short != full {
		lines = append(lines, pkg[strings.LastIndex(pkg, "/")+1:])
	}
	unit := g.SampleType.Unit
	pct := func(v int64) string { return model.Percent(v, g.Total) }
	lines = append(lines, short)
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
		// Hot nodes are filled toward red too, not only outlined, so the
		// hot path reads at a glance as it does on pprof's graph.
		base := color.NRGBA{0xf8, 0xf8, 0xf8, 0xff}
		if dark {
			base = color.NRGBA{0x26, 0x26, 0x2a, 0xff}
		}
		return Blend(base, c, 0.12+0.5*score)
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
