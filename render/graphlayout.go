package render

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-graphviz"

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
