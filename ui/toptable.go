package ui

import (
	"cmp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
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
	unit  string
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
	t.total, t.unit = tree.AbsTotal, tree.SampleType.Unit
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
		return model.FormatValue(r.Flat, t.unit)
	case 1:
		return model.Percent(r.Flat, t.total)
	case 2:
		return model.FormatValue(r.Cum, t.unit)
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
}

// newTextTable makes a table of columns (data column nameCol holds the
// names, shown first; the others follow in their order), each numeric
// column as wide as samples[col], the widest text it usually holds;
// selected is called with the row of a clicked cell.
func newTextTable(columns []string, nameCol int, samples []string, rows func() int, cell func(row, col int) string, selected func(row int)) *textTable {
	tt := &textTable{columns: columns, nameCol: nameCol, tips: newTipLayer()}
	tt.order = append(tt.order, nameCol)
	for c := range columns {
		if c != nameCol {
			tt.order = append(tt.order, c)
		}
	}
	pad := 2 * theme.InnerPadding()
	for _, c := range tt.order {
		w := max(fyne.MeasureText(columns[c], theme.TextSize(), fyne.TextStyle{}).Width,
			fyne.MeasureText(samples[c], theme.TextSize(), fyne.TextStyle{}).Width)
		tt.widths = append(tt.widths, w+pad)
	}
	t := newKeyTable(
		func() (int, int) { return rows(), len(columns) },
		func() fyne.CanvasObject {
			l := newHoverLabel("", tt.tips)
			l.onMove = func(ev *desktop.MouseEvent) { tt.forwardHover(ev) }
			l.onOut = func() { tt.Table.MouseOut() }
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*hoverLabel)
			c := tt.order[id.Col]
			l.SetText(cell(id.Row, c))
			if c == nameCol {
				l.Alignment = fyne.TextAlignLeading
			} else {
				l.Alignment = fyne.TextAlignTrailing
			}
		},
	)
	tt.keyTable = t
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(columns[tt.order[id.Col]])
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
	tt.box = container.NewStack(container.New(&fitNameColumn{tt: tt}, t), tt.tips.layer)
	return tt
}

// forwardHover lets the table under a cell follow the pointer too, for
// its row highlight.
func (tt *textTable) forwardHover(ev *desktop.MouseEvent) {
	d := fyne.CurrentApp().Driver()
	pos := ev.AbsolutePosition.Subtract(d.AbsolutePositionForObject(tt.keyTable))
	tt.Table.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos, AbsolutePosition: ev.AbsolutePosition}})
}

// fitNameColumn sizes the table to its space and widens the name column
// to what the numeric columns leave (at least minNameWidth).
type fitNameColumn struct {
	tt    *textTable
	width float32
}

const minNameWidth = 160

func (l *fitNameColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.width {
		l.width = size.Width
		rest := size.Width - theme.ScrollBarSize() - 4
		for _, w := range l.tt.widths[1:] {
			rest -= w
		}
		l.tt.SetColumnWidth(0, max(minNameWidth, rest))
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *fitNameColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(minNameWidth, objs[0].MinSize().Height)
}

// CreateRenderer is part of fyne.Widget.
func (t *TopTable) CreateRenderer() fyne.WidgetRenderer {
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(t.yours, t.sortBy), t.filter)
	return widget.NewSimpleRenderer(container.NewBorder(bar, nil, nil, nil, t.table.box))
}
