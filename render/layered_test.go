package render

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/flamelens/flamelens/model"
)

// box is a node's box: left, top, right, bottom.
func box(n NodePlace) [4]float64 {
	return [4]float64{n.X - n.W/2, n.Y - n.H/2, n.X + n.W/2, n.Y + n.H/2}
}

// onBorder reports whether p lies on b's border, within tol points.
func onBorder(p [2]float64, b [4]float64, tol float64) bool {
	inX := p[0] >= b[0]-tol && p[0] <= b[2]+tol
	inY := p[1] >= b[1]-tol && p[1] <= b[3]+tol
	return inX && (math.Abs(p[1]-b[1]) <= tol || math.Abs(p[1]-b[3]) <= tol) ||
		inY && (math.Abs(p[0]-b[0]) <= tol || math.Abs(p[0]-b[2]) <= tol)
}

// checkLayout holds what every layout must: boxes inside the drawing and
// apart, each edge from its source's border to its target's, downward
// unless it closes a cycle, labels clear of every box.
func checkLayout(t *testing.T, l *GraphLayout) {
	t.Helper()
	g := l.Graph
	for i, n := range l.Nodes {
		b := box(n)
		if b[0] < 0 || b[1] < 0 || b[2] > l.Width || b[3] > l.Height {
			t.Errorf("node %s %v is outside the %vx%v drawing", g.Name(i), b, l.Width, l.Height)
		}
		for j := i + 1; j < len(l.Nodes); j++ {
			c := box(l.Nodes[j])
			if b[0] < c[2]-0.5 && c[0] < b[2]-0.5 && b[1] < c[3]-0.5 && c[1] < b[3]-0.5 {
				t.Errorf("nodes %s and %s overlap", g.Name(i), g.Name(j))
			}
		}
	}
	for i, e := range g.Edges {
		p := l.Edges[i]
		if len(p.Points) < 4 || (len(p.Points)-1)%3 != 0 {
			t.Fatalf("edge %d has %d control points", i, len(p.Points))
		}
		first, last := p.Points[0], p.Points[len(p.Points)-1]
		if !onBorder(first, box(l.Nodes[e.Src]), 0.5) || !onBorder(last, box(l.Nodes[e.Dst]), 0.5) {
			t.Errorf("edge %s -> %s runs from %v to %v, not from border to border", g.Name(e.Src), g.Name(e.Dst), first, last)
		}
		if !p.HasLabel {
			t.Errorf("edge %s -> %s has no label", g.Name(e.Src), g.Name(e.Dst))
			continue
		}
		w := float64(measurers.at(edgeLabelFont).TextWidth(GraphEdgeLabel(g, e)))
		h := float64(measurers.at(edgeLabelFont).LineHeight())
		lb := [4]float64{p.LabelX - w/2, p.LabelY - h/2, p.LabelX + w/2, p.LabelY + h/2}
		for j, n := range l.Nodes {
			c := box(n)
			if lb[0] < c[2] && c[0] < lb[2] && lb[1] < c[3] && c[1] < lb[3] {
				t.Errorf("the label of %s -> %s covers node %s", g.Name(e.Src), g.Name(e.Dst), g.Name(j))
			}
		}
	}
}

func TestLayeredLayoutOfARealProfile(t *testing.T) {
	g := jsonGraph(t)
	l, err := LayoutGraph(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, l)
	// Calls point down: the caller above the callee, but for the calls
	// that close a cycle (recursion through other functions).
	down := 0
	for _, e := range g.Edges {
		if l.Nodes[e.Dst].Y > l.Nodes[e.Src].Y {
			down++
		}
	}
	if down < len(g.Edges)*9/10 {
		t.Errorf("%d of %d edges point down", down, len(g.Edges))
	}
	// The same graph, the same picture.
	again, _ := LayoutGraph(context.Background(), g)
	if !reflect.DeepEqual(l, again) {
		t.Error("two layouts of one graph differ")
	}
}

func TestLayeredLayoutOfCyclesAndRecursion(t *testing.T) {
	// main → a → b → a (a cycle), b → b (direct recursion), main → c.
	g := &model.CallGraph{SampleType: model.SampleType{Name: "cpu", Unit: "nanoseconds"}, Total: 100}
	for i, name := range []string{"main.main", "main.a", "main.b", "main.c"} {
		cum := []int64{100, 80, 60, 20}[i]
		g.Funcs = append(g.Funcs, model.Func{Name: name})
		g.Nodes = append(g.Nodes, model.GraphNode{Func: model.FuncID(i), Flat: cum / 4, Cum: cum})
	}
	for _, e := range [][3]int64{{0, 1, 80}, {1, 2, 60}, {2, 1, 30}, {2, 2, 20}, {0, 3, 20}} {
		i := len(g.Edges)
		g.Edges = append(g.Edges, model.GraphEdge{Src: int(e[0]), Dst: int(e[1]), Weight: e[2]})
		g.Nodes[e[0]].Out = append(g.Nodes[e[0]].Out, i)
		g.Nodes[e[1]].In = append(g.Nodes[e[1]].In, i)
	}
	l, err := LayoutGraph(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, l)
	self := l.Edges[3]
	if right := l.Nodes[2].X + l.Nodes[2].W/2; self.Points[1][0] <= right || self.LabelX <= right {
		t.Errorf("b's call of itself does not loop out on its right: %v, label at %v", self.Points, self.LabelX)
	}
	if l.Nodes[0].Y >= l.Nodes[1].Y || l.Nodes[1].Y >= l.Nodes[2].Y {
		t.Error("main, a and b are not ranked top down")
	}
}

// BenchmarkLayoutGraph lays out the json profile's call graph (80 nodes,
// its default size), with nothing made before the first call.
func BenchmarkLayoutGraph(b *testing.B) {
	g := jsonGraph(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LayoutGraph(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}
