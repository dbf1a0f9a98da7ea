package ui

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

// graphNodeCenter draws the graph view and returns where a node's centre
// is, in Fyne units.
func graphNodeCenter(t *testing.T, v *CallGraphView, name string) fyne.Position {
	t.Helper()
	s := v.Size()
	v.draw(int(s.Width), int(s.Height))
	for i := range v.layout.Graph.Nodes {
		if v.layout.Graph.Name(i) == name {
			n := v.layout.Nodes[i]
			x, y := v.view.ToPixel(n.X, n.Y)
			return fyne.NewPos(float32(x), float32(y))
		}
	}
	t.Fatalf("no node %s", name)
	return fyne.Position{}
}

func TestCallGraphView(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof", View: "graph"})
	gp := w.graphPane
	if gp.view.Layout() == nil || len(gp.view.Layout().Graph.Nodes) != 80 {
		t.Fatalf("call graph not shown (layout %v)", gp.view.Layout() != nil)
	}
	if !strings.Contains(gp.info.Text, "80 nodes (") {
		t.Errorf("info %q", gp.info.Text)
	}
	const name = "encoding/json.(*decodeState).object"
	pos := graphNodeCenter(t, gp.view, name)

	// Hover: the node's values.
	gp.view.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}})
	tip := gp.view.tooltip.Text()
	if !strings.HasPrefix(tip, name+"\n") || !strings.Contains(tip, "flat: 360ms (1.70%)") || !strings.Contains(tip, "cum: 7.87s (37.09%)") {
		t.Errorf("tooltip %q", tip)
	}

	// Click: the flame graph zooms to the function's largest frame.
	test.TapAt(gp.view, pos)
	w.wait()
	if gp.view.selected < 0 || gp.view.layout.Graph.Name(gp.view.selected) != name {
		t.Error("the clicked node is not selected")
	}
	if focus := w.graph.View().Focus; w.graph.Tree().Name(focus) != name {
		t.Errorf("the flame graph zoomed to %s", w.graph.Tree().Name(focus))
	}

	// Callers and callees only, then back to the whole graph.
	for _, it := range w.graphPane.menu(name) {
		if it.Label == "Show callers and callees only" {
			it.Action()
		}
	}
	w.wait()
	if n := len(gp.view.Layout().Graph.Nodes); n >= 80 || n < 2 || !gp.whole.Visible() {
		t.Errorf("neighbourhood has %d nodes", n)
	}
	test.Tap(gp.whole)
	w.wait()
	if len(gp.view.Layout().Graph.Nodes) != 80 {
		t.Error("Whole graph did not bring back the full graph")
	}

	// Fewer nodes.
	gp.nodeCount.SetText("20")
	gp.nodeCount.OnSubmitted("20")
	w.wait()
	if len(gp.view.Layout().Graph.Nodes) != 20 {
		t.Errorf("%d nodes after asking for 20", len(gp.view.Layout().Graph.Nodes))
	}

	// Ctrl+wheel zooms in around the pointer; dragging pans.
	before := gp.view.view
	gp.view.modifiers = func() fyne.KeyModifier { return fyne.KeyModifierControl }
	gp.view.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 100)}, Scrolled: fyne.NewDelta(0, 30)})
	if gp.view.view.Scale <= before.Scale {
		t.Error("Ctrl+wheel did not zoom in")
	}
	off := gp.view.view.OffX
	gp.view.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(50, 0)})
	if gp.view.view.OffX >= off {
		t.Error("dragging right did not pan")
	}

	// A filter from the graph's menu applies to both views.
	for _, it := range w.graphPane.menu("runtime.memmove") {
		if it.Label == "Drop stacks through it (-ignore)" {
			it.Action()
		}
	}
	w.wait()
	for i := range gp.view.Layout().Graph.Nodes {
		if gp.view.Layout().Graph.Name(i) == "runtime.memmove" {
			t.Error("runtime.memmove still in the graph after -ignore")
		}
	}
}

func TestCallGraphOfComparison(t *testing.T) {
	w := openComparison(t)
	w.tools.viewSwitch.SetSelected(viewGraph)
	w.wait()
	gp := w.graphPane
	if gp.view.Layout() == nil || gp.view.diff == nil {
		t.Fatal("no difference-coloured call graph for the comparison")
	}
	// NEW minus BASE: runtime.memmove shrank by 1.35s (pprof -diff_base).
	for i, n := range gp.view.Layout().Graph.Nodes {
		if gp.view.Layout().Graph.Name(i) == "runtime.memmove" && n.Flat != -1350000000 {
			t.Errorf("memmove flat %d, want -1.35s", n.Flat)
		}
	}
}

// TestCallGraphSaysWhenTheProfileCouldNotBeReadInFull: a profile shown
// only by its streamed flame graph (its whole read failed) gets a call
// graph request answered with why there is none, not silence.
func TestCallGraphSaysWhenTheProfileCouldNotBeReadInFull(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.shown.open.loaded, w.shown.open.whole = session.Loaded{}, nil // as after a failed whole read
	w.graphPane.build()
	w.wait()
	said := strings.Join(overlayText(w), " ")
	if !strings.Contains(said, "could not be read in full") {
		t.Errorf("the window said %q", said)
	}
}

// TestCallGraphKeepsTheWindowOnALaptop: on a 1280×800 screen at 150% (853
// units wide), what the window needs at least stays within the screen with
// the call graph shown, a comparison's too: the window never grows past it.
func TestCallGraphKeepsTheWindowOnALaptop(t *testing.T) {
	const laptop = 1280 / 1.5
	for _, opts := range []Options{
		{Source: "../testdata/json.cpu.pprof"},
		{Source: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"},
	} {
		w := openTest(t, opts)
		for _, side := range []string{"shown", "hidden"} {
			if side == "hidden" {
				w.layout.toggleSide()
			}
			for _, view := range []string{viewGraph, viewFlame} {
				w.tools.viewSwitch.SetSelected(view)
				w.wait()
				if got := w.Window().Content().MinSize().Width; got > laptop {
					t.Errorf("%s, %s, side pane %s: the window needs %.0f units, the laptop has %.0f", opts.Source, view, side, got, laptop)
				}
			}
		}
	}
}

// The call graph opens where its hot path's labels can be read (at Fit,
// none of the json profile's 80 nodes' labels could be), its top in view;
// Fit shows the whole graph.
func TestCallGraphOpensReadable(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof", View: "graph"})
	v := w.graphPane.view
	s := v.Size()
	v.draw(int(s.Width), int(s.Height))
	inView := 0
	for i, n := range v.layout.Nodes {
		if !v.hot[i] {
			continue
		}
		if px := n.Font * v.pixelView().Scale; px < render.ReadableFont-0.01 {
			t.Errorf("hot path node %s: labels of %.1f pixels", v.layout.Graph.Name(i), px)
		}
		x, y := v.view.ToPixel(n.X, n.Y)
		if x >= 0 && y >= 0 && x <= float64(s.Width) && y <= float64(s.Height) {
			inView++
		}
	}
	if inView < 2 {
		t.Errorf("%d nodes of the hot path in view", inView)
	}
	v.Fit()
	v.draw(int(s.Width), int(s.Height))
	if fit := render.FitGraph(v.layout, int(s.Width), int(s.Height)); math.Abs(v.pixelView().Scale-fit.Scale) > 1e-9 {
		t.Errorf("Fit: scale %.3f, want the whole graph's %.3f", v.view.Scale, fit.Scale)
	}
}
