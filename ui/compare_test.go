package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/render"
)

func openComparison(t *testing.T) *MainWindow {
	t.Helper()
	w := openTest(t, Options{Source: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"})
	if !w.compare.comparing() {
		t.Fatal("not comparing")
	}
	return w
}

func TestDifferentialView(t *testing.T) {
	w := openComparison(t)
	if w.compare.view.Selected != viewDifferential || !w.compare.box.Visible() {
		t.Fatalf("view %q", w.compare.view.Selected)
	}
	if w.graph.Tree() != w.shown.view.CmpNew || w.graph.diff == nil || w.graph.diff.BaseShaped {
		t.Fatal("the graph is not the NEW-shaped differential tree")
	}
	// The tooltip gives base, new, delta and delta %.
	b := boxOf(t, w.graph, "runtime.memmove")
	tip := w.graph.TooltipText(b)
	if !strings.Contains(tip, "self: base ") || !strings.Contains(tip, " → new ") || !strings.Contains(tip, "\ntotal: base ") {
		t.Errorf("tooltip %q", tip)
	}
	// The bar is one row of controls: the graph's settings are in the
	// Options pop-up, not beside it.
	for _, o := range w.compare.box.Objects {
		if o == w.compare.shape || o == w.compare.colourBy || o == w.compare.shares || o == w.compare.palette {
			t.Error("a setting of the differential graph sits in the bar")
		}
	}
	test.Tap(w.compare.options)
	if w.compare.popUp == nil || !w.compare.popUp.Visible() || !w.compare.shape.Visible() {
		t.Fatal("Options did not show the graph's settings")
	}
	if w.compare.shape.Disabled() || w.compare.colourBy.Disabled() {
		t.Error("the differential graph's settings are disabled")
	}
	// Shaped by BASE: the BASE tree, same colours' meaning.
	w.compare.shape.SetSelected(shapeBase)
	if w.graph.Tree() != w.shown.view.CmpBase || !w.graph.diff.BaseShaped {
		t.Error("shape toggle did not shape the graph by BASE")
	}
	w.compare.colourBy.SetSelected(colourTotal)
	w.compare.palette.SetChecked(true)
	if !w.graph.diff.ByTotal || w.graph.diff.Palette != render.ColourBlind {
		t.Errorf("style %+v", w.graph.diff)
	}
	if len(w.compare.legend.Objects) == 0 {
		t.Error("no legend")
	}
	// The pprof view of the same comparison: NEW minus BASE.
	w.compare.view.SetSelected(viewCombined)
	if w.graph.Tree() != w.shown.view.Main {
		t.Error("combined view is not pprof's merged tree")
	}
	// …coloured by change (not by package) and described by both sides:
	// its values are differences, so each frame's NEW and BASE are read
	// in the NEW-shaped tree it shares its nodes with.
	if w.graph.diff == nil || w.graph.diff.Sides != w.shown.view.CmpNew || len(w.compare.legend.Objects) == 0 {
		t.Fatalf("NEW − BASE is not coloured by change: style %+v, legend %d", w.graph.diff, len(w.compare.legend.Objects))
	}
	if w.compare.colourBy.Disabled() || !w.compare.shape.Disabled() {
		t.Error("NEW − BASE: colour by should be offered, shaping by BASE not")
	}
	drawNow(w.graph)
	signs := map[string]bool{}
	for _, b := range w.graph.boxes {
		if b.Node == render.Narrow || b.Node == model.Root {
			continue
		}
		tip := w.graph.TooltipText(b)
		if !strings.Contains(tip, "self: base ") || !strings.Contains(tip, " → new ") {
			t.Fatalf("NEW − BASE tooltip %q: want base and new", tip)
		}
		if n := w.shown.view.CmpNew; n.Self[b.Node] != n.OtherSelf[b.Node] {
			sign := n.Self[b.Node] > n.OtherSelf[b.Node]
			want := map[bool]string{true: "(+", false: "(-"}[sign]
			signs[want] = true
			if !strings.Contains(strings.SplitN(tip, "self: ", 2)[1], want) {
				t.Errorf("NEW − BASE tooltip %q: its self changed %s", tip, want)
			}
		}
	}
	if !signs["(+"] {
		t.Error("NEW − BASE: no frame that grew is drawn")
	}
}

func TestSideBySideSync(t *testing.T) {
	w := openComparison(t)
	w.compare.view.SetSelected(viewSideBySide)
	left, right := w.compare.baseGraph, w.graph
	if left.Tree() != w.shown.view.CmpBase || right.Tree() != w.shown.view.CmpNew {
		t.Fatal("side by side does not show BASE left and NEW right")
	}
	// One scale: the root of the smaller run is narrower.
	scale := w.compare.sharedScale(model.Root)
	if left.scale != scale || right.scale != scale {
		t.Errorf("scales %d and %d, want both %d", left.scale, right.scale, scale)
	}
	w.Window().Resize(fyne.NewSize(1400, 860))
	rootL, rootR := boxOf(t, left, "root"), boxOf(t, right, "root")
	wantRatio := float64(w.shown.view.CmpBase.Total[model.Root]) / float64(w.shown.view.CmpNew.Total[model.Root])
	if got := rootL.W / rootR.W; got < wantRatio-0.02 || got > wantRatio+0.02 {
		t.Errorf("root widths %.0f and %.0f: ratio %.3f, want %.3f", rootL.W, rootR.W, got, wantRatio)
	}
	// Zooming on the left zooms the right to the same call path.
	target := boxOf(t, left, "encoding/json.(*decodeState).object")
	test.TapAt(left, center(target))
	if right.View().Focus != target.Node || right.Selected() != target.Node {
		t.Fatalf("right focus %d selected %d, want %d", right.View().Focus, right.Selected(), target.Node)
	}
	if w.shown.view.CmpNew.Name(right.View().Focus) != "encoding/json.(*decodeState).object" {
		t.Error("the right graph zoomed to another function")
	}
	// And back from the right.
	right.ZoomOut()
	if left.View().Focus != model.Root {
		t.Error("zooming out on the right left the left zoomed")
	}
	// Hover on one outlines the same frame on the other.
	b := boxOf(t, right, "runtime.memmove")
	right.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: center(b)}})
	if left.peer != b.Node {
		t.Errorf("left peer %d, want %d", left.peer, b.Node)
	}
	right.MouseOut()
	if left.peer != -1 {
		t.Error("peer outline stayed after the pointer left")
	}
	// Search highlights both.
	typeSearch(t, w, "memmove")
	if left.highlight == nil || right.highlight == nil {
		t.Error("search did not highlight both sides")
	}
}

func TestDiffTable(t *testing.T) {
	w := openComparison(t)
	dt := w.side.diff
	if w.side.tabs.Selected() != w.side.diffTab {
		t.Error("the diff table is not shown")
	}
	// Every change fits its column whole, however many digits (it was
	// cut to "+254.…" at the default width), each column in one unit.
	checkColumns(t, "diff table", dt.table, len(dt.rows), dt.cell)
	// Regressions first: the largest growth in flat.
	first := dt.rows[0]
	for _, d := range dt.rows[1:] {
		if d.Flat-d.OtherFlat > first.Flat-first.OtherFlat {
			t.Fatalf("%s grew more than the first row %s", d.Name, first.Name)
		}
	}
	dt.sortBy.SetSelected(sortImprovements)
	if dt.rows[0].Name != "runtime.memmove" { // pprof: -1.35s, the largest drop
		t.Errorf("largest improvement %s, want runtime.memmove", dt.rows[0].Name)
	}
	if got := dt.cell(0, 2); got != "-1.35s" {
		t.Errorf("memmove's delta %q, want -1.35s", got)
	}
	dt.filter.SetText("checkValid")
	if len(dt.rows) != 1 || !strings.HasSuffix(dt.cell(0, 3), "%") {
		t.Errorf("filtered rows %v", dt.rows)
	}
	// Shares of total instead of absolute values.
	w.compare.shares.SetChecked(true)
	if got := dt.cell(0, 0); !strings.HasSuffix(got, "%") {
		t.Errorf("shares show %q", got)
	}
	// A click selects the function in the graphs.
	dt.table.Select(widgetCell(0))
	f, _ := w.shown.view.Main.FuncByName("encoding/json.checkValid")
	if w.graph.highlight == nil || !w.graph.highlight[f] {
		t.Error("clicking a diff row did not highlight its function")
	}
}

func TestCompareDifferentSampleTypesKeepsOpenProfile(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	before := w.shown.view.Main
	w.Compare("../testdata/json.mem.pprof", "../testdata/json.cpu.pprof", model.DiffBase, false)
	w.wait()
	if w.shown.view.Main != before || w.compare.comparing() {
		t.Error("a failed comparison replaced the open profile")
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("no error dialog")
	}
}

func widgetCell(row int) widget.TableCellID { return widget.TableCellID{Row: row, Col: 4} }

func TestComparisonHeader(t *testing.T) {
	w := openComparison(t)
	// go tool pprof -top -diff_base: 21.30s of NEW... the totals of each run.
	for _, want := range []string{"NEW: 21.58s", "BASE: 21.3s", "change: +280ms (1.31% of BASE)"} {
		if !strings.Contains(w.header.Text, want) {
			t.Errorf("header %q lacks %q", w.header.Text, want)
		}
	}
}

// File > Copy Comparison Summary puts the report, as Markdown, on the
// clipboard; with one profile open it says a comparison is needed.
func TestCopyComparisonSummary(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.menus.do.copySummary()
	if !strings.Contains(w.status.Text, "open a comparison first") {
		t.Errorf("one profile: status %q", w.status.Text)
	}
	w.Compare("../testdata/json-gogcoff.cpu.pprof", "../testdata/json-gogc10.cpu.pprof", model.DiffBase, false)
	w.wait()
	w.menus.do.copySummary()
	w.wait()
	got := w.app.Clipboard().Content()
	for _, want := range []string{"### Total cpu grew +1.31% (21.3s → 21.58s)", "**Largest regressions**", "**What changed**"} {
		if !strings.Contains(got, want) {
			t.Errorf("clipboard lacks %q:\n%s", want, got)
		}
	}
}

// TestDiffTabOnlyWhileComparing: one profile has no Diff tab (it would be
// empty); a comparison brings it, in front; one profile again takes it away.
func TestDiffTabOnlyWhileComparing(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	tabs := func() (names []string) {
		for _, it := range w.side.tabs.Items {
			names = append(names, it.Text)
		}
		return names
	}
	if got := strings.Join(tabs(), ","); got != "Functions,Insights" {
		t.Errorf("one profile's tabs: %s", got)
	}
	w.Compare("../testdata/json-gogcoff.cpu.pprof", "../testdata/json-gogc10.cpu.pprof", model.DiffBase, false)
	w.wait()
	if got := strings.Join(tabs(), ","); got != "Functions,Diff,Insights" || w.side.tabs.Selected() != w.side.diffTab {
		t.Errorf("a comparison's tabs: %s, %q in front", got, w.side.tabs.Selected().Text)
	}
	w.Open("../testdata/json.cpu.pprof", "")
	w.wait()
	if got := strings.Join(tabs(), ","); got != "Functions,Insights" || w.side.tabs.Selected() != w.side.functionsTab {
		t.Errorf("one profile again: %s, %q in front", got, w.side.tabs.Selected().Text)
	}
}

// TestSwapNewAndBase: a comparison opened the wrong way round (before as
// NEW) is turned round by Swap: NEW and BASE exchange, and the change
// changes sign, as go tool pprof -diff_base with the files exchanged.
func TestSwapNewAndBase(t *testing.T) {
	w := openComparison(t)
	before := w.shown.view.Main.Total[model.Root]
	test.Tap(w.compare.swap)
	w.wait()
	c := w.shown.open.loaded.Comparison()
	if c == nil || !strings.HasSuffix(c.New.Source, "json-gogcoff.cpu.pprof") || !strings.HasSuffix(c.Base.Source, "json-gogc10.cpu.pprof") {
		t.Fatalf("after Swap: %+v", c)
	}
	if !strings.Contains(w.compare.label.Text, "NEW json-gogcoff.cpu.pprof vs BASE json-gogc10.cpu.pprof") {
		t.Errorf("the bar says %q", w.compare.label.Text)
	}
	rep := pproftest.TopReport(t, "../testdata/json-gogcoff.cpu.pprof", "nanoseconds", "-diff_base=../testdata/json-gogc10.cpu.pprof")
	var sum int64
	for _, r := range rep.Rows {
		sum += r.Flat
	}
	if after := w.shown.view.Main.Total[model.Root]; after != -before || after != sum {
		t.Errorf("the change is %d after Swap, %d before; pprof's with the files exchanged %d", after, before, sum)
	}
}

// TestComparePickerSaysWhichSideIsWhich: File > Compare with… asks for
// BASE, and says the profile open is NEW.
func TestComparePickerSaysWhichSideIsWhich(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json-gogc10.cpu.pprof"})
	w.menus.do.compare()
	said := strings.Join(overlayText(w), "\n")
	if !strings.Contains(said, "pick BASE, the run before; the profile open is NEW") {
		t.Errorf("the picker says:\n%s", said)
	}
}
