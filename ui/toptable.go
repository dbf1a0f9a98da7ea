package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
)

// topColumns are the columns of the function table, as in pprof -top.
var topColumns = []string{"flat", "flat%", "cum", "cum%", "name"}

// TopTable is the function table: one row per function, sorted as
// go tool pprof -top sorts them.
type TopTable struct {
	widget.Table
	rows  []model.FuncStat
	total int64
	unit  string
}

// NewTopTable returns an empty table; SetTree fills it.
func NewTopTable() *TopTable {
	t := &TopTable{}
	t.Length = func() (int, int) { return len(t.rows), len(topColumns) }
	t.CreateCell = func() fyne.CanvasObject { return widget.NewLabel("") }
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(t.cell(id.Row, id.Col))
	}
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(topColumns[id.Col])
		}
	}
	t.ExtendBaseWidget(t)
	for i, w := range []float32{90, 70, 90, 70, 700} {
		t.SetColumnWidth(i, w)
	}
	return t
}

// SetTree shows the functions of tree.
func (t *TopTable) SetTree(tree *model.Tree) {
	t.rows = tree.Functions()
	model.SortByFlat(t.rows)
	t.total, t.unit = tree.AbsTotal, tree.SampleType.Unit
	t.Refresh()
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
