package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
)

// Details lists the selected function's callers and callees with the value
// that flows through each call.
type Details struct {
	widget.BaseWidget

	// OnSelect is called with the function of a row the user clicks.
	OnSelect func(f model.FuncID)

	title *widget.Label
	list  *widget.List
	rows  []detailRow
}

type detailRow struct {
	text   string
	fn     model.FuncID
	header bool
}

// NewDetails returns an empty pane.
func NewDetails() *Details {
	d := &Details{title: widget.NewLabel("Select a frame to see its callers and callees.")}
	d.title.Wrapping = fyne.TextWrapWord
	d.title.TextStyle.Bold = true
	d.list = widget.NewList(
		func() int { return len(d.rows) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = d.rows[i].header
			l.SetText(d.rows[i].text)
		},
	)
	d.list.OnSelected = func(i widget.ListItemID) {
		r := d.rows[i]
		d.list.UnselectAll()
		if !r.header && r.fn != model.NoFunc && d.OnSelect != nil {
			d.OnSelect(r.fn)
		}
	}
	d.ExtendBaseWidget(d)
	return d
}

// Clear empties the pane.
func (d *Details) Clear() { d.ShowEdges(nil, model.FuncStat{}, nil, nil, nil) }

// ShowEdges lists callers and callees (from t.Neighbors) of the function
// of stat; a nil tree clears the pane.
func (d *Details) ShowEdges(t *model.Tree, stat model.FuncStat, callers, callees, yours []model.Edge) {
	d.rows = d.rows[:0]
	if t == nil {
		d.title.SetText("Select a frame to see its callers and callees.")
		d.list.Refresh()
		return
	}
	f, flat, cum := stat.Func, stat.Flat, stat.Cum
	unit := t.SampleType.Unit
	d.title.SetText(fmt.Sprintf("%s\nflat %s (%s) · cum %s (%s)", t.Funcs[f].Name,
		model.FormatValue(flat, unit), model.Percent(flat, t.AbsTotal), model.FormatValue(cum, unit), model.Percent(cum, t.AbsTotal)))
	add := func(title string, edges []model.Edge) {
		d.rows = append(d.rows, detailRow{text: fmt.Sprintf("%s (%d)", title, len(edges)), fn: model.NoFunc, header: true})
		for _, e := range edges {
			name := "root"
			if e.Func != model.NoFunc {
				name = t.Funcs[e.Func].Name
			}
			d.rows = append(d.rows, detailRow{
				text: fmt.Sprintf("%s  %s  %s", model.FormatValue(e.Value, unit), model.Percent(e.Value, t.AbsTotal), name),
				fn:   e.Func,
			})
		}
	}
	add("Callers", callers)
	add("Callees", callees)
	if len(yours) > 0 {
		add("Your nearest callers", yours) // where your code calls into it
	}
	d.list.Refresh()
}

// Rows is the text of the pane's rows, for tests.
func (d *Details) Rows() []string {
	out := make([]string, len(d.rows))
	for i, r := range d.rows {
		out[i] = r.text
	}
	return out
}

// CreateRenderer is part of fyne.Widget.
func (d *Details) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(d.title, nil, nil, nil, d.list))
}
