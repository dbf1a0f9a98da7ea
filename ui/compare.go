package ui

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/runstats"
	"github.com/flamelens/flamelens/session"
)

// Choices of the differential graph.
const (
	shapeNew    = "NEW"
	shapeBase   = "BASE"
	colourSelf  = "self"
	colourTotal = "total"
)

// The ways a comparison is shown.
const (
	viewDifferential = "Differential"
	viewSideBySide   = "Side by side"
	viewCombined     = "NEW − BASE (pprof)"
)

// compareBar is the comparison panel: its controls, and the graphs it
// arranges — the main flame graph, and BASE's beside it when side by
// side. It shows only while two profiles are compared.
type compareBar struct {
	view      *widget.Select
	shape     *widget.Select // shape the differential graph by NEW or BASE
	colourBy  *widget.Select // self or total
	shares    *widget.Check  // shares of each total instead of absolute values
	palette   *widget.Check  // colour-blind-safe palette
	legend    *fyne.Container
	options   *widget.Button // opens the pop-up holding shape, colourBy, shares and palette
	popUp     *widget.PopUp  // those four, out of the bar so it takes one row on a laptop
	label     *hoverLabel    // NEW vs BASE; the full paths on hover
	box       *fyne.Container
	main      *FlameGraph // NEW's graph (the window's main one)
	baseGraph *FlameGraph // the left half of side by side
	syncing   bool        // a sync between the two graphs is under way

	// shown is the comparison view on screen (CmpNew nil when none).
	shown session.View
	// onChange is called when a control changes how it is shown; onSwap
	// when the user asks for NEW and BASE the other way round.
	onChange func()
	onSwap   func()
	swap     *widget.Button
	// runs is what the bar and graphs show of two sets of runs compared.
	runs    runsShown
	verdict *widget.Label // runs.verdict
}

// runsShown is what a comparison bar shows of two sets of runs: a caption
// naming them (the profiles are their merges) with its tooltip, the
// verdict on the total's change, and each function's change across the
// runs, which colours the graph (nil while computed, or for two profiles).
type runsShown struct {
	caption, tip, verdict string
	changes               *render.RunChanges
}

// setRuns sets what the bar shows of two sets of runs (zero: none), for
// the next show.
func (cb *compareBar) setRuns(r runsShown) { cb.runs = r }

// newCompareBar makes the panel around the main graph; baseGraph's
// selection and menu are the window's, as the main graph's are.
func newCompareBar(tips *tipLayer, main *FlameGraph, onChange func()) *compareBar {
	cb := &compareBar{label: newHoverLabel("", tips), main: main, onChange: onChange}
	cb.label.tipAlways = true
	cb.label.Truncation = fyne.TextTruncateOff
	cb.view = widget.NewSelect([]string{viewDifferential, viewSideBySide, viewCombined}, nil)
	cb.view.SetSelected(viewDifferential)
	cb.shape = widget.NewSelect([]string{shapeNew, shapeBase}, nil)
	cb.shape.SetSelected(shapeNew)
	cb.colourBy = widget.NewSelect([]string{colourSelf, colourTotal}, nil)
	cb.colourBy.SetSelected(colourSelf)
	cb.shares = widget.NewCheck("Shares of total", nil)
	cb.palette = widget.NewCheck("Colour-blind palette", nil)
	changed := func(string) { cb.onChange() }
	cb.view.OnChanged, cb.shape.OnChanged, cb.colourBy.OnChanged = changed, changed, changed
	cb.shares.OnChanged = func(bool) { cb.onChange() }
	cb.palette.OnChanged = cb.shares.OnChanged
	cb.legend = container.NewHBox()
	cb.baseGraph = NewFlameGraph()
	cb.options = widget.NewButtonWithIcon("Options", theme.SettingsIcon(), cb.showOptions)
	cb.swap = widget.NewButtonWithIcon("Swap", theme.ViewRefreshIcon(), func() { cb.onSwap() })
	cb.verdict = widget.NewLabel("")
	cb.verdict.Hide()
	cb.box = newFlow(cb.label, cb.verdict, cb.swap, cb.view, cb.options) // then the legend's swatches, each flowing on its own
	cb.box.Hide()

	// Side by side, zoom, selection and hover follow from one graph to the other.
	sync := func(from, to *FlameGraph) {
		from.OnHover = func(n model.NodeID) { to.SetPeer(n) }
	}
	sync(cb.baseGraph, main)
	sync(main, cb.baseGraph)
	cb.baseGraph.OnZoom = func(focus model.NodeID) { cb.syncZoom(cb.baseGraph, main, focus) }
	return cb
}

// showOptions pops the differential graph's settings up under the
// Options button; a click outside closes them.
func (cb *compareBar) showOptions() {
	c := fyne.CurrentApp().Driver().CanvasForObject(cb.options)
	if c == nil {
		return
	}
	if cb.popUp == nil || cb.popUp.Canvas != c {
		form := widget.NewForm(widget.NewFormItem("Shape", cb.shape), widget.NewFormItem("Colour by", cb.colourBy))
		cb.popUp = widget.NewPopUp(container.NewVBox(form, cb.shares, cb.palette), c)
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(cb.options)
	cb.popUp.ShowAtPosition(at.Add(fyne.NewPos(0, cb.options.Size().Height)))
}

// comparing says whether two profiles are compared.
func (cb *compareBar) comparing() bool { return cb.shown.CmpNew != nil }

// sideBySide says whether the two graphs are shown side by side.
func (cb *compareBar) sideBySide() bool {
	return cb.comparing() && cb.view.Selected == viewSideBySide
}

// differential says whether the comparison is drawn as one graph coloured
// by change, which takes the place of every other colouring.
func (cb *compareBar) differential() bool {
	return cb.comparing() && cb.view.Selected == viewDifferential
}

// other is the graph paired with g side by side.
func (cb *compareBar) other(g *FlameGraph) *FlameGraph {
	if g == cb.main {
		return cb.baseGraph
	}
	return cb.main
}

// syncZoom zooms the other graph of a side-by-side pair to the same frame:
// both trees come from one comparison, so a node is the same call path in both.
func (cb *compareBar) syncZoom(from, to *FlameGraph, focus model.NodeID) {
	if !cb.sideBySide() || cb.syncing || to.View().Focus == focus {
		return
	}
	cb.syncing = true
	defer func() { cb.syncing = false }()
	if focus == model.Root {
		to.ZoomOut()
	} else {
		to.ZoomTo(focus)
	}
	from.SetSideBySide(cb.sharedScale(from.View().Focus), true)
	to.SetSideBySide(cb.sharedScale(focus), true)
}

// syncSelect selects frame n, selected in from, in the other graph too.
func (cb *compareBar) syncSelect(from *FlameGraph, n model.NodeID) {
	to := cb.other(from)
	if !cb.sideBySide() || cb.syncing || to.Selected() == n {
		return
	}
	cb.syncing = true
	defer func() { cb.syncing = false }()
	to.Select(n)
}

// sharedScale is the larger of the two sides' totals at a frame: the
// value that spans the width in both side-by-side graphs.
func (cb *compareBar) sharedScale(n model.NodeID) int64 {
	t := cb.shown.CmpNew
	return max(abs(t.Total[n]), abs(t.OtherTotal[n]))
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// diffStyle is the differential colouring the controls ask for, scaled
// to the tree's largest change.
func (cb *compareBar) diffStyle(t *model.Tree) *render.DiffStyle {
	var sides *model.Tree // NEW − BASE's values are differences: read both sides' in CmpNew
	if t == cb.shown.Main {
		sides = cb.shown.CmpNew
	}
	ds := render.DiffStyle{
		BaseShaped: t == cb.shown.CmpBase,
		Sides:      sides,
		ByTotal:    cb.colourBy.Selected == colourTotal,
		Normalized: cb.shares.Checked,
		Runs:       cb.runs.changes,
	}
	if cb.palette.Checked {
		ds.Palette = render.ColourBlind
	}
	return output.DiffStyle(t, ds) // the noise floor and scale every differential picture has
}

// hide hides the panel: what is shown is not a comparison.
func (cb *compareBar) hide() {
	cb.shown = session.View{}
	cb.baseGraph.SetTree(nil)
	cb.box.Hide()
}

// show sets up the graphs for comparison c's view v as the controls ask,
// and returns what the graph area shows.
func (cb *compareBar) show(v session.View, c *model.Comparison) fyne.CanvasObject {
	cb.shown = v
	// File names only, so the bar fits a laptop; the paths show on hover.
	norm := map[bool]string{true: " (normalized)"}[c.Normalize]
	cb.label.SetText(fmt.Sprintf("NEW %s vs BASE %s%s", captureName(c.New), captureName(c.Base), norm))
	cb.label.tip = func() string {
		return fmt.Sprintf("Comparing NEW %s with BASE %s%s", c.New.Source, c.Base.Source, norm)
	}
	if r := cb.runs; r.caption != "" {
		cb.label.SetText(r.caption)
		cb.label.tip = func() string { return r.tip }
	}
	cb.verdict.SetText(cb.runs.verdict)
	cb.verdict.Hidden = cb.runs.verdict == ""
	cb.box.Show()
	// Side by side is coloured by package; the other two by change, and
	// only the differential graph can be shaped by either side.
	byChange := cb.view.Selected != viewSideBySide
	for _, o := range []fyne.Disableable{cb.shape, cb.colourBy, cb.palette} {
		o.Enable()
		if !byChange || (o == cb.shape && cb.view.Selected != viewDifferential) {
			o.Disable()
		}
	}
	main := cb.main
	var area fyne.CanvasObject = main
	switch cb.view.Selected {
	case viewSideBySide:
		cb.baseGraph.SetTree(v.CmpBase)
		main.SetTree(v.CmpNew)
		main.SetDiff(nil)
		cb.baseGraph.SetSideBySide(cb.sharedScale(model.Root), true)
		main.SetSideBySide(cb.sharedScale(model.Root), true)
		area = container.NewHSplit(titled("BASE "+c.Base.Source, cb.baseGraph), titled("NEW "+c.New.Source, main))
		cb.legend.Objects = []fyne.CanvasObject{widget.NewLabel("Hatched: not in the other run")}
	case viewCombined:
		// pprof's NEW − BASE tree, each frame coloured by its change and
		// described by both sides' values, as the differential graph.
		main.SetTree(v.Main)
		main.SetSideBySide(0, false)
		ds := cb.diffStyle(v.Main)
		main.SetDiff(ds)
		cb.legend.Objects = legend(ds, main.theme.Dark)
	default:
		t := v.CmpNew
		if cb.shape.Selected == shapeBase {
			t = v.CmpBase
		}
		main.SetTree(t)
		main.SetSideBySide(0, false)
		ds := cb.diffStyle(t)
		main.SetDiff(ds)
		cb.legend.Objects = legend(ds, main.theme.Dark)
	}
	// The legend's swatches flow in the bar one by one, so a long legend
	// wraps instead of widening the window.
	cb.box.Objects = append([]fyne.CanvasObject{cb.label, cb.verdict, cb.swap, cb.view, cb.options}, cb.legend.Objects...)
	cb.box.Refresh()
	return area
}

// showComparison shows the comparison in the graph area and its changes
// in the diff table.
func (w *MainWindow) showComparison() {
	if !w.shown.view.Comparing() {
		w.compare.hide()
		return
	}
	w.showRunStats()
	w.panes.showArea(w.compare.show(w.shown.view, w.shown.open.loaded.Comparison()))
	w.side.diff.SetDeltas(w.shown.view.Deltas, w.shown.view.CmpNew, w.compare.shares.Checked)
	w.side.insights.showLegend()
	w.updateHeader()
}

// titled puts a caption above a graph.
func titled(caption string, o fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(caption)
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(l, nil, nil, nil, o)
}

// swatch is a colour's sample beside what it means, for legends.
func swatch(c color.NRGBA, text string) fyne.CanvasObject {
	r := canvas.NewRectangle(c)
	r.SetMinSize(fyne.NewSize(14, 14))
	return container.NewHBox(container.NewCenter(r), widget.NewLabel(text))
}

// legend explains the differential colours of ds.
func legend(ds *render.DiffStyle, dark bool) []fyne.CanvasObject {
	grew, shrank, neutral := render.DiffColors(ds.Palette, dark)
	same, hatched := "within 0.1%", "hatched: one run only"
	if ds.Runs != nil {
		hatched = "hatched: one side only"
		if ds.Runs.Tested {
			same = "no significant change"
		}
	}
	return []fyne.CanvasObject{
		swatch(grew, "grew"), swatch(shrank, "shrank"), swatch(neutral, same),
		widget.NewLabel(hatched),
	}
}

// Compare loads BASE and NEW in parallel in the background and shows them
// compared (mode as pprof's -diff_base or -base). What is open stays open
// if either fails to load.
func (w *MainWindow) Compare(basePath, newPath string, mode model.DiffMode, normalize bool) {
	w.load(source{Source: session.Comparing(newPath, basePath, mode, normalize, w.opts.Fetch)}, "", w.filters.Steps())
}

// diffTable lists functions by how much they changed.
type diffTable struct {
	widget.BaseWidget

	// OnSelect is called with the function of a row the user clicks.
	OnSelect func(f model.FuncID)

	table  *textTable
	filter *widget.Entry
	sortBy *widget.Select
	column *widget.Select

	all    []model.FuncDelta
	rows   []model.FuncDelta
	tree   *model.Tree
	shares bool
	// runs, for two sets of runs compared, are each function's change
	// across the runs, flat's (Self) and cum's (Total); nil otherwise.
	runs *render.RunChanges
	// col writes base, new and delta in one unit.
	col model.Column
}

// Diff table sort orders.
const (
	sortRegressions  = "grew most"
	sortImprovements = "shrank most"
	sortRelative     = "changed most %"
)

// diffColumns are the diff table's data columns: for two sets of runs,
// the medians' intervals (BEFORE's/AFTER's) and p take the place of
// delta % (diffRunColumns), so the table still fits beside the graph.
var diffColumns = []string{"base", "new", "delta", "delta %", "name", "±", "p"}

// The columns shown beside the names: of two profiles, of two sets of runs.
var (
	diffProfileColumns = []int{0, 1, 2, 3}
	diffRunColumns     = []int{0, 1, 2, 5, 6}
)

func newDiffTable() *diffTable {
	t := &diffTable{}
	t.table = newTextTable(diffColumns, 4, []string{"999.99ms", "999.99ms", "+999.99ms", "+8888.8%", "", "99%/99%", "0.000*"},
		func() int { return len(t.rows) }, t.cell,
		func(row int) {
			if t.OnSelect != nil {
				t.OnSelect(t.rows[row].Func)
			}
		})
	t.filter = filterEntry(t.apply)
	t.sortBy = widget.NewSelect([]string{sortRegressions, sortImprovements, sortRelative}, func(string) { t.apply() })
	t.sortBy.SetSelected(sortRegressions)
	t.column = widget.NewSelect([]string{"flat", "cum"}, func(string) { t.fitColumns(); t.apply() })
	t.column.SetSelected("flat")
	t.table.showColumns(diffProfileColumns...)
	t.table.dim = func(row int) bool {
		c, ok := t.runChange(row)
		return ok && t.runs.Tested && !c.Significant
	}
	t.ExtendBaseWidget(t)
	return t
}

// SetRuns shows each function's change across two sets of runs beside
// its row (nil: none), the rows whose change is not significant dimmed.
func (t *diffTable) SetRuns(runs *render.RunChanges) {
	t.runs = runs
	if runs == nil {
		t.table.showColumns(diffProfileColumns...)
	} else {
		t.table.showColumns(diffRunColumns...)
	}
	t.table.Refresh()
}

// runChange is the change across the runs of row's function, for the
// column shown (flat or cum).
func (t *diffTable) runChange(row int) (runstats.Change, bool) {
	if t.runs == nil || row < 0 || row >= len(t.rows) {
		return runstats.Change{}, false
	}
	m := t.runs.Self
	if t.column.Selected == "cum" {
		m = t.runs.Total
	}
	c, ok := m[t.rows[row].Name]
	return c, ok
}

// SetDeltas shows the functions of a comparison tree (shaped by NEW).
func (t *diffTable) SetDeltas(deltas []model.FuncDelta, tree *model.Tree, shares bool) {
	t.all, t.tree, t.shares = deltas, tree, shares
	t.fitColumns()
	t.apply()
}

// values are a row's base and new values in the chosen column, as shares
// of each side's total when asked.
func (t *diffTable) values(d model.FuncDelta) (base, newer float64) {
	b, n := d.OtherFlat, d.Flat
	if t.column.Selected == "cum" {
		b, n = d.OtherCum, d.Cum
	}
	if t.shares && t.tree != nil {
		return fraction(b, t.tree.OtherAbsTotal), fraction(n, t.tree.AbsTotal)
	}
	return float64(b), float64(n)
}

func fraction(v, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(v) / float64(total)
}

// relative is a row's change as a share of its base value; +Inf for new functions.
func relative(base, newer float64) float64 {
	if base == 0 {
		if newer == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return (newer - base) / math.Abs(base)
}

func (t *diffTable) apply() {
	q := strings.ToLower(t.filter.Text)
	t.rows = t.rows[:0]
	for _, d := range t.all {
		if q == "" || strings.Contains(strings.ToLower(d.Name), q) {
			t.rows = append(t.rows, d)
		}
	}
	slices.SortFunc(t.rows, func(a, b model.FuncDelta) int {
		ab, an := t.values(a)
		bb, bn := t.values(b)
		var c int
		switch t.sortBy.Selected {
		case sortImprovements:
			c = cmp.Compare(an-ab, bn-bb)
		case sortRelative:
			c = cmp.Compare(math.Abs(relative(bb, bn)), math.Abs(relative(ab, an)))
		default:
			c = cmp.Compare(bn-bb, an-ab)
		}
		return cmp.Or(c, cmp.Compare(a.Name, b.Name))
	})
	t.table.UnselectAll()
	t.table.Refresh()
}

// fitColumns picks the one unit of base, new and delta for the column
// shown (flat or cum) and sizes the columns to every function's numbers:
// when the functions or the column change, not on each filter keystroke.
func (t *diffTable) fitColumns() {
	if t.tree == nil {
		return
	}
	var most, change, relMost float64
	for _, d := range t.all {
		b, n := t.values(d)
		most = max(most, math.Abs(b), math.Abs(n))
		change = max(change, math.Abs(n-b))
		if r := relative(b, n); !math.IsInf(r, 0) {
			relMost = max(relMost, math.Abs(r))
		}
	}
	t.col = model.NewColumn(int64(most), t.tree.SampleType.Unit)
	if !t.shares { // base and new whole numbers of the unit, so is their difference
		base := func(d model.FuncDelta) int64 { b, _ := t.values(d); return int64(b) }
		newer := func(d model.FuncDelta) int64 { _, n := t.values(d); return int64(n) }
		if whole := wholeIfAll(t.col, t.all, base); whole != t.col && wholeIfAll(t.col, t.all, newer) != t.col {
			t.col = whole
		}
	}
	values := []string{t.show(most), t.show(1), t.show(-1)}
	changes := []string{"+" + t.show(change), "-" + t.show(change), "+" + t.show(1), t.show(-1)}
	t.table.fitNumbers(values, values, changes, []string{fmt.Sprintf("%+.1f%%", relMost*100), fmt.Sprintf("%+.1f%%", -relMost*100), "new"}, nil,
		[]string{"99%/99%", "∞/∞"}, []string{"0.000*"})
}

// show writes a base, new or delta value: a share of its side's total
// when shares are shown, else in the table's unit.
func (t *diffTable) show(v float64) string {
	if t.shares {
		return fmt.Sprintf("%.2f%%", v*100)
	}
	return t.col.Format(int64(v))
}

// cell is the text at row, col.
func (t *diffTable) cell(row, col int) string {
	if row < 0 || row >= len(t.rows) || t.tree == nil {
		return ""
	}
	d := t.rows[row]
	base, newer := t.values(d)
	show := t.show
	switch col {
	case 0:
		return show(base)
	case 1:
		return show(newer)
	case 2:
		delta := newer - base
		s := show(delta)
		if delta > 0 {
			s = "+" + s
		}
		return s
	case 3:
		r := relative(base, newer)
		if math.IsInf(r, 1) {
			return "new"
		}
		return fmt.Sprintf("%+.1f%%", r*100)
	case 5, 6:
		c, ok := t.runChange(row)
		switch {
		case !ok:
			return ""
		case col == 5:
			return c.Before.RangeString() + "/" + c.After.RangeString()
		case !t.runs.Tested || !c.Tested:
			return "–"
		case c.Significant:
			return fmt.Sprintf("%.3f*", c.P)
		}
		return fmt.Sprintf("%.3f", c.P)
	}
	return model.EscapeControl(d.Name)
}

// CreateRenderer is part of fyne.Widget.
func (t *diffTable) CreateRenderer() fyne.WidgetRenderer {
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(t.column, t.sortBy), t.filter)
	return widget.NewSimpleRenderer(container.NewBorder(bar, nil, nil, nil, t.table.box))
}

// copySummary puts the comparison v shows, summed up as Markdown
// (output's report, as flamelens report writes it), on the clipboard:
// ready to paste into a pull request (File > Copy Comparison Summary).
// modules are the user's code, for its insights.
func copySummary(v viewed, modules []string, work *async, say report, clip fyne.Clipboard) {
	if v.open.loaded.IsZero() || v.open.loaded.Comparison() == nil {
		say.say("Copy Comparison Summary: open a comparison first (File > Compare with…)")
		return
	}
	say.busy("Summing the comparison up…")
	work.run(laneNone, func(ctx context.Context) func() {
		l, err := v.open.await(ctx)
		var text strings.Builder
		if err == nil {
			f, _ := output.Lookup("report")
			err = output.Write(&text, f, l, v.spec, output.Options{Modules: modules})
		}
		return func() {
			say.done(err)
			if err == nil {
				clip.SetContent(text.String())
				say.say("Copied the comparison's summary as Markdown: paste it into a pull request or a chat")
			}
		}
	})
}
