package ui

import (
	"cmp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

	table  *widget.Table
	filter *widget.Entry
	sortBy *widget.Select

	all   []model.FuncStat // every function, in the current sort order
	rows  []model.FuncStat // those matching the filter
	total int64
	unit  string
}

// NewTopTable returns an empty table; SetRows fills it.
func NewTopTable() *TopTable {
	t := &TopTable{}
	t.table = newTextTable(topColumns, []float32{80, 64, 80, 64, 520},
		func() int { return len(t.rows) }, t.cell,
		func(row int) {
			if t.OnSelect != nil {
				t.OnSelect(t.rows[row].Func)
			}
		})
	t.filter = filterEntry(t.applyFilter)
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
func (t *TopTable) SelectRow(row int) { t.table.Select(widget.TableCellID{Row: row, Col: 4}) }

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

func (t *TopTable) applyFilter() {
	q := strings.ToLower(t.filter.Text)
	t.rows = t.rows[:0]
	for _, r := range t.all {
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
	return r.Name
}

// filterEntry is a table's name filter, calling changed as it is typed in.
func filterEntry(changed func()) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder("Filter functions")
	e.OnChanged = func(string) { changed() }
	return e
}

// newTextTable is a table of text cells under a header row of column
// names; selected is called with the row of a clicked cell.
func newTextTable(columns []string, widths []float32, rows func() int, cell func(row, col int) string, selected func(row int)) *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return rows(), len(columns) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(cell(id.Row, id.Col)) },
	)
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(columns[id.Col])
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	t.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < rows() {
			selected(id.Row)
		}
	}
	return t
}

// CreateRenderer is part of fyne.Widget.
func (t *TopTable) CreateRenderer() fyne.WidgetRenderer {
	bar := container.NewBorder(nil, nil, nil, t.sortBy, t.filter)
	return widget.NewSimpleRenderer(container.NewBorder(bar, nil, nil, nil, t.table))
}
