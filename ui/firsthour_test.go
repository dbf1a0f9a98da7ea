package ui

import (
	"image/color"
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
)

// laptop is 1280×800 pixels at 150% scaling, in Fyne units.
var laptop = fyne.NewSize(1280/1.5, 800/1.5)

func TestTypingRightAfterOpeningStartsASearch(t *testing.T) {
	// Nothing is focused when the window opens: typing still searches.
	w := openTest(t, Options{})
	c := w.Window().Canvas()
	if c.Focused() != nil {
		t.Fatalf("%T focused at start", c.Focused())
	}
	test.TypeOnCanvas(c, "literalst")
	w.wait()
	if w.searchBar.entry.Text != "literalst" || c.Focused() != w.searchBar.entry {
		t.Fatalf("search field %q, focused %T", w.searchBar.entry.Text, c.Focused())
	}
	if got := highlighted(w); len(got) != 1 || got[0] != "encoding/json.(*decodeState).literalStore" {
		t.Errorf("highlighted %v", got)
	}
}

// onScreen is the drawn box of frame n, failing unless it lies inside the
// graph's height with room for a callee row below it.
func onScreen(t *testing.T, g *FlameGraph, n model.NodeID) render.Box {
	t.Helper()
	drawNow(g)
	h := float64(g.Size().Height)
	for _, b := range g.boxes {
		if b.Node == n {
			if b.Y < 0 || b.Y+2*b.H > h {
				t.Fatalf("frame %s drawn at y %.0f..%.0f of a %.0f-tall graph", g.tree.Name(n), b.Y, b.Y+b.H, h)
			}
			return b
		}
	}
	t.Fatalf("frame %s is not drawn (scroll %.0f)", g.tree.Name(n), g.View().scroll)
	return render.Box{}
}

func TestJumpsLandOnScreen(t *testing.T) {
	// The built-in sample recurses 40 levels deep: literalStore's frames
	// are far below the first rows.
	for _, size := range []fyne.Size{laptop, fyne.NewSize(1400, 860)} {
		w := openTest(t, Options{})
		w.Window().Resize(size)
		g := w.graph
		typeSearch(t, w, "literalstore")
		deepest := model.NodeID(0)
		for _, n := range w.searchBar.matches.Nodes {
			if g.tree.Depth[n] > g.tree.Depth[deepest] {
				deepest = n
			}
		}
		if g.tree.Depth[deepest] < 30 {
			t.Fatalf("deepest match at depth %d; the test needs a deep one", g.tree.Depth[deepest])
		}
		// Enter, stepping through every match.
		for range w.searchBar.matches.Nodes {
			w.searchBar.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			b := onScreen(t, g, g.View().Focus)
			if b.Dim || b.W < float64(g.Size().Width)-1 {
				t.Fatalf("the frame jumped to is %.0f wide, dim %v", b.W, b.Dim)
			}
			if w.searchBar.jumpBox.Visible() {
				t.Fatal("the jump list still covers the graph")
			}
		}
		// Its callers stay reachable: scrolling up shows the root again.
		g.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(50, 50)}, Scrolled: fyne.NewDelta(0, 100000)})
		drawNow(g)
		if g.View().scroll != 0 || g.boxes[0].Node != model.Root {
			t.Errorf("scrolled back to %.0f, first box %d", g.View().scroll, g.boxes[0].Node)
		}
		// The jump list, and a table row (which reveals without zooming).
		typeSearch(t, w, "json literalstore")
		w.searchBar.jumpTo(0)
		onScreen(t, g, g.View().Focus)
		g.ZoomOut()
		w.side.table.SetFilter("literalStore")
		w.side.table.SelectRow(0)
		if g.Selected() <= 0 || g.View().Focus != model.Root {
			t.Fatalf("table row: selected %d, focus %d", g.Selected(), g.View().Focus)
		}
		onScreen(t, g, g.Selected())
		// Root at bottom too.
		w.tools.flameToggle.SetChecked(true)
		typeSearch(t, w, "literalstore")
		w.searchBar.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		onScreen(t, g, g.View().Focus)
	}
}

func TestMatchesStandOut(t *testing.T) {
	w := openTest(t, Options{})
	g := w.graph
	typeSearch(t, w, "literalstore")
	s := g.Size()
	img := g.draw(int(s.Width), int(s.Height))
	// Every match drawn is filled with the match colour, which no package
	// colour is.
	drawn := 0
	for _, b := range g.boxes {
		if b.Node == render.Narrow || b.Node == model.Root || b.W < 3 || !g.highlight[g.tree.Fn[b.Node]] {
			continue
		}
		drawn++
		x, y := int(b.X+1), int(b.Y+b.H-2)
		if got := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA); got != g.theme.Match {
			t.Fatalf("match at %d,%d drawn %v, want %v", x, y, got, g.theme.Match)
		}
	}
	if drawn == 0 {
		t.Fatal("no match drawn")
	}
	// The overview strip on the right edge marks the rows of matches,
	// most of which are below the visible rows.
	right := int(s.Width) - 2
	marks := 0
	for y := 0; y < int(s.Height); y++ {
		if color.NRGBAModel.Convert(img.At(right, y)).(color.NRGBA) == g.theme.Match {
			marks++
		}
	}
	if marks == 0 {
		t.Error("no match marked on the overview strip")
	}
	lastRow := int(s.Height) / rowHeight
	below := 0
	for _, n := range w.searchBar.matches.Nodes {
		if int(g.tree.Depth[n]) > lastRow {
			below++
		}
	}
	if below == 0 {
		t.Fatal("every match is on screen; the test needs some below")
	}
	// Without a search there is no strip.
	typeSearch(t, w, "")
	img = g.draw(int(s.Width), int(s.Height))
	for y := 0; y < int(s.Height); y++ {
		if color.NRGBAModel.Convert(img.At(right, y)).(color.NRGBA) == g.theme.Match {
			t.Fatal("match colour drawn with no search")
		}
	}
}

func TestFitsALaptopScreen(t *testing.T) {
	for _, opts := range []Options{{}, {Source: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"}} {
		w := openTest(t, opts)
		c := w.Window().Canvas()
		if min := c.Content().MinSize(); min.Width > laptop.Width || min.Height > laptop.Height {
			t.Fatalf("%+v: the window needs at least %v, more than a laptop's %v", opts, min, laptop)
		}
		w.Window().Resize(laptop)
		size := c.Size()
		graphH := w.graph.Size().Height
		if graphH < 0.55*size.Height {
			t.Errorf("%+v: the graph has %.0f of %.0f units of height", opts, graphH, size.Height)
		}
		// The header is one line, its whole text on hover.
		line := fyne.MeasureText("Type", 14, fyne.TextStyle{}).Height + 2*8 + 1
		if h := w.header.Size().Height; h > line {
			t.Errorf("header %.0f units tall, more than a line", h)
		}
		if !w.header.cut() {
			t.Fatalf("header %q fits at laptop width: test needs a longer one", w.header.Text)
		}
		w.header.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(20, 20)}})
		if !w.tips.box.Visible() || w.tips.label.Text != w.header.Text {
			t.Errorf("hovering the header shows %q", w.tips.label.Text)
		}
		w.header.MouseOut()
		if w.tips.box.Visible() {
			t.Error("tooltip left open")
		}
	}
}

func TestSidePaneCollapsesAndIsRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	w := newMainWindow(a, Options{}, &uiQueue{})
	w.wait()
	w.Window().Resize(laptop)
	before := w.graph.Size().Width
	test.Tap(w.tools.sideShow)
	if w.side.box.Visible() {
		t.Fatal("side pane still shown")
	}
	w.Window().Content().Refresh()
	if after := w.graph.Size().Width; after < laptop.Width-20 || after <= before {
		t.Errorf("graph %.0f wide with the side pane hidden (was %.0f)", after, before)
	}
	w.Window().Close()
	// A new window of the same app starts with it hidden.
	w2 := newMainWindow(a, Options{}, &uiQueue{})
	defer w2.Window().Close()
	w2.wait()
	if w2.side.box.Visible() {
		t.Error("the choice was not remembered")
	}
	test.Tap(w2.tools.sideShow)
	if !w2.side.box.Visible() || a.Preferences().Bool(sideHiddenKey) {
		t.Error("showing it again was not remembered")
	}
}

func TestTableNamesAreReadable(t *testing.T) {
	w := openTest(t, Options{})
	w.Window().Resize(fyne.NewSize(1400, 860))
	tt := w.side.table.table
	// The name column comes first and takes what the numbers leave.
	if tt.columns[tt.order[0]] != "name" {
		t.Fatalf("first column %q", tt.columns[tt.order[0]])
	}
	nameW := tt.Table.Size().Width
	for _, w := range tt.widths[1:] {
		nameW -= w
	}
	for i, cw := range tt.widths[1:] {
		if cw >= nameW/2 {
			t.Errorf("column %q is %.0f wide, the name column %.0f", tt.columns[tt.order[i+1]], cw, nameW)
		}
	}
	if nameW < fyne.MeasureText("encoding/json.(*decodeState).object", 14, fyne.TextStyle{}).Width+16 {
		t.Errorf("name column %.0f wide: encoding/json.(*decodeState).object does not fit", nameW)
	}
	// A name cut short shows whole on hover.
	long := newHoverLabel(strings.Repeat("encoding/json.(*decodeState).", 4)+"object", tt.tips)
	long.Resize(fyne.NewSize(120, 30))
	long.MouseIn(&desktop.MouseEvent{})
	if !tt.tips.box.Visible() || tt.tips.label.Text != long.Text {
		t.Errorf("hover shows %q", tt.tips.label.Text)
	}
	long.MouseOut()
	short := newHoverLabel("main", tt.tips)
	short.Resize(fyne.NewSize(120, 30))
	short.MouseIn(&desktop.MouseEvent{})
	if tt.tips.box.Visible() {
		t.Error("a name that fits got a tooltip")
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := t.TempDir() + "/" + name
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFilesFromOtherTools(t *testing.T) {
	// Two counts per line (difffolded.pl) open as a comparison.
	w := openTest(t, Options{Source: writeFile(t, "diff.folded", "main;decode 100 40\nmain;encode 50 80\nmain;gc 0 30\n")})
	if !w.compare.comparing() || !w.compare.box.Visible() {
		t.Fatal("a two-count file is not shown as a comparison")
	}
	if !strings.Contains(w.header.Text, "NEW: 150") || !strings.Contains(w.header.Text, "BASE: 150") {
		t.Errorf("header %q", w.header.Text)
	}
	// Lines that are not stacks are said in the status bar, whole on hover.
	w = openTest(t, Options{Source: writeFile(t, "log.folded", "Started at 12:00\nmain;a\tb 5\nmain;c\x1bd 3\n")})
	if got := w.status.Text; !strings.Contains(got, "warning: ") || !strings.Contains(got, "skipped 1 line that is not a folded stack (the first, line 1:") {
		t.Errorf("status %q", got)
	}
	// Names with control characters are shown legibly: table, tooltip.
	var names []string
	for row := 0; w.side.table.cell(row, 4) != ""; row++ {
		names = append(names, w.side.table.cell(row, 4))
	}
	if !slices.Contains(names, `a\tb`) || !slices.Contains(names, `c\x1bd`) {
		t.Errorf("table names %q", names)
	}
	b := boxOf(t, w.graph, "a\tb")
	if tip := w.graph.TooltipText(b); !strings.HasPrefix(tip, `a\tb`+"\n") {
		t.Errorf("tooltip %q", tip)
	}
}

func TestTooltipGivesFullNameAndInlining(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	g := w.graph
	// pprof shortens Go generic instantiations; the tooltip has both.
	f, ok := g.tree.FuncByName("encoding/json.typeEncoder.OnceValue[go.shape.func].func3")
	if !ok {
		t.Fatal("no shortened generic name")
	}
	n := g.tree.LargestFrame(f)
	g.ZoomTo(n)
	tip := g.TooltipText(onScreen(t, g, n))
	if !strings.Contains(tip, "OnceValue[go.shape.func(*encoding/json.encodeState, reflect.Value, encoding/json.encOpts)].func3") {
		t.Errorf("tooltip lacks the full name:\n%s", tip)
	}
	// An inlined frame says so, and is marked in the graph.
	var inl model.NodeID = -1
	for n := model.NodeID(1); int(n) < g.tree.Len(); n++ {
		if g.tree.Inlined(n) && g.tree.Total[n] > g.tree.AbsTotal/50 {
			inl = n
			break
		}
	}
	if inl < 0 {
		t.Fatal("no large inlined frame")
	}
	g.ZoomTo(inl)
	g.Select(-1) // the selection's outline would cover the edge
	b := onScreen(t, g, inl)
	if tip := g.TooltipText(b); !strings.Contains(tip, "\ninlined into its caller") {
		t.Errorf("tooltip of inlined %s:\n%s", g.tree.Name(inl), tip)
	}
	s := g.Size()
	img := g.draw(int(s.Width), int(s.Height))
	edge := color.NRGBAModel.Convert(img.At(int(b.X)+1, int(b.Y)+1)).(color.NRGBA)
	inside := color.NRGBAModel.Convert(img.At(int(b.X)+10, int(b.Y)+1)).(color.NRGBA)
	if edge == inside {
		t.Errorf("inlined frame's left edge %v is not marked (inside %v)", edge, inside)
	}
}
