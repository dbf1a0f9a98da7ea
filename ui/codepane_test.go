package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// rowWith is the index of the first source row of kind containing text.
func rowWith(sp *codePane, kind sourceRowKind, text string) int {
	return slices.IndexFunc(sp.rows, func(r sourceRow) bool { return r.kind == kind && strings.Contains(r.text, text) })
}

func TestSourceView(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	const fn = "encoding/json.(*decodeState).object"
	w.code.showSource(fn)
	w.wait()
	sp := w.codePane
	if !sp.box.Visible() || sp.listing == nil {
		t.Fatal("the source pane is not shown")
	}
	// The header: function, flat, cum and share, as pprof's list has them.
	if got := sp.title.Text; !strings.Contains(got, fn) || !strings.Contains(got, "flat 360ms, cum 10.66s, 50.24% of total") {
		t.Errorf("title %q", got)
	}
	if i := rowWith(sp, rowRoutine, "encoding/json/decode.go"); i != 0 {
		t.Errorf("first row is not the routine's file: %+v", sp.rows[0])
	}
	// pprof's list: line 652 "fields = cachedTypeFields(t)", 40ms flat, 170ms cum.
	i := rowWith(sp, rowLine, "cachedTypeFields(t)")
	if i < 0 {
		t.Fatal("line 652 not listed")
	}
	row := sp.rows[i]
	if row.line.Line != 652 || row.line.Flat != 40e6 || row.line.Cum != 170e6 || !strings.Contains(row.text, "     40ms     170ms    652") {
		t.Errorf("line 652: %+v %q", row.line, row.text)
	}
	if row.heat <= 0 || row.dim {
		t.Errorf("a sampled line is not tinted: heat %v dim %v", row.heat, row.dim)
	}
	// A line without samples is dimmed; the function's first line is listed.
	if j := rowWith(sp, rowLine, "func (d *decodeState) object(v reflect.Value) error {"); j < 0 || !sp.rows[j].dim || sp.rows[j].heat != 0 {
		t.Errorf("the signature line is not listed dimmed")
	}
	// The call on the line, with its callee's cost, follows it.
	c := rowWith(sp, rowCall, "encoding/json.cachedTypeFields")
	if c != i+1 {
		t.Fatalf("the call of cachedTypeFields is row %d, want %d", c, i+1)
	}
	// Picking the line highlights its frames: at function granularity,
	// the function and what the line calls.
	sp.list.Select(i)
	marks := w.graph.highlight
	tree := w.graph.Tree()
	for _, name := range []string{fn, "encoding/json.cachedTypeFields"} {
		if f, ok := tree.FuncByName(name); !ok || !marks[f] {
			t.Errorf("%s is not highlighted", name)
		}
	}
	if f, _ := tree.FuncByName("runtime.mallocgc"); marks[f] {
		t.Error("runtime.mallocgc is highlighted")
	}
	// Picking the call goes to the callee's source.
	sp.list.Select(c)
	w.wait()
	if sp.listing.Function != "encoding/json.cachedTypeFields" {
		t.Errorf("following the call shows %s", sp.listing.Function)
	}
	// The editor gets the file and the line picked.
	var opened string
	sp.openEditor = func(path string, line int64) { opened = path + ":" + itoa(line) }
	sp.list.Select(rowWith(sp, rowLine, "func cachedTypeFields"))
	sp.openSelected()
	if !strings.HasSuffix(opened, "/encoding/json/encode.go:"+itoa(sp.listing.Routines[0].StartLine)) {
		t.Errorf("opened %q", opened)
	}
}

func itoa(n int64) string { return model.PprofValue(n, "count") }

func TestSourceViewAtLineGranularity(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.tools.granularity.SetSelectedIndex(int(model.Lines))
	w.wait()
	tree := w.graph.Tree()
	if tree.Stacks().Granularity != model.Lines {
		t.Fatalf("the flame graph is at %s", tree.Stacks().Granularity)
	}
	f, ok := tree.FuncByName("encoding/json.(*decodeState).object /usr/local/go/src/encoding/json/decode.go:652")
	if !ok {
		t.Fatal("no frame for line 652")
	}
	if got := tree.Funcs[f].Label(); got != "json.(*decodeState).object decode.go:652" {
		t.Errorf("label %q", got)
	}
	// The table is at line granularity too, as go tool pprof -top -lines.
	if w.shown.view.Table[0].Name == "" || !strings.Contains(w.shown.view.Table[0].Name, ":") {
		t.Errorf("table row %q is not a line", w.shown.view.Table[0].Name)
	}
	// A line's source shows its function; picking the line highlights that
	// line's frames alone.
	w.code.showSource(tree.Funcs[f].Function)
	w.wait()
	i := rowWith(w.codePane, rowLine, "cachedTypeFields(t)")
	w.codePane.list.Select(i)
	marks := w.graph.highlight
	if !marks[f] {
		t.Error("line 652's frame is not highlighted")
	}
	other, _ := tree.FuncByName("encoding/json.(*decodeState).object /usr/local/go/src/encoding/json/decode.go:606")
	if marks[other] {
		t.Error("line 606's frame is highlighted too")
	}
	// Back to functions: the focus step made on a line applies to its function.
	w.filters.add(session.FuncStep(session.StepFocus, tree.Funcs[f]))
	w.wait()
	w.tools.granularity.SetSelectedIndex(int(model.Functions))
	w.wait()
	if got := w.graph.Tree().Name(w.graph.Tree().Children(model.Root)[0]); got != "encoding/json.(*decodeState).object" {
		t.Errorf("focused on a line, at function granularity the root is %q", got)
	}
}

// TestSourceViewFollowsTheView checks that an open listing is listed again
// when the view changes, and closes when its function leaves the view.
func TestSourceViewFollowsTheView(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.code.showSource("encoding/json.(*decodeState).object")
	w.wait()
	whole := w.codePane.listing.Routines[0].Cum
	w.filters.add(session.FilterStep("focus", "Unmarshal"))
	w.wait()
	if got := w.codePane.listing.Routines[0].Cum; !w.codePane.box.Visible() || got >= whole || got == 0 {
		t.Errorf("after -focus=Unmarshal the listing's cum is %d (was %d)", got, whole)
	}
	w.filters.add(session.FilterStep("ignore", "decodeState"))
	w.wait()
	if w.codePane.box.Visible() {
		t.Error("the listing of a function filtered away is still shown")
	}
}

func TestSourceViewComparison(t *testing.T) {
	w := openComparison(t)
	w.code.showSource("encoding/json.(*decodeState).object")
	w.wait()
	sp := w.codePane
	if !sp.listing.Comparing || !strings.Contains(sp.title.Text, "cum BASE ") || !strings.Contains(sp.title.Text, ", NEW ") {
		t.Fatalf("title %q", sp.title.Text)
	}
	r := sp.listing.Routines[0]
	if r.Cum == 0 || r.OtherCum == 0 {
		t.Errorf("routine NEW %d BASE %d", r.Cum, r.OtherCum)
	}
	// Each sampled line shows BASE, NEW and the change.
	found := false
	for _, row := range sp.rows {
		if row.kind == rowLine && row.line.Cum != row.line.OtherCum && row.line.Cum != 0 && row.line.OtherCum != 0 {
			change := signed(row.line.Cum-row.line.OtherCum, "nanoseconds")
			if !strings.Contains(row.text, model.PprofValue(row.line.OtherCum, "nanoseconds")) || !strings.Contains(row.text, change) {
				t.Errorf("row %q lacks BASE or the change %s", row.text, change)
			}
			found = true
		}
	}
	if !found {
		t.Error("no line changed between the runs")
	}
}

// movedProfile is json.cpu.pprof as if taken where Go lived elsewhere.
func movedProfile(t *testing.T) string {
	t.Helper()
	p, err := model.Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range p.Raw.Function {
		fn.Filename = strings.Replace(fn.Filename, "/usr/local/go/", "/opt/build-machine/go/", 1)
	}
	path := filepath.Join(t.TempDir(), "moved.pprof")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.Raw.Write(f); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSourceViewFileNotFound(t *testing.T) {
	w := openTest(t, Options{Source: movedProfile(t), SourcePath: t.TempDir()})
	w.code.sources.Paths.GOROOT = t.TempDir() // no Go installation to fall back on
	w.code.showSource("encoding/json.(*decodeState).object")
	w.wait()
	note := rowWith(w.codePane, rowNote, "could not find")
	if note < 0 {
		t.Fatalf("no note says the file is missing: %+v", w.codePane.rows[:2])
	}
	// The note says where it looked, a place a row (so it is read without
	// scrolling sideways), and what to do.
	var said []string
	for _, r := range w.codePane.rows {
		if r.kind == rowNote {
			said = append(said, r.text)
			if len(r.text) > 160 {
				t.Errorf("a note row of %d characters: %q", len(r.text), r.text)
			}
		}
	}
	if all := strings.Join(said, "\n"); !strings.Contains(all, "looked in:") || !strings.Contains(all, "Sources…") || len(said) < 3 {
		t.Errorf("note:\n%s", all)
	}
	// Without the text, the sampled lines still show their values.
	if i := rowWith(w.codePane, rowLine, "652"); i < 0 || w.codePane.rows[i].line.Cum != 170e6 {
		t.Error("line 652's values are not listed")
	}
}

// TestSourceListingKeepsTheViewsWork asks for source and machine code
// while a profile loads and right after toggling Inverted: the listing has
// a lane of its own, so the load and the inversion still land.
func TestSourceListingKeepsTheViewsWork(t *testing.T) {
	const fn = "encoding/json.(*decodeState).object"
	for _, ask := range []struct {
		name string
		list func(w *MainWindow)
	}{
		{"source", func(w *MainWindow) { w.code.showSource(fn) }},
		{"machine code", func(w *MainWindow) { w.code.showAssembly(fn, false) }},
	} {
		t.Run(ask.name+" while a profile loads", func(t *testing.T) {
			w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
			w.Open("../testdata/json-gogc10.cpu.pprof", "")
			ask.list(w)
			w.wait()
			if got := w.shown.open.info.Source; !strings.HasSuffix(got, "json-gogc10.cpu.pprof") {
				t.Errorf("the window shows %s: the load was dropped", got)
			}
			if w.codePane.box.Visible() {
				t.Error("the source pane shows a listing of the profile the load replaced")
			}
			ask.list(w) // asked again, of the profile now shown
			w.wait()
			if !w.codePane.box.Visible() {
				t.Error("the source pane is not shown")
			}
		})
		t.Run(ask.name+" right after inverting", func(t *testing.T) {
			w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
			w.tools.invertCheck.SetChecked(true)
			ask.list(w)
			w.wait()
			first := w.graph.Tree().Children(model.Root)[0]
			if got := w.graph.Tree().Name(first); !w.shown.inverted || got != "runtime.memmove" {
				t.Errorf("inverted %v, largest root %q: the inversion was dropped", w.shown.inverted, got)
			}
			if !w.codePane.box.Visible() {
				t.Error("the source pane is not shown")
			}
		})
	}
}

// TestClosingTheCodePaneGivesTheGraphItsRoom: with the pane closed, the
// graphs take the whole height again at once, not when the window is next
// resized.
func TestClosingTheCodePaneGivesTheGraphItsRoom(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.Window().Resize(fyne.NewSize(1200, 800))
	w.code.showSource("encoding/json.(*decodeState).object")
	w.wait()
	split := w.codePane.split
	if !w.codePane.box.Visible() || w.panes.box.Size().Height > split.Size().Height*0.7 {
		t.Fatalf("the pane is not open under the graphs: graphs %v of %v", w.panes.box.Size(), split.Size())
	}
	w.codePane.onClose()
	if got, want := w.panes.box.Size().Height, split.Size().Height; got < want-1 {
		t.Errorf("after closing the pane the graphs are %.0f high of %.0f", got, want)
	}
	// Closed because the view left the function: the same.
	w.code.showSource("encoding/json.(*decodeState).object")
	w.wait()
	w.filters.add(session.FilterStep("ignore", "decodeState"))
	w.wait()
	if w.codePane.box.Visible() {
		t.Fatal("the pane stayed open on a function the view no longer has")
	}
	if got, want := w.panes.box.Size().Height, split.Size().Height; got < want-1 {
		t.Errorf("after the pane closed itself the graphs are %.0f high of %.0f", got, want)
	}
}
