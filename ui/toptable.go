package ui

import (
	"cmp"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
)

// topColumns are the columns of the function table, as in pprof -top.
var topColumns = []string{"flat", "flat%", "cum", "cum%", "name"}

// Sort orders of the function table.
const (
	SortFlat = "flat"
	SortCum  = "cum"
	SortName = "name"
)

// TopTable is the function table: one row per function with its flat and
// cum values, sortable by flat, cum or name and filtered by a substring.
type TopTable struct {
	widget.BaseWidget

	// OnSelect is called with the function of a row the user clicks.
	OnSelect func(f model.FuncID)

	table  *textTable
	filter *widget.Entry
	sortBy *widget.Select
	// yours keeps the user's own functions only, once mine is known.
	yours *widget.Check
	mine  []bool // by FuncID: the user's code

	all   []model.FuncStat // every function, in the current sort order
	rows  []model.FuncStat // those matching the filter
	total int64
	// flatCol and cumCol write each column in one unit.
	flatCol, cumCol model.Column
}

// NewTopTable returns an empty table; SetRows fills it.
func NewTopTable() *TopTable {
	t := &TopTable{}
	t.table = newTextTable(topColumns, 4, []string{"999.99ms", "100.00%", "999.99ms", "100.00%", ""},
		func() int { return len(t.rows) }, t.cell,
		func(row int) {
			if t.OnSelect != nil {
				t.OnSelect(t.rows[row].Func)
			}
		})
	t.filter = filterEntry(t.applyFilter)
	t.yours = widget.NewCheck("Yours only", func(bool) { t.applyFilter() })
	t.yours.Disable() // until whose code is what is known
	t.sortBy = widget.NewSelect([]string{SortFlat, SortCum, SortName}, func(string) { t.resort() })
	t.sortBy.SetSelected(SortFlat)
	t.ExtendBaseWidget(t)
	return t
}

// SetRows shows rows, tree's function table (tree.Functions(), computed
// off the UI goroutine by the caller on big profiles). The table keeps rows.
func (t *TopTable) SetRows(rows []model.FuncStat, tree *model.Tree) {
	t.all = rows
	t.total = tree.AbsTotal
	unit := tree.SampleType.Unit
	flatLo, flatHi := span(rows, func(r model.FuncStat) int64 { return r.Flat })
	cumLo, cumHi := span(rows, func(r model.FuncStat) int64 { return r.Cum })
	t.flatCol = wholeIfAll(model.NewColumn(max(-flatLo, flatHi), unit), rows, func(r model.FuncStat) int64 { return r.Flat })
	t.cumCol = wholeIfAll(model.NewColumn(max(-cumLo, cumHi), unit), rows, func(r model.FuncStat) int64 { return r.Cum })
	t.table.fitNumbers(
		extremes(t.flatCol, flatLo, flatHi), []string{model.Percent(flatLo, t.total), model.Percent(flatHi, t.total)},
		extremes(t.cumCol, cumLo, cumHi), []string{model.Percent(cumLo, t.total), model.Percent(cumHi, t.total)}, nil)
	t.resort()
}

// SetSort orders the rows by SortFlat, SortCum or SortName.
func (t *TopTable) SetSort(by string) { t.sortBy.SetSelected(by) }

// SetFilter shows only functions whose name contains s (any case).
func (t *TopTable) SetFilter(s string) { t.filter.SetText(s) }

// SelectRow acts as a click on a row.
func (t *TopTable) SelectRow(row int) { t.table.Select(widget.TableCellID{Row: row, Col: 0}) }

func (t *TopTable) resort() {
	switch t.sortBy.Selected {
	case SortCum:
		model.SortByCum(t.all)
	case SortName:
		slices.SortFunc(t.all, func(a, b model.FuncStat) int { return cmp.Compare(a.Name, b.Name) })
	default:
		model.SortByFlat(t.all)
	}
	t.applyFilter()
}

// SetMine says which functions (by FuncID) are the user's code, for
// "Yours only"; nil when not known.
func (t *TopTable) SetMine(mine []bool) {
	t.mine = mine
	if mine == nil {
		t.yours.Disable()
	} else {
		t.yours.Enable()
	}
	t.applyFilter()
}

func (t *TopTable) applyFilter() {
	q := strings.ToLower(t.filter.Text)
	onlyMine := t.yours.Checked && t.mine != nil
	t.rows = t.rows[:0]
	for _, r := range t.all {
		if onlyMine && (int(r.Func) >= len(t.mine) || !t.mine[r.Func]) {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(r.Name), q) {
			t.rows = append(t.rows, r)
		}
	}
	t.table.UnselectAll()
	t.table.Refresh()
}

// cell is the text at row, col.
func (t *TopTable) cell(row, col int) string {
	if row < 0 || row >= len(t.rows) {
		return ""
	}
	r := t.rows[row]
	switch col {
	case 0:
		return t.flatCol.Format(r.Flat)
	case 1:
		return model.Percent(r.Flat, t.total)
	case 2:
		return t.cumCol.Format(r.Cum)
	case 3:
		return model.Percent(r.Cum, t.total)
	}
	return model.EscapeControl(r.Name)
}

// filterEntry is a table's name filter, calling changed as it is typed in.
func filterEntry(changed func()) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder("Filter functions")
	e.OnChanged = func(string) { changed() }
	return e
}

// keyTable is a table that hands Escape to onEscape: the window's Esc
// (clear the highlight, else zoom out) works while a table has the focus.
type keyTable struct {
	widget.Table
	onEscape func()
}

func newKeyTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *keyTable {
	t := &keyTable{}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey is widget.Table's, Escape aside.
func (t *keyTable) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && t.onEscape != nil {
		t.onEscape()
		return
	}
	t.Table.TypedKey(ev)
}

// textTable is a table of text cells under a header row of column names,
// the name column first and as wide as the space the compact numeric
// columns leave; each column can be resized by dragging its header's
// edge, and a name cut short shows whole in a tooltip on hover.
type textTable struct {
	*keyTable
	columns []string // by data column, as cell reads them
	order   []int    // the data column shown at each place
	widths  []float32
	nameCol int // the data column of the names
	tips    *tipLayer
	box     *fyne.Container // the table in a layout that fits the name column
	fit     *fitNameColumn
	// nameWidth is the name column's width now; names longer are shown
	// without their package (the whole name in the tooltip).
	nameWidth float32
	// samples are the widest texts each data column holds, as last fitted.
	samples [][]string
	// dim, if not nil, says which rows are shown dimmed.
	dim func(row int) bool
}

// newTextTable makes a table of columns (data column nameCol holds the
// names, shown first; the others follow in their order), each numeric
// column as wide as samples[col], the widest text it usually holds;
// selected is called with the row of a clicked cell.
func newTextTable(columns []string, nameCol int, samples []string, rows func() int, cell func(row, col int) string, selected func(row int)) *textTable {
	tt := &textTable{columns: columns, nameCol: nameCol, tips: newTipLayer()}
	sampleTexts := make([][]string, len(samples))
	for c, s := range samples {
		sampleTexts[c] = []string{s}
	}
	tt.order = append(tt.order, nameCol)
	for c := range columns {
		if c != nameCol {
			tt.order = append(tt.order, c)
		}
	}
	tt.samples = sampleTexts
	tt.widths = tt.measure(sampleTexts)
	t := newKeyTable(
		func() (int, int) { return rows(), len(tt.order) },
		func() fyne.CanvasObject {
			l := newHoverLabel("", tt.tips)
			l.onMove = func(ev *desktop.MouseEvent) { tt.forwardHover(ev) }
			l.onOut = func() { tt.Table.MouseOut() }
			// Each cell carries the compact theme: a table does not
			// pass a theme override on to the cells it makes.
			return container.NewThemeOverride(l, compactTheme{})
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*container.ThemeOverride).Content.(*hoverLabel)
			c := tt.order[id.Col]
			text := cell(id.Row, c)
			l.Alignment = fyne.TextAlignTrailing
			l.tip, l.tipAlways = nil, false
			l.Importance = widget.MediumImportance
			if tt.dim != nil && tt.dim(id.Row) {
				l.Importance = widget.LowImportance
			}
			if c == nameCol {
				l.Alignment = fyne.TextAlignLeading
				if short := tt.fitName(text); short != text {
					l.tip, l.tipAlways = func() string { return text }, true
					text = short
				}
			}
			l.SetText(text)
		},
	)
	tt.keyTable = t
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return container.NewThemeOverride(widget.NewLabel(""), compactTheme{}) }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*container.ThemeOverride).Content.(*widget.Label).SetText(columns[tt.order[id.Col]])
		}
	}
	for i, w := range tt.widths {
		t.SetColumnWidth(i, w)
	}
	t.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < rows() {
			selected(id.Row)
		}
	}
	tt.fit = &fitNameColumn{tt: tt}
	tt.box = container.NewStack(container.New(tt.fit, t), tt.tips.layer)
	return tt
}

// measure is each shown column's width: its header's or its widest
// sample's (samples by data column), whichever is wider, and padding.
func (tt *textTable) measure(samples [][]string) []float32 {
	var widths []float32
	for _, c := range tt.order {
		w := cellWidth(tt.columns[c])
		for _, s := range samples[c] {
			w = max(w, cellWidth(s))
		}
		widths = append(widths, w)
	}
	return widths
}

// fitName is the longest of a name's display forms (with its package,
// without, the bare function) that fits the name column; the shortest
// when none does, cut by the label.
func (tt *textTable) fitName(name string) string {
	if tt.nameWidth == 0 || cellWidth(name) <= tt.nameWidth {
		return name
	}
	forms := render.DisplayNames(name)
	for _, f := range forms {
		if cellWidth(f) <= tt.nameWidth {
			return f
		}
	}
	return forms[len(forms)-1]
}

// cellWidth is the width a cell needs to show text whole: the text, the
// padding either side and a unit or two for the label's rounding.
func cellWidth(text string) float32 {
	return fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width + 2*cellPadding + 2
}

// fitNumbers widens or narrows the numeric columns to hold samples (by
// data column), the widest texts each may now hold, so no number is cut.
// showColumns shows the data columns cols beside the names, in that
// order (a diff table shows its statistics of runs only for runs).
func (tt *textTable) showColumns(cols ...int) {
	order := append([]int{tt.nameCol}, cols...)
	if slices.Equal(order, tt.order) {
		return
	}
	tt.order = order
	tt.widths = tt.measure(tt.samples)
	for i, w := range tt.widths {
		tt.SetColumnWidth(i, w)
	}
	tt.fit.width = -1 // the name column takes what is left: lay it out again
	tt.box.Refresh()
	tt.Refresh()
}

func (tt *textTable) fitNumbers(samples ...[]string) {
	tt.samples = samples
	widths := tt.measure(samples)
	if slices.Equal(widths[1:], tt.widths[1:]) {
		return
	}
	copy(tt.widths[1:], widths[1:])
	for i := 1; i < len(widths); i++ {
		tt.SetColumnWidth(i, widths[i])
	}
	tt.fit.width = -1 // the name column takes what is left: lay it out again
	tt.box.Refresh()
}

// extremes are the texts a column of values from lo to hi can hold at
// its widest: both ends and the smallest shown, each way it can be.
func extremes(col model.Column, lo, hi int64) []string {
	out := []string{col.Format(lo), col.Format(hi), col.Format(1)}
	if lo < 0 {
		out = append(out, col.Format(-1))
	}
	return out
}

// wholeIfAll is col without decimals when every row's value is a whole
// number of its unit (CPU time in 10ms samples in a column of ms).
func wholeIfAll[T any](col model.Column, rows []T, value func(T) int64) model.Column {
	for _, r := range rows {
		if !col.Whole(value(r)) {
			return col
		}
	}
	return col.WholeNumbers()
}

// span is the smallest and the largest of values.
func span[T any](rows []T, value func(T) int64) (lo, hi int64) {
	for _, r := range rows {
		v := value(r)
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// forwardHover lets the table under a cell follow the pointer too, for
// its row highlight.
func (tt *textTable) forwardHover(ev *desktop.MouseEvent) {
	d := fyne.CurrentApp().Driver()
	pos := ev.AbsolutePosition.Subtract(d.AbsolutePositionForObject(tt.keyTable))
	tt.Table.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos, AbsolutePosition: ev.AbsolutePosition}})
}

// cellPadding is the room either side of a table cell's text, in units:
// less than Fyne's, so a laptop's side pane shows half as many rows again.
const cellPadding = 3

// compactTheme is the app's theme, whatever it is now, with less room
// around a table's text (cellPadding) and between its cells.
type compactTheme struct{}

func (compactTheme) app() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t compactTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.app().Color(n, v)
}
func (t compactTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.app().Font(s) }
func (t compactTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.app().Icon(n) }
func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameInnerPadding:
		return cellPadding
	case theme.SizeNamePadding:
		return min(2, t.app().Size(n))
	}
	return t.app().Size(n)
}

// fitNameColumn sizes the table to its space and widens the name column
// to what the numeric columns leave (at least minNameWidth).
type fitNameColumn struct {
	tt    *textTable
	width float32
}

// minNameWidth is the least the name column is given: enough for a bare
// function name, so that every number beside it is on a laptop's screen.
const minNameWidth = 100

func (l *fitNameColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.width {
		l.width = size.Width
		rest := size.Width - theme.ScrollBarSize() - 4
		for _, w := range l.tt.widths[1:] {
			rest -= w
		}
		l.tt.nameWidth = max(minNameWidth, rest)
		l.tt.SetColumnWidth(0, l.tt.nameWidth)
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// MinSize is wide enough for every numeric column beside the least name
// column: a split gives the table room for all its numbers.
func (l *fitNameColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(minNameWidth) + theme.ScrollBarSize() + 4
	for _, c := range l.tt.widths[1:] {
		w += c
	}
	return fyne.NewSize(w, objs[0].MinSize().Height)
}

// CreateRenderer is part of fyne.Widget.
func (t *TopTable) CreateRenderer() fyne.WidgetRenderer {
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(t.yours, t.sortBy), t.filter)
	return widget.NewSimpleRenderer(container.NewBorder(bar, nil, nil, nil, t.table.box))
}
