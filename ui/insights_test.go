package ui

import (
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

// The Insights tab on the built-in sample: the JSON finding first, its
// frames highlighted and focused on from the tab, and the user's code
// set by hand.
func TestInsightsPane(t *testing.T) {
	w := openTest(t, Options{})
	ip := w.side.insights
	if len(ip.findings) == 0 || ip.findings[0].Rule != "encoding" {
		t.Fatalf("findings %+v, want the encoding finding first", ip.findings)
	}
	if !strings.Contains(ip.module.PlaceHolder, "your code: encoding/json") || len(ip.list.Objects) != len(ip.findings) {
		t.Errorf("your code %q, %d cards for %d findings", ip.module.PlaceHolder, len(ip.list.Objects), len(ip.findings))
	}
	// Ctrl+I before the findings are worked out: they are shown when they are.
	w.side.insights.refresh()
	w.side.insights.showFirst()
	if w.status.Text != "Working out the insights…" {
		t.Errorf("Ctrl+I while working: status %q", w.status.Text)
	}
	w.wait()
	// Ctrl+I: the tab, and the largest finding's frames highlighted.
	if w.side.tabs.Selected() != w.side.insightsTab || !strings.HasPrefix(w.status.Text, "Finding 1 of ") {
		t.Errorf("Ctrl+I: tab %q, status %q", w.side.tabs.Selected().Text, w.status.Text)
	}
	// Esc takes the highlight off, and the status line that said so.
	w.graph.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.graph.highlight != nil || strings.Contains(w.status.Text, "Esc clears") {
		t.Errorf("after Esc: highlight %v, status %q", w.graph.highlight != nil, w.status.Text)
	}
	// Highlight: every frame of the functions behind it is marked.
	names := []string{}
	for _, c := range ip.findings[0].Frames {
		names = append(names, c.Name)
	}
	ip.highlight(names)
	g := w.graph
	tr := g.Tree()
	marked := 0
	for f, on := range g.highlight {
		if on {
			marked++
			if !strings.HasPrefix(tr.Funcs[f].Name, "encoding/json.") {
				t.Errorf("highlighted %s", tr.Funcs[f].Name)
			}
		}
	}
	if marked != len(names) {
		t.Errorf("%d functions highlighted, want %d", marked, len(names))
	}
	// Focus: a filter step keeping the stacks through them; the view
	// shrinks to them and the findings follow it.
	before := w.shown.view.Main.Total[0]
	ip.focus(names)
	w.wait()
	steps := w.filters.Steps()
	if len(steps) != 1 || steps[0].Kind != session.StepFilter || !strings.Contains(steps[0].Filter.Focus, `encoding/json\.Unmarshal`) {
		t.Fatalf("steps after Focus: %+v", steps)
	}
	if after := w.shown.view.Main.Total[0]; after >= before || after < ip.findings[0].Value*9/10 {
		t.Errorf("focused view totals %d (was %d); the finding is %d", after, before, ip.findings[0].Value)
	}
	// The user's code by hand: nothing of the sample is it.
	ip.module.SetText("example.com/none")
	ip.module.OnSubmitted(ip.module.Text)
	w.wait()
	if !strings.Contains(ip.module.PlaceHolder, "your code: example.com/none") {
		t.Errorf("your code %q", ip.module.PlaceHolder)
	}
	for _, f := range ip.findings {
		if len(f.Callers) > 0 {
			t.Errorf("%s: your code %v, with none of the profile the user's", f.Rule, f.Callers)
		}
	}
}

// Your code told apart on the built-in sample (encoding/json's benchmarks,
// so encoding/json is the user's): frames coloured by whose code they
// are, with a legend; a runtime frame's tooltip names its nearest caller
// in the user's code; the table keeps the user's functions only.
func TestYourCodeToldApart(t *testing.T) {
	w := openTest(t, Options{})
	g := w.graph
	g.Resize(fyne.NewSize(800, 600))
	tr := g.Tree()
	var mallocgc model.NodeID = -1
	tr.Walk(func(n model.NodeID, depth int) bool {
		if mallocgc < 0 && tr.Name(n) == "runtime.mallocgc" {
			mallocgc = n
		}
		return true
	})
	if mallocgc < 0 {
		t.Fatal("no runtime.mallocgc frame in the sample")
	}
	tip := g.TooltipText(render.Box{Node: mallocgc})
	if !strings.Contains(tip, "the Go runtime; your nearest caller: encoding/json.") {
		t.Errorf("tooltip of runtime.mallocgc:\n%s", tip)
	}

	// Its details list where the user's code calls into it.
	w.side.highlight("runtime.mallocgc")
	w.wait()
	rows := strings.Join(w.side.details.Rows(), "\n")
	if !strings.Contains(rows, "Your nearest callers (") || !strings.Contains(rows[strings.Index(rows, "Your nearest callers"):], "encoding/json.") {
		t.Errorf("details of runtime.mallocgc:\n%s", rows)
	}

	g.SetHighlight(nil)

	// Colour by whose code: the user's frames warm, the runtime's violet.
	w.side.insights.toggleColourByOrigin()
	t.Cleanup(func() { w.app.Preferences().SetBool(colourByOriginKey, false) })
	if !w.panes.legend.Visible() || len(w.panes.legend.Objects) != 4 {
		t.Errorf("legend shown %v with %d swatches", w.panes.legend.Visible(), len(w.panes.legend.Objects))
	}
	drawNow(g)
	dark := g.theme.Dark
	checked := 0
	for _, b := range g.boxes {
		if b.Node == render.Narrow || b.Node == model.Root || b.W < 6 || !image.Pt(int(b.X+b.W/2), int(b.Y)+2).In(g.img.Rect) {
			continue
		}
		checked++
		f := tr.Funcs[tr.Fn[b.Node]]
		want := render.OriginColor(w.side.insights.owner.Origin(&f), model.PackageOf(f.Function), tr.Name(b.Node), dark)
		c := g.img.RGBAAt(int(b.X+b.W/2), int(b.Y)+2) // above the label's letters
		if c.R != want.R || c.G != want.G || c.B != want.B {
			t.Errorf("%s drawn %v, want its origin's colour %v", f.Name, c, want)
			break
		}
	}
	if checked < 10 {
		t.Errorf("only %d frames checked", checked)
	}

	// Yours only: encoding/json's functions, none of the runtime's.
	w.side.table.yours.SetChecked(true)
	if len(w.side.table.rows) == 0 {
		t.Fatal("no rows of the user's code")
	}
	for _, r := range w.side.table.rows {
		if !strings.HasPrefix(r.Name, "encoding/json.") {
			t.Errorf("Yours only lists %s", r.Name)
		}
	}
}

// -module names the user's code for the window from the start.
func TestModuleOption(t *testing.T) {
	w := openTest(t, Options{Module: "example.com/shop"})
	if got := w.side.insights.owner.Modules; len(got) != 1 || got[0] != "example.com/shop" {
		t.Errorf("modules %v, want example.com/shop", got)
	}
	for _, f := range w.side.insights.findings {
		if len(f.Callers) > 0 {
			t.Errorf("%s: your code %v, though none of the sample is example.com/shop", f.Rule, f.Callers)
		}
	}
}

// Colouring by whose code gives way to the differential colours in a
// comparison: its legend is hidden there (the bar's grew/shrank legend is
// what the frames mean), and shown again side by side, where frames are
// coloured by whose code.
func TestOriginLegendFollowsTheColouring(t *testing.T) {
	w := openTest(t, Options{})
	w.side.insights.toggleColourByOrigin()
	t.Cleanup(func() { w.app.Preferences().SetBool(colourByOriginKey, false) })
	if !w.panes.legend.Visible() {
		t.Fatal("no legend for the colours by whose code")
	}
	w.Compare("../testdata/json-gogcoff.cpu.pprof", "../testdata/json-gogc10.cpu.pprof", model.DiffBase, false)
	w.wait()
	if !w.shown.view.Comparing() || w.compare.view.Selected != viewDifferential {
		t.Fatal("the comparison is not shown as a differential graph")
	}
	if w.panes.legend.Visible() {
		t.Error("the legend of whose code is shown over a graph coloured by change")
	}
	w.compare.view.SetSelected(viewSideBySide)
	if !w.panes.legend.Visible() {
		t.Error("side by side, frames are coloured by whose code but the legend is hidden")
	}
	w.compare.view.SetSelected(viewDifferential)
	if w.panes.legend.Visible() {
		t.Error("back to the differential graph, the legend of whose code is still shown")
	}
}

// The Insights tab never asks for more width than the side pane has: its
// texts wrap, with findings or without (an unwrapped line once pushed the
// side pane over most of the graph).
func TestInsightsPaneWraps(t *testing.T) {
	test.NewTempApp(t)
	ip := newInsightsPane()
	for _, comparing := range []bool{false, true} {
		ip.show(nil, model.Owner{}, comparing)
		if w := ip.box.MinSize().Width; w > 200 {
			t.Errorf("no findings (comparing %v): the tab needs %.0f wide", comparing, w)
		}
	}
	w := openTest(t, Options{})
	if got := w.side.insights.box.MinSize().Width; len(w.side.insights.findings) == 0 || got > 200 {
		t.Errorf("%d findings: the tab needs %.0f wide", len(w.side.insights.findings), got)
	}
}
