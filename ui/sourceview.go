package ui

import (
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// sourceRowKind is what a row of the source pane shows.
type sourceRowKind int

const (
	rowRoutine sourceRowKind = iota // a routine's file and totals
	rowNote                         // why a file's lines are not shown, or a warning
	rowLine                         // a source line with its values
	rowCall                         // a call made on the line above, with its cost
)

// sourceRow is one row of the source pane.
type sourceRow struct {
	kind    sourceRowKind
	text    string
	heat    float32 // 0..1: how hot the line is, for its tint
	dim     bool    // a line without samples
	routine int     // the routine's index in the listing
	line    model.LineCost
	callee  string // rowCall: the function called
}

// sourcePane shows a function's annotated source (pprof's list and
// weblist): every line of it with flat and cum beside it, or, comparing,
// BASE, NEW and the change; hot lines tinted by cost, lines with no
// samples dimmed, the calls made on a line listed under it with their
// cost. Tapping a line reports it (the window highlights its frames);
// tapping a call goes to the callee's source.
type sourcePane struct {
	box    *fyne.Container
	title  *widget.Label
	list   *widget.List
	editor *widget.Button
	folder *widget.Button

	listing  *session.Listing
	sources  *session.Sources
	rows     []sourceRow
	selected int // the row picked, -1 for none

	// onLine is called with a line picked; onCallee with a callee picked;
	// openEditor opens file at line; pickFolder asks for a folder to
	// find sources in; onClose hides the pane.
	onLine     func(r model.Routine, l model.LineCost)
	onCallee   func(function string)
	openEditor func(path string, line int64)
	pickFolder func()
	onClose    func()
}

func newSourcePane() *sourcePane {
	sp := &sourcePane{selected: -1}
	sp.title = widget.NewLabel("")
	sp.title.Truncation = fyne.TextTruncateEllipsis
	sp.list = widget.NewList(func() int { return len(sp.rows) }, sp.newRow, sp.updateRow)
	sp.list.OnSelected = sp.picked
	sp.editor = widget.NewButtonWithIcon("Open in editor", theme.DocumentIcon(), sp.openSelected)
	sp.folder = widget.NewButtonWithIcon("Source folder…", theme.FolderOpenIcon(), func() { sp.pickFolder() })
	closeButton := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { sp.onClose() })
	head := container.NewBorder(nil, nil, nil, container.NewHBox(sp.editor, sp.folder, closeButton), sp.title)
	sp.box = container.NewBorder(head, nil, nil, nil, sp.list)
	sp.box.Hide()
	return sp
}

// show lists l, its files read through sources.
func (sp *sourcePane) show(l *session.Listing, sources *session.Sources) {
	sp.listing, sp.sources, sp.selected = l, sources, -1
	sp.rows = sourceRows(l, sources)
	r := l.Routines[0]
	share := model.PprofPercent(r.Cum, l.Total)
	if l.Comparing {
		sp.title.SetText(fmt.Sprintf("%s — cum BASE %s, NEW %s (%s)", l.Function,
			model.PprofValue(r.OtherCum, l.Unit), model.PprofValue(r.Cum, l.Unit), signed(r.Cum-r.OtherCum, l.Unit)))
	} else {
		sp.title.SetText(fmt.Sprintf("%s — flat %s, cum %s, %s of total", l.Function,
			model.PprofValue(r.Flat, l.Unit), model.PprofValue(r.Cum, l.Unit), strings.TrimSpace(share)))
	}
	sp.list.UnselectAll()
	sp.list.Refresh()
	sp.list.ScrollToTop()
	sp.scrollToHottest()
	sp.box.Show()
}

// scrollToHottest brings the first routine's hottest line into view.
func (sp *sourcePane) scrollToHottest() {
	best, heat := -1, float32(0)
	for i, r := range sp.rows {
		if r.kind == rowLine && r.routine == 0 && r.heat > heat {
			best, heat = i, r.heat
		}
	}
	if best > 8 {
		sp.list.ScrollTo(best - 4)
	}
}

// signed formats a change with its sign: "+1.20s", "-300ms".
func signed(v int64, unit string) string {
	s := model.PprofValue(v, unit)
	if v > 0 {
		s = "+" + s
	}
	return s
}

// sourceRows lays a listing out as rows: per routine a title row, a note
// when its file cannot be read or changed since the profile, then its
// lines (pprof's span) with the calls made on each under it.
func sourceRows(l *session.Listing, sources *session.Sources) []sourceRow {
	var rows []sourceRow
	for ri, r := range l.Routines {
		rows = append(rows, sourceRow{kind: rowRoutine, routine: ri,
			text: fmt.Sprintf("%s  —  %s", r.File, valueColumns(l, r.Flat, r.Cum, r.OtherFlat, r.OtherCum))})
		f, err := sources.Find(r)
		if err != nil {
			rows = append(rows, sourceRow{kind: rowNote, routine: ri, text: err.Error() + " — choose its folder with Source folder…"})
		}
		if f != nil && f.Changed {
			rows = append(rows, sourceRow{kind: rowNote, routine: ri, text: "Changed since the profile was taken: " + f.Path + " — lines may not be the ones profiled"})
		}
		var maxCum int64
		for _, lc := range r.Lines {
			maxCum = max(maxCum, abs(lc.Cum), abs(lc.OtherCum))
		}
		first, last := r.Span()
		if f == nil {
			first, last = 0, -1
			for _, lc := range r.Lines { // no text: the lines with samples alone
				rows = appendLine(rows, l, ri, lc, "", maxCum)
			}
		}
		for n := first; n <= last && n <= int64(len(f.Lines)); n++ {
			rows = appendLine(rows, l, ri, r.Line(n), f.Lines[n-1], maxCum)
		}
	}
	return rows
}

func appendLine(rows []sourceRow, l *session.Listing, ri int, lc model.LineCost, text string, maxCum int64) []sourceRow {
	row := sourceRow{kind: rowLine, routine: ri, line: lc, dim: lc.Cum == 0 && lc.OtherCum == 0,
		text: fmt.Sprintf("%s %6d  %s", valueColumns(l, lc.Flat, lc.Cum, lc.OtherFlat, lc.OtherCum), lc.Line, strings.ReplaceAll(text, "\t", "    "))}
	if maxCum > 0 {
		row.heat = float32(max(abs(lc.Cum), abs(lc.OtherCum))) / float32(maxCum)
	}
	rows = append(rows, row)
	for _, c := range lc.Calls {
		what := "calls"
		if c.Inlined {
			what = "inlined"
		}
		value := model.PprofValue(c.Value, l.Unit)
		if l.Comparing {
			value = fmt.Sprintf("BASE %s, NEW %s", model.PprofValue(c.Other, l.Unit), value)
		}
		rows = append(rows, sourceRow{kind: rowCall, routine: ri, line: lc, callee: c.Function,
			text: fmt.Sprintf("%s        ↳ %s %s  %s", strings.Repeat(" ", len(valueColumns(l, 0, 0, 0, 0))), what, c.Function, value)})
	}
	return rows
}

// valueColumns are a line's values as the pane prints them: flat and cum,
// or comparing, BASE's cum, NEW's cum and the change; "." for none.
func valueColumns(l *session.Listing, flat, cum, otherFlat, otherCum int64) string {
	dot := func(v int64) string {
		if v == 0 {
			return "."
		}
		return model.PprofValue(v, l.Unit)
	}
	if l.Comparing {
		change := "."
		if cum != otherCum {
			change = signed(cum-otherCum, l.Unit)
		}
		return fmt.Sprintf("%9s %9s %9s", dot(otherCum), dot(cum), change)
	}
	return fmt.Sprintf("%9s %9s", dot(flat), dot(cum))
}

// newRow is a row as compact as the text: a tint behind one line of
// monospace text (a label's padding would show half as many lines).
func (sp *sourcePane) newRow() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	text.TextStyle.Monospace = true
	return container.NewStack(bg, text)
}

func (sp *sourcePane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(sp.rows) {
		return
	}
	row := sp.rows[i]
	c := o.(*fyne.Container)
	bg, text := c.Objects[0].(*canvas.Rectangle), c.Objects[1].(*canvas.Text)
	text.Color = theme.Color(theme.ColorNameForeground)
	text.TextStyle.Bold = false
	bg.FillColor = color.Transparent
	switch row.kind {
	case rowRoutine:
		text.TextStyle.Bold = true
	case rowNote:
		text.Color = theme.Color(theme.ColorNameWarning)
	case rowCall:
		text.Color = theme.Color(theme.ColorNamePrimary)
	case rowLine:
		if row.dim {
			text.Color = theme.Color(theme.ColorNameDisabled)
		}
		if row.heat > 0 {
			bg.FillColor = heatColor(row.heat)
		}
	}
	text.Text = " " + row.text
	text.Refresh()
	bg.Refresh()
}

// heatColor tints a line by its share of the routine's hottest line.
func heatColor(heat float32) color.Color {
	return color.NRGBA{R: 0xf0, G: 0x60, B: 0x20, A: uint8(24 + 140*min(heat, 1))}
}

func (sp *sourcePane) picked(i widget.ListItemID) {
	if i >= len(sp.rows) {
		return
	}
	sp.selected = i
	row := sp.rows[i]
	switch row.kind {
	case rowCall:
		sp.onCallee(row.callee)
	case rowLine:
		sp.onLine(sp.listing.Routines[row.routine], row.line)
	}
}

// openSelected opens the line picked (or the function's first line) in
// the user's editor.
func (sp *sourcePane) openSelected() {
	if sp.listing == nil {
		return
	}
	r, line := sp.listing.Routines[0], int64(0)
	if sp.selected >= 0 && sp.selected < len(sp.rows) {
		row := sp.rows[sp.selected]
		r, line = sp.listing.Routines[row.routine], row.line.Line
	}
	if line == 0 {
		line = r.StartLine
	}
	f, err := sp.sources.Find(r)
	path := filepath.FromSlash(r.File)
	if err == nil {
		path = f.Path
	}
	sp.openEditor(path, line)
}
