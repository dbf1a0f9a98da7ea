package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

func typeSearch(t *testing.T, w *MainWindow, text string) {
	t.Helper()
	w.searchBar.entry.SetText(text)
	w.wait()
}

func highlighted(w *MainWindow) []string {
	var names []string
	for f, on := range w.graph.highlight {
		if on {
			names = append(names, w.shown.view.Main.Funcs[f].Name)
		}
	}
	return names
}

func TestSearchHighlightsAndCounts(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	typeSearch(t, w, "rescanliteral")
	if got := highlighted(w); len(got) != 1 || got[0] != "encoding/json.(*decodeState).rescanLiteral" {
		t.Fatalf("highlighted %v", got)
	}
	// pprof: rescanLiteral's cum is 1.25s of 21.22s = 5.89%.
	if got := w.searchBar.status.Text; !strings.HasSuffix(got, "matches · 5.89% of total") {
		t.Errorf("status %q", got)
	}
	// Nested matches count once: everything under Unmarshal is decodeState.
	typeSearch(t, w, "decodeState")
	if got := w.searchBar.status.Text; !strings.Contains(got, "· 37.09% of total") { // (*decodeState).unmarshal's cum
		t.Errorf("status %q, want the share of stacks holding a decodeState frame, counted once", got)
	}

	// Regular expressions, and a bad one that leaves the highlight alone.
	w.searchBar.regex.SetChecked(true)
	typeSearch(t, w, `^encoding/json\.check`)
	if got := highlighted(w); len(got) != 1 || got[0] != "encoding/json.checkValid" {
		t.Errorf("regexp highlighted %v", got)
	}
	typeSearch(t, w, `check(`)
	if got := w.searchBar.status.Text; !strings.Contains(got, "bad regular expression") || !strings.Contains(got, "missing closing )") {
		t.Errorf("bad regexp status %q", got)
	}
	if got := highlighted(w); len(got) != 1 || got[0] != "encoding/json.checkValid" {
		t.Errorf("a bad regexp changed the highlight to %v", got)
	}

	// Escape in the field clears the search.
	w.searchBar.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	w.wait()
	if w.graph.highlight != nil || w.searchBar.entry.Text != "" {
		t.Error("Escape did not clear the search")
	}
}

func TestEnterStepsThroughMatches(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	typeSearch(t, w, "literalStore")
	n := len(w.searchBar.matches.Nodes)
	if n < 2 {
		t.Fatalf("%d matching frames; the test needs several", n)
	}
	enter := &fyne.KeyEvent{Name: fyne.KeyReturn}
	// The first Enter goes to the jump list's top row: literalStore's
	// largest frame, one of the matches; the next ones step from there.
	w.searchBar.entry.TypedKey(enter)
	first := w.graph.View().Focus
	if w.shown.view.Main.Name(first) != "encoding/json.(*decodeState).literalStore" {
		t.Fatalf("Enter zoomed to %s", w.shown.view.Main.Name(first))
	}
	k := w.searchBar.step
	if k < 0 || !strings.HasPrefix(w.searchBar.status.Text, strconv.Itoa(k+1)+"/") {
		t.Fatalf("status %q after the jump, step %d", w.searchBar.status.Text, k)
	}
	w.searchBar.entry.TypedKey(enter)
	if w.graph.View().Focus == first || !strings.HasPrefix(w.searchBar.status.Text, strconv.Itoa((k+1)%n+1)+"/") {
		t.Errorf("second Enter did not move to the next match: %q", w.searchBar.status.Text)
	}
	w.modifiers = func() fyne.KeyModifier { return fyne.KeyModifierShift }
	w.searchBar.entry.TypedKey(enter)
	if w.graph.View().Focus != first {
		t.Error("Shift+Enter did not go back to the match jumped to")
	}
	for range k {
		w.searchBar.entry.TypedKey(enter)
	}
	if !strings.HasPrefix(w.searchBar.status.Text, "1/") {
		t.Fatalf("Shift+Enter back to the first match: %q", w.searchBar.status.Text)
	}
	w.searchBar.entry.TypedKey(enter)
	if !strings.HasPrefix(w.searchBar.status.Text, strconv.Itoa(n)+"/") {
		t.Errorf("Shift+Enter from the first match went to %q, want the last", w.searchBar.status.Text)
	}
}

func TestJumpList(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	typeSearch(t, w, "decstateobj")
	sb := w.searchBar
	if len(sb.jumps) == 0 || sb.jumps[0].Name != "encoding/json.(*decodeState).object" {
		t.Fatalf("jump list %v", sb.jumps)
	}
	if !sb.jumpBox.Visible() {
		t.Error("jump list hidden")
	}
	// The row shows the name with its matched letters bold, then flat and cum.
	segs := w.searchBar.jumpSegments(sb.jumps[0])
	var bold, all strings.Builder
	for _, s := range segs {
		ts := s.(*widget.TextSegment)
		all.WriteString(ts.Text)
		if ts.Style.TextStyle.Bold {
			bold.WriteString(ts.Text)
		}
	}
	if strings.ToLower(bold.String()) != "decstateobj" {
		t.Errorf("bold letters %q", bold.String())
	}
	if !strings.HasPrefix(all.String(), "encoding/json.(*decodeState).object   flat 360ms · cum 7.87s") {
		t.Errorf("row %q", all.String())
	}
	// ↓ then Enter jumps to the function's largest frame and selects it.
	sb.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	sb.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	focus := w.graph.View().Focus
	if w.shown.view.Main.Name(focus) != "encoding/json.(*decodeState).object" || w.graph.Selected() != focus {
		t.Errorf("jumped to %s", w.shown.view.Main.Name(focus))
	}
	f, _ := w.shown.view.Main.FuncByName("encoding/json.(*decodeState).object")
	if focus != w.shown.view.Main.LargestFrame(f) {
		t.Error("did not jump to the largest frame")
	}
	if sb.jumpBox.Visible() {
		t.Error("jump list still open after the jump")
	}
}

func TestTypingOverTheGraphStartsASearch(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	test.Type(w.graph, "runtime.memm")
	w.wait()
	if w.searchBar.entry.Text != "runtime.memm" {
		t.Fatalf("search field has %q", w.searchBar.entry.Text)
	}
	if got := highlighted(w); len(got) != 1 || got[0] != "runtime.memmove" {
		t.Errorf("highlighted %v", got)
	}
	if w.Window().Canvas().Focused() != w.searchBar.entry {
		t.Error("the search field is not focused")
	}
}

func TestFilterBarAndUndo(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	fb := w.filters.bar
	before := w.shown.view.Main
	// A bad regexp says what is wrong and leaves the view alone.
	fb.kind.SetSelected("hide")
	fb.entry.SetText("runtime.(")
	test.Tap(fb.add)
	w.wait()
	if !fb.err.Visible() || !strings.Contains(fb.err.Text, `-hide "runtime.(": missing closing )`) {
		t.Errorf("filter bar error %q (visible %v)", fb.err.Text, fb.err.Visible())
	}
	if w.shown.view.Main != before || len(w.filters.steps) != 0 {
		t.Fatal("a bad filter changed the view")
	}
	// A good one is a step; the table shows pprof's numbers for it.
	fb.kind.SetSelected("focus")
	fb.entry.SetText("Unmarshal")
	fb.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.wait()
	if fb.err.Visible() || len(w.filters.steps) != 1 || w.filters.steps[0].Label() != "-focus=Unmarshal" {
		t.Fatalf("steps %v, error %q", w.filters.steps, fb.err.Text)
	}
	if !strings.Contains(w.header.Text, "Shown: 31.76%") { // go tool pprof -top -nodefraction=0 -focus=Unmarshal: 6.74s of 21.22s
		t.Errorf("header %q", w.header.Text)
	}
	// A second step, from the context menu: hide runtime.memmove.
	items := w.frameMenu(w.graph, boxOf(t, w.graph, "encoding/json.Unmarshal").Node)
	for _, it := range items {
		if it.Label == "Hide it (-hide)" {
			it.Action()
		}
	}
	w.wait()
	if len(w.filters.steps) != 2 || w.filters.steps[1].Label() != `-hide=^encoding/json\.Unmarshal$` {
		t.Fatalf("steps %v", w.filters.steps)
	}
	// Ctrl+Z takes the last step back, then the first.
	// Ctrl+Z as Fyne's driver delivers it: its undo shortcut.
	w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	w.wait()
	if len(w.filters.steps) != 1 {
		t.Errorf("after undo: %v", w.filters.steps)
	}
	w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	w.wait()
	if len(w.filters.steps) != 0 || !strings.Contains(w.header.Text, "Shown: 100.00%") {
		t.Errorf("after the second undo: %v, header %q", w.filters.steps, w.header.Text)
	}
}

func TestCommandLineFiltersAndTags(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/labels.cpu.pprof", Filters: model.Filters{TagFocus: "handler=json"}})
	if len(w.filters.steps) != 1 || w.filters.steps[0].Label() != "-tagfocus=handler=json" {
		t.Fatalf("steps %v", w.filters.steps)
	}
	rows := tagRows(w.shown.open.loaded.Tags(w.shown.sampleIndex), w.shown.view.Main.AbsTotal, w.shown.view.Main.SampleType.Unit)
	var keys []string
	for _, r := range rows {
		if r.val == "" {
			keys = append(keys, r.key)
		}
	}
	// go tool pprof -tags: handler: Total 2.43s of 2.88s (84.38%), json 2.07s (71.88%).
	if rows[0].text != "handler: total 2.43s of 2.88s (84.38%)" || !strings.HasPrefix(rows[1].text, "    handler = json   2.07s (71.88%) · ") {
		t.Errorf("rows %q, %q", rows[0].text, rows[1].text)
	}
	if strings.Join(keys, ",") != "handler,tenant" {
		t.Errorf("tag keys %v", keys)
	}
	w.filters.add(tagStep("tagignore", "tenant", "acme"))
	w.wait()
	if got := w.filters.steps[1].Label(); got != "-tagignore=tenant=^acme$" {
		t.Errorf("tag step %q", got)
	}
	// Only json work for globex is left.
	for _, r := range w.shown.view.Table {
		if strings.Contains(r.Name, "compress/") {
			t.Errorf("gzip work %s survived tagfocus=handler=json", r.Name)
		}
	}
}

func TestCollapseRecursionStep(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.filters.add(session.Step{Kind: session.StepCollapse, Func: "encoding/json.(*decodeState).value"})
	w.wait()
	tr := w.shown.view.Main
	f, _ := tr.FuncByName("encoding/json.(*decodeState).value")
	for n := 1; n < tr.Len(); n++ {
		if tr.Fn[n] != f {
			continue
		}
		for p := tr.Parent[n]; p > 0; p = tr.Parent[p] {
			if tr.Fn[p] == f {
				t.Fatal("value still calls itself after collapsing its recursion")
			}
		}
	}
	// Steps survive a sample type change: they name functions, not ids.
	w.tools.typeSelect.SetSelected("samples")
	w.wait()
	if len(w.filters.steps) != 1 || w.shown.view.Main.SampleType.Name != "samples" {
		t.Errorf("steps %v on %s", w.filters.steps, w.shown.view.Main.SampleType.Name)
	}
}

// TestTypingUnderADialogDoesNotSearch: while a dialog is up (the Open
// dialog, an error), what is typed is the dialog's, never a search in the
// window behind it.
func TestTypingUnderADialogDoesNotSearch(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	dialog.ShowInformation("A dialog", "in front of the window", w.Window())
	test.TypeOnCanvas(w.Window().Canvas(), "json")
	w.typed('x') // as the graph hands on a rune typed over it
	if got := w.searchBar.entry.Text; got != "" {
		t.Errorf("typing under a dialog searched for %q", got)
	}
	w.Window().Canvas().Overlays().Top().Hide()
	w.Window().Canvas().Overlays().Remove(w.Window().Canvas().Overlays().Top())
	test.TypeOnCanvas(w.Window().Canvas(), "json")
	if got := w.searchBar.entry.Text; got != "json" {
		t.Errorf("with the dialog gone, typing searched for %q, want json", got)
	}
}

// TestEnterJumpsToTheListsTopRow: typed "marshal" in the sample, the jump
// list ranks encoding/json.Marshal first; Enter, with no row picked, goes
// to that function's largest frame — not to the first frame that happens
// to match in the graph (BenchmarkCodeUnmarshal.func1).
func TestEnterJumpsToTheListsTopRow(t *testing.T) {
	w := openTest(t, Options{})
	w.searchBar.start(0)
	test.Type(w.searchBar.entry, "marshal")
	w.wait()
	if len(w.searchBar.jumps) == 0 || !w.searchBar.jumpBox.Visible() {
		t.Fatal("no jump list for marshal")
	}
	top := w.searchBar.jumps[0].Name
	tree := w.graph.Tree()
	if first := tree.Name(w.searchBar.matches.Nodes[0]); first == top {
		t.Fatalf("the first match in the graph is the list's top row (%s): this cannot tell them apart", top)
	}
	w.searchBar.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.wait()
	if got := tree.Name(w.graph.View().Focus); got != top {
		t.Errorf("Enter zoomed to %q; the jump list's top row is %q", got, top)
	}
}

// An Enter pressed before the search of what was just typed has ended is
// not lost: it jumps to the jump list's top row once the list is there.
func TestEnterBeforeTheSearchEnds(t *testing.T) {
	w := openTest(t, Options{})
	w.searchBar.start(0)
	test.Type(w.searchBar.entry, "literalstore")
	w.searchBar.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // the results are not delivered yet
	w.wait()
	if len(w.searchBar.jumps) == 0 {
		t.Fatal("no jump list for literalstore")
	}
	top := w.searchBar.jumps[0].Name
	if got := w.graph.Tree().Name(w.graph.View().Focus); got != top {
		t.Errorf("an Enter pressed while searching zoomed to %q; the jump list's top row is %q", got, top)
	}
}

// TestNoMatchButCloseOnes: a query no frame's name contains, but with
// functions close to it in the jump list, says so instead of "0 matches"
// beside the list's rows.
func TestNoMatchButCloseOnes(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.mem.pprof"})
	w.searchBar.start(0)
	test.Type(w.searchBar.entry, "decst")
	w.wait()
	if len(w.searchBar.matches.Nodes) != 0 || len(w.searchBar.jumps) == 0 {
		t.Fatalf("%d frames match, %d close functions: the test needs none and some", len(w.searchBar.matches.Nodes), len(w.searchBar.jumps))
	}
	if got := w.searchBar.status.Text; strings.HasPrefix(got, "0 matches") || !strings.Contains(got, "close, listed") {
		t.Errorf("the search says %q beside %d listed functions", got, len(w.searchBar.jumps))
	}
}
