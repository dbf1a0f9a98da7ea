package ui

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

func openTest(t *testing.T, opts Options) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	w := newMainWindow(a, opts, &uiQueue{})
	t.Cleanup(w.Window().Close)
	w.wait()
	if w.shown.view.Main == nil {
		t.Fatal("no profile shown")
	}
	return w
}

// drawNow runs the graph's raster generator at its widget size, as a
// frame on screen would (scale 1: a pixel per unit).
func drawNow(g *FlameGraph) {
	s := g.Size()
	g.draw(int(s.Width), int(s.Height))
}

// boxOf finds the drawn box of the first frame named name.
func boxOf(t *testing.T, g *FlameGraph, name string) render.Box {
	t.Helper()
	drawNow(g)
	for _, b := range g.boxes {
		if b.Node != render.Narrow && g.tree.Name(b.Node) == name {
			return b
		}
	}
	t.Fatalf("no frame %q drawn", name)
	return render.Box{}
}

func center(b render.Box) fyne.Position {
	return fyne.NewPos(float32(b.X+b.W/2), float32(b.Y+b.H/2))
}

func TestOpensEmbeddedSampleWithoutSource(t *testing.T) {
	w := openTest(t, Options{})
	header := w.header.Text
	for _, want := range []string{"File: sample: encoding/json", "Type: cpu", "Duration: 10.88s", "Total: 21.22s", "Shown: 100.00%"} {
		if !strings.Contains(header, want) {
			t.Errorf("header %q lacks %q", header, want)
		}
	}
	if got := w.side.table.cell(0, 4); got != "runtime.memmove" {
		t.Errorf("first row is %q, want runtime.memmove (pprof's top row)", got)
	}
	if got := w.side.table.cell(0, 0) + " " + w.side.table.cell(0, 1); got != "1.41s 6.64%" {
		t.Errorf("first row flat %q, want 1.41s 6.64%%", got)
	}
	if !strings.Contains(w.Window().Title(), "sample") {
		t.Errorf("title %q does not name the profile", w.Window().Title())
	}
	drawNow(w.graph)
	if len(w.graph.boxes) < 20 {
		t.Errorf("only %d frames drawn", len(w.graph.boxes))
	}
}

func TestTapZoomsAndBackReturns(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	g := w.graph
	target := boxOf(t, g, "encoding/json.(*decodeState).object")
	test.TapAt(g, center(target))
	if g.View().Focus != target.Node {
		t.Fatalf("focus is %s after tapping object", g.tree.Name(g.View().Focus))
	}
	if g.Selected() != target.Node {
		t.Error("tapped frame not selected")
	}
	// The zoomed frame now spans the whole width, its ancestors dimmed above.
	zoomed := boxOf(t, g, "encoding/json.(*decodeState).object")
	if zoomed.W < float64(g.Size().Width)-1 || zoomed.Dim {
		t.Errorf("zoomed frame is %.0f px of %.0f (dim %v)", zoomed.W, g.Size().Width, zoomed.Dim)
	}
	if root := boxOf(t, g, "root"); !root.Dim {
		t.Error("root above the zoomed frame is not dimmed")
	}
	if !strings.Contains(w.header.Text, "Zoomed: encoding/json.(*decodeState).object (") {
		t.Errorf("header %q does not say what is zoomed", w.header.Text)
	}
	// Details list the function's callers and callees.
	w.wait()
	rows := strings.Join(w.side.details.Rows(), "\n")
	if !strings.Contains(rows, "Callers") || !strings.Contains(rows, "encoding/json.(*decodeState).value") {
		t.Errorf("details pane:\n%s", rows)
	}

	g.Back()
	if g.View().Focus != model.Root {
		t.Errorf("Back left focus on %s", g.tree.Name(g.View().Focus))
	}
	g.Forward()
	if g.View().Focus != target.Node {
		t.Error("Forward did not redo the zoom")
	}
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if g.View().Focus != model.Root {
		t.Error("Esc did not zoom out")
	}
	// Tapping the root zooms out too.
	test.TapAt(g, center(target))
	test.TapAt(g, center(boxOf(t, g, "root")))
	if g.View().Focus != model.Root {
		t.Error("tapping the root did not zoom out")
	}
}

func TestHoverTooltip(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	g := w.graph
	b := boxOf(t, g, "encoding/json.structEncoder.encode")
	g.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: center(b)}})
	if !g.tooltip.Visible() {
		t.Fatal("tooltip hidden while hovering a frame")
	}
	text := g.tooltip.Text()
	for _, want := range []string{
		"encoding/json.structEncoder.encode\n",
		"encode.go:",
		"self: ",
		"total: ",
		" of all",
		" of encoding/json.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("tooltip %q lacks %q", text, want)
		}
	}
	g.MouseOut()
	if g.tooltip.Visible() {
		t.Error("tooltip still shown after the pointer left")
	}
}

func TestTooltipValues(t *testing.T) {
	g := NewFlameGraph()
	tr := mustFolded(t, "main;a 30", "main;b 10")
	g.SetTree(tr)
	a := tr.Children(tr.Children(model.Root)[0])[0]
	got := g.TooltipText(render.Box{Node: a})
	want := "a\nself: 30 (75.00% of all)\ntotal: 30 (75.00% of all, 75.00% of main)"
	if got != want {
		t.Errorf("tooltip %q, want %q", got, want)
	}
}

func mustFolded(t *testing.T, lines ...string) *model.Tree {
	t.Helper()
	p, err := model.Parse("test.folded", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := p.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestKeyboardMovesSelection(t *testing.T) {
	g := NewFlameGraph()
	w := test.NewTempWindow(t, g)
	w.Resize(fyne.NewSize(400, 300))
	tr := mustFolded(t, "main;a;x 30", "main;b 10")
	g.SetTree(tr)
	name := func() string { return tr.Name(g.Selected()) }
	key := func(k fyne.KeyName) { g.TypedKey(&fyne.KeyEvent{Name: k}) }
	key(fyne.KeyDown)
	if name() != "main" {
		t.Fatalf("Down from nothing selected %q", name())
	}
	key(fyne.KeyDown)
	key(fyne.KeyRight)
	if name() != "b" {
		t.Errorf("Down, Right selected %q, want b", name())
	}
	key(fyne.KeyLeft)
	key(fyne.KeyDown)
	if name() != "x" {
		t.Errorf("Left, Down selected %q, want x", name())
	}
	key(fyne.KeyUp)
	if name() != "a" {
		t.Errorf("Up selected %q, want a", name())
	}
	key(fyne.KeyReturn)
	if tr.Name(g.View().Focus) != "a" {
		t.Error("Enter did not zoom to the selection")
	}
}

func TestWheelScrollsAndCtrlWheelZooms(t *testing.T) {
	g := NewFlameGraph()
	w := test.NewTempWindow(t, g)
	w.Resize(fyne.NewSize(400, 60))
	lines := []string{}
	stack := "main"
	for i := 0; i < 20; i++ {
		stack += ";f" + string(rune('a'+i))
	}
	lines = append(lines, stack+" 10", "main;z 10")
	g.SetTree(mustFolded(t, lines...))
	g.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 20)}, Scrolled: fyne.NewDelta(0, -30)})
	if g.View().scroll != 30 {
		t.Errorf("wheel down scrolled to %v, want 30", g.View().scroll)
	}
	g.modifiers = func() fyne.KeyModifier { return fyne.KeyModifierControl }
	g.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(300, 20)}, Scrolled: fyne.NewDelta(0, 50)})
	v := g.View()
	if span := v.XEnd - v.XStart; span >= 1 || span <= 0 {
		t.Fatalf("Ctrl+wheel up left the span at %v", span)
	}
	// Zoomed around the pointer: the point under it stays put.
	// The pointer's share of the width (screen space) was its share of
	// the whole tree (tree space) before the zoom.
	at := render.Fraction(300 / float64(g.Size().Width))
	if p := v.XStart + at*(v.XEnd-v.XStart); p < at-1e-4 || p > at+1e-4 {
		t.Errorf("point under the pointer moved to %v", p)
	}
	// Dragging pans within the zoom.
	before := v.XStart
	g.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(40, 0)})
	if g.View().XStart >= before {
		t.Errorf("dragging right did not pan left: %v → %v", before, g.View().XStart)
	}
}

func TestSampleTypeSwitch(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.mem.pprof"})
	if got := w.tools.typeSelect.Selected; got != "alloc_space" {
		t.Fatalf("selected %q, want the default alloc_space", got)
	}
	if len(w.tools.typeSelect.Options) != 4 {
		t.Errorf("options %v, want the profile's four types", w.tools.typeSelect.Options)
	}
	w.tools.typeSelect.SetSelected("inuse_objects")
	w.wait()
	if w.graph.Tree().SampleType.Name != "inuse_objects" {
		t.Errorf("tree is %s after choosing inuse_objects", w.graph.Tree().SampleType.Name)
	}
	if !strings.Contains(w.header.Text, "Type: inuse_objects") {
		t.Errorf("header %q not updated", w.header.Text)
	}
}

func TestTableClickHighlightsFunction(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.side.table.SetFilter("rescanLiteral")
	if got := w.side.table.cell(0, 4); got != "encoding/json.(*decodeState).rescanLiteral" {
		t.Fatalf("filtered first row %q", got)
	}
	if w.side.table.cell(1, 4) != "" {
		t.Errorf("filter left a second row %q", w.side.table.cell(1, 4))
	}
	w.side.table.SelectRow(0)
	f, _ := w.shown.view.Main.FuncByName("encoding/json.(*decodeState).rescanLiteral")
	if w.graph.highlight == nil || !w.graph.highlight[f] {
		t.Fatal("the clicked function is not highlighted in the graph")
	}
	marked := 0
	for _, on := range w.graph.highlight {
		if on {
			marked++
		}
	}
	if marked != 1 {
		t.Errorf("%d functions highlighted, want 1", marked)
	}
	w.side.table.SetSort(SortCum)
	w.side.table.SetFilter("")
	if got := w.side.table.cell(0, 4); got != "testing.(*B).RunParallel.func1" {
		t.Errorf("top row by cum is %q", got)
	}
}

func TestContextMenuViews(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	g := w.graph
	b := boxOf(t, g, "encoding/json.(*decodeState).object")
	items := w.frameMenu(g, b.Node)
	pick := func(label string) {
		for _, it := range items {
			if it.Label == label {
				it.Action()
				w.wait()
				return
			}
		}
		t.Fatalf("menu has no %q", label)
	}
	pick("Focus on function (merge call sites)")
	roots := w.graph.Tree().Children(model.Root)
	if len(roots) != 1 || w.graph.Tree().Name(roots[0]) != "encoding/json.(*decodeState).object" {
		t.Fatalf("focused tree's roots: %v", roots)
	}
	if len(w.filters.steps) != 1 || w.filters.chips.Objects[0].(*widget.Button).Text != "Focus: encoding/json.(*decodeState).object" {
		t.Errorf("steps %v, want one for the focus", w.filters.steps)
	}
	if !strings.Contains(w.header.Text, "Shown: 37.09%") { // pprof: object's cum is 37.09%
		t.Errorf("header %q does not show the focused share", w.header.Text)
	}
	// The chip's × undoes the focus.
	test.Tap(w.filters.chips.Objects[0].(fyne.Tappable))
	w.wait()
	if len(w.filters.steps) != 0 || len(w.filters.chips.Objects) != 0 || !strings.Contains(w.header.Text, "Shown: 100.00%") {
		t.Errorf("removing the chip left %d steps, header %q", len(w.filters.steps), w.header.Text)
	}

	items = w.frameMenu(w.graph, boxOf(t, w.graph, "encoding/json.(*decodeState).object").Node)
	pick("Show callers and callees")
	if w.shown.view.Callers == nil {
		t.Fatal("no callers graph in the sandwich")
	}
	if got := w.shown.view.Callers.Name(w.shown.view.Callers.Children(model.Root)[0]); got != "encoding/json.(*decodeState).object" {
		t.Errorf("callers graph is rooted at %q", got)
	}

	test.Tap(w.filters.chips.Objects[0].(fyne.Tappable))
	w.wait()
	items = w.frameMenu(w.graph, boxOf(t, w.graph, "encoding/json.(*decodeState).object").Node)
	pick("Merge into caller")
	for _, r := range w.shown.view.Table {
		if r.Name == "encoding/json.(*decodeState).object" {
			t.Error("merged function still in the function table")
		}
	}
}

func TestInvertedToggle(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.tools.invertCheck.SetChecked(true)
	w.wait()
	first := w.graph.Tree().Children(model.Root)[0]
	if got := w.graph.Tree().Name(first); got != "runtime.memmove" {
		t.Errorf("inverted tree's largest root is %q, want the top flat function runtime.memmove", got)
	}
	w.tools.flameToggle.SetChecked(true)
	if w.graph.View().Orientation != render.Flame {
		t.Error("root-at-bottom toggle did not flip the graph")
	}
}

func TestBadFileKeepsOpenProfile(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	before := w.shown.view.Main
	bad := filepath.Join(t.TempDir(), "bad.pprof")
	if err := os.WriteFile(bad, []byte("not a profile at all\x00\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.Open(bad, "")
	w.wait()
	if w.shown.view.Main != before || w.graph.Tree() != before {
		t.Error("the open profile was replaced by a failed load")
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("no error dialog shown")
	}
	if w.status.progress.Visible() {
		t.Error("progress bar still shown after the load failed")
	}
	if !strings.Contains(w.Window().Title(), "json.cpu.pprof") {
		t.Errorf("title %q changed", w.Window().Title())
	}
}

func TestRecentFiles(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.Open("../testdata/sort.cpu.pprof", "")
	w.wait()
	recent := recentFiles(w.app)
	if len(recent) != 2 || !strings.HasSuffix(recent[0], "testdata/sort.cpu.pprof") || !filepath.IsAbs(recent[0]) {
		t.Errorf("recent files %v, want sort then json, absolute", recent)
	}
}

func TestExportCurrentView(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.graph.ZoomTo(boxOf(t, w.graph, "encoding/json.(*decodeState).object").Node)
	pic := w.export.picture()
	if pic.View.Focus != w.graph.View().Focus {
		t.Error("export does not keep the zoom")
	}
	var svg strings.Builder
	if err := pic.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg.String(), "<title>encoding/json.(*decodeState).object\n") {
		t.Error("exported SVG lacks the zoomed frame")
	}
}

// File > Export to a .pb.gz writes the view as a pprof profile: the
// filter steps applied, as go tool pprof -proto writes it.
func TestExportViewAsProfile(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.filters.add(session.FilterStep("focus", "Unmarshal"))
	w.wait()
	var buf bytes.Buffer
	if err := w.export.exportTo(&buf, "view.pb.gz", "", w.export.defaultSize()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "view.pb.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got := pproftest.Top(t, path, "nanoseconds")
	want := pproftest.Top(t, "../testdata/json.cpu.pprof", "nanoseconds", "-focus=Unmarshal")
	if len(got) != len(want) {
		t.Fatalf("the exported view has %d functions, pprof -focus %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, pprof -focus %+v", i, got[i], want[i])
		}
	}
}

// File > Export to a .html writes the interactive page of the view: the
// comparison's, with both sides' totals in its data.
func TestExportViewAsPage(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"})
	var buf bytes.Buffer
	if err := w.export.exportTo(&buf, "view.html", "", w.export.defaultSize()); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{`"comparing":true`, `"baseTotal":21300000000`, "<canvas id=\"flame0\">", "window.flamelens"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// The file dialogs open in the shown profile's folder (given relative or
// not); the built-in sample has none.
func TestFileDialogsOpenBesideTheProfile(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	want, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	if l := w.files.location(); l == nil || l.Path() != want {
		t.Errorf("dialogs open in %v, want %s", l, want)
	}
	if l := openTest(t, Options{}).files.location(); l != nil {
		t.Errorf("the sample's dialogs open in %s", l.Path())
	}
}

// While work runs, its progress bar sits right of the status message, so
// "Loading …" stays readable (the bar used to be drawn over it).
func TestStatusBarProgressBesideTheMessage(t *testing.T) {
	w := openTest(t, Options{})
	w.Window().Resize(fyne.NewSize(1200, 800))
	w.status.busy("Loading a profile with a long name…")
	w.Window().Content().Refresh()
	w.Window().Resize(fyne.NewSize(1201, 800)) // lay out again with the bar shown
	d := fyne.CurrentApp().Driver()
	label, bar := d.AbsolutePositionForObject(w.status.hoverLabel), d.AbsolutePositionForObject(w.status.progress)
	if !w.status.progress.Visible() || w.status.progress.Size().Width < 100 {
		t.Fatalf("progress bar shown %v, %.0f wide", w.status.progress.Visible(), w.status.progress.Size().Width)
	}
	if end := label.X + w.status.hoverLabel.Size().Width; bar.X < end {
		t.Errorf("the progress bar starts at %.0f, over the message that ends at %.0f", bar.X, end)
	}
	w.status.idle("done")
}

// TestOpenErrorIsToldToTheCaller: a file asked for that cannot be opened
// is said in a dialog and told to Options.OnOpenError (the command line
// says it on stderr), naming the file.
func TestOpenErrorIsToldToTheCaller(t *testing.T) {
	var told []error
	w := newMainWindow(test.NewTempApp(t), Options{Source: "../testdata/nope.pprof", OnOpenError: func(err error) { told = append(told, err) }}, &uiQueue{})
	t.Cleanup(w.Window().Close)
	w.wait()
	if len(told) != 1 || !strings.Contains(told[0].Error(), "nope.pprof") {
		t.Errorf("told %v, want one error naming nope.pprof", told)
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("no dialog says it in the window")
	}
	// A load asked for later, from the window, is the window's to say.
	w.Open("../testdata/nope.pprof", "")
	w.wait()
	if len(told) != 1 {
		t.Errorf("a later load was told to the command line too: %v", told)
	}
}

// File > Export asks what to write and at what size: a PNG at 2× for a
// HiDPI screen is twice the pixels of the size asked for; a comparison's
// picture is titled with both runs and has the legend of its colours.
func TestExportAsksForSizeAndScale(t *testing.T) {
	w := openComparison(t)
	w.export.showDialog()
	f := w.export.form
	if f == nil || f.what.Selected != "Picture (SVG)" || f.scale.Disabled() == false {
		t.Fatalf("the dialog does not start on an SVG picture (scale for PNG only): %+v", f)
	}
	f.what.SetSelected("Picture (PNG)")
	if f.scale.Disabled() || f.width.Disabled() {
		t.Error("a PNG's width and scale cannot be set")
	}
	f.width.SetText("1600")
	f.height.SetText("700")
	f.scale.SetSelectedIndex(1)
	size, err := f.size()
	if err != nil || size != (exportSize{Width: 1600, Height: 700, Scale: 2}) {
		t.Fatalf("size %+v, %v", size, err)
	}
	var buf bytes.Buffer
	if err := w.export.exportTo(&buf, "diff.png", "png", size); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 3200 || b.Dy() != 1400 {
		t.Errorf("a 1600×700 PNG at 2× is %d×%d pixels, want 3200×1400", b.Dx(), b.Dy())
	}
	buf.Reset()
	if err := w.export.exportTo(&buf, "diff.svg", "svg", size); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, want := range []string{`width="1600" height="700"`, "json-gogc10.cpu.pprof vs ../testdata/json-gogcoff.cpu.pprof", `class="legend"`, ">grew<", ">shrank<", ">within 0.1%<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the comparison's SVG lacks %q", want)
		}
	}
	for _, bad := range []string{"0", "15", "x", "100001"} {
		f.width.SetText(bad)
		if _, err := f.size(); err == nil {
			t.Errorf("width %q taken", bad)
		}
	}
	f.what.SetSelected("pprof profile (.pb.gz)")
	if !f.width.Disabled() || !f.scale.Disabled() {
		t.Error("a profile is asked for a picture's size")
	}
}
