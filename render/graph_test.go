package render

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

func jsonGraph(t testing.TB) *model.CallGraph {
	t.Helper()
	p, err := model.Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	g, err := model.BuildCallGraph(p, 1, model.DefaultGraphOptions)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDOTIsValidGraphviz(t *testing.T) {
	g := jsonGraph(t)
	var dot bytes.Buffer
	if err := WriteDOT(&dot, g, `profile "with" quotes`); err != nil {
		t.Fatal(err)
	}
	parsed, err := graphviz.ParseBytes(dot.Bytes())
	if err != nil {
		t.Fatalf("Graphviz does not read the DOT: %v\n%.500s", err, dot.String())
	}
	defer parsed.Close()
	nodes, _ := parsed.NodeNum()
	edges, _ := parsed.EdgeNum()
	if nodes != len(g.Nodes) || edges != len(g.Edges) {
		t.Errorf("Graphviz read %d nodes and %d edges, want %d and %d", nodes, edges, len(g.Nodes), len(g.Edges))
	}
	for _, want := range []string{
		`tooltip="encoding/json.(*decodeState).object (7.87s)"`,
		`label="json\n(*decodeState).object\n360ms (1.70%)\nof 7.87s (37.09%)"`, // the package above the name, as pprof labels it
		`style=dotted`,
		` (inline)"`,
	} {
		if !strings.Contains(dot.String(), want) {
			t.Errorf("DOT lacks %s", want)
		}
	}
}

func TestGraphLayoutDoesNotOverlap(t *testing.T) {
	g := jsonGraph(t)
	l, err := LayoutGraph(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if l.Width <= 0 || l.Height <= 0 {
		t.Fatalf("layout is %vx%v", l.Width, l.Height)
	}
	for i, a := range l.Nodes {
		if a.W <= 0 || a.H <= 0 || a.X-a.W/2 < -1 || a.X+a.W/2 > l.Width+1 || a.Y-a.H/2 < -1 || a.Y+a.H/2 > l.Height+1 {
			t.Errorf("node %d (%s) at %+v is outside the %vx%v layout", i, g.Name(i), a, l.Width, l.Height)
		}
		for j := i + 1; j < len(l.Nodes); j++ {
			b := l.Nodes[j]
			if abs64f(a.X-b.X) < (a.W+b.W)/2-0.5 && abs64f(a.Y-b.Y) < (a.H+b.H)/2-0.5 {
				t.Errorf("nodes %s and %s overlap", g.Name(i), g.Name(j))
			}
		}
	}
	for i, e := range l.Edges {
		if len(e.Points) < 4 || (len(e.Points)-1)%3 != 0 {
			t.Errorf("edge %d has %d control points", i, len(e.Points))
		}
	}
	// The hottest path starts at the heaviest entry and follows heavy calls.
	hot := HotPath(g)
	if !hot[0] {
		t.Errorf("the hot path misses the heaviest entry %s", g.Name(0))
	}
	// A view fitting the graph hits a node at its centre.
	v := FitGraph(l, 1200, 800)
	x, y := v.ToPixel(l.Nodes[5].X, l.Nodes[5].Y)
	if got := v.NodeAt(l, x, y); got != 5 {
		t.Errorf("NodeAt the centre of node 5 is %d", got)
	}
}

func abs64f(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestGraphPictures(t *testing.T) {
	l, err := LayoutGraph(context.Background(), jsonGraph(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, l.Image(LightTheme)); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&buf); err != nil {
		t.Fatal(err)
	}
	var svg bytes.Buffer
	if err := l.WriteSVG(&svg, DarkTheme); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(svg.String(), "<rect"); n != len(l.Nodes)+1 {
		t.Errorf("%d rects, want one per node and the background", n)
	}
	if !strings.Contains(svg.String(), "<title>encoding/json.(*decodeState).object\nflat 360ms\ncum 7.87s</title>") {
		t.Error("SVG node tooltip missing")
	}
}

// BenchmarkGraph400kStacks is the call graph's target: building and laying
// out the graph of a 400k-stack profile in under 2 seconds.
func BenchmarkGraph400kStacks(b *testing.B) {
	raw := pproftest.Generate(pproftest.Spec{Samples: 400_000, Stacks: 400_000, Funcs: 40_000, MaxDepth: 64, Seed: 3})
	p := model.NewProfile("generated", "", raw)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g, err := model.BuildCallGraph(p, 1, model.DefaultGraphOptions)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := LayoutGraph(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

// The call graph opens where its hot path can be read: at Fit, in a
// laptop's pane, no label of the json profile's 80 nodes is readable; the
// graph opens zoomed until the hot path's smallest label is ReadableFont
// pixels, its first node at the top, in view.
func TestGraphOpensReadable(t *testing.T) {
	l, err := LayoutGraph(context.Background(), jsonGraph(t))
	if err != nil {
		t.Fatal(err)
	}
	hot := HotPath(l.Graph)
	const w, h = 800, 600
	fit, open := FitGraph(l, w, h), OpenGraph(l, hot, w, h)
	if open.Scale <= fit.Scale {
		t.Fatalf("opens at scale %.3f, no closer than fitting all (%.3f)", open.Scale, fit.Scale)
	}
	seen := 0
	for i, n := range l.Nodes {
		if !hot[i] {
			continue
		}
		if px := n.Font * open.Scale; px < ReadableFont-0.01 {
			t.Errorf("hot path node %s: labels of %.1f pixels", l.Graph.Name(i), px)
		}
		x0, y0 := open.ToPixel(n.X-n.W/2, n.Y-n.H/2)
		x1, y1 := open.ToPixel(n.X+n.W/2, n.Y+n.H/2)
		if x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h {
			seen++
		}
	}
	if seen < 2 {
		t.Errorf("%d nodes of the hot path in view, want its top ones", seen)
	}
	// A small graph whose labels read when it fits opens fitted.
	if small := OpenGraph(l, hot, w*20, h*20); small != FitGraph(l, w*20, h*20) {
		t.Errorf("a graph readable whole opens at %+v, not fitted", small)
	}
}
