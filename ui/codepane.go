package ui

import (
	"errors"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/disasm"
	"github.com/flamelens/flamelens/listing"
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
	rowInst                         // a machine instruction with its values
	rowHeader                       // what the columns below are
)

// sourceRow is one row of the source pane.
type sourceRow struct {
	kind    sourceRowKind
	text    string
	heat    float32 // 0..1: how hot the line is, for its tint
	dim     bool    // a line without samples
	routine int     // the routine's index in the listing
	line    listing.LineCost
	callee  string // rowCall: the function called
}

// paneMode is what the source pane shows of a function.
type paneMode int

const (
	modeSource paneMode = iota // its source lines
	modeAsm                    // its machine code, under the source lines it comes from
)

// codePane shows a function's annotated source (pprof's list and
// weblist): every line of it with flat and cum beside it, or, comparing,
// BASE, NEW and the change; hot lines tinted by cost, lines with no
// samples dimmed, the calls made on a line listed under it with their
// cost. Tapping a line reports it (the window highlights its frames);
// tapping a call goes to the callee's source.
type codePane struct {
	box     *fyne.Container
	title   *widget.Label
	list    *widget.List
	editor  *widget.Button
	folder  *widget.Button
	toggle  *widget.Button // to the machine code, or back to the source
	program *widget.Button

	split *container.Split // the graphs over the pane, if in one

	mode     paneMode
	function string // the function shown
	listing  *session.Listing
	asm      *session.AsmListing // in modeAsm; nil when the code could not be shown
	sources  *session.Sources
	rows     []sourceRow
	selected int // the row picked, -1 for none

	// onLine is called with a line picked; onCallee with a callee picked;
	// openEditor opens file at line; pickFolder asks for a folder to
	// find sources in; onClose hides the pane.
	onLine     func(r listing.Routine, l listing.LineCost)
	onCallee   func(function string)
	openEditor func(path string, line int64)
	pickFolder func()
	onClose    func()
	// onMode asks for function's source or machine code; pickProgram
	// asks for the profiled program.
	onMode      func(function string, m paneMode)
	pickProgram func()
}

func newCodePane() *codePane {
	sp := &codePane{selected: -1}
	sp.title = widget.NewLabel("")
	sp.title.Truncation = fyne.TextTruncateEllipsis
	sp.list = widget.NewList(func() int { return len(sp.rows) }, sp.newRow, sp.updateRow)
	sp.list.OnSelected = sp.picked
	sp.editor = widget.NewButtonWithIcon("Editor", theme.DocumentIcon(), sp.openSelected)
	sp.folder = widget.NewButtonWithIcon("Sources…", theme.FolderOpenIcon(), func() { sp.pickFolder() })
	sp.toggle = widget.NewButton("Machine code", func() {
		if sp.mode == modeSource {
			sp.onMode(sp.function, modeAsm)
		} else {
			sp.onMode(sp.function, modeSource)
		}
	})
	sp.program = widget.NewButtonWithIcon("Program…", theme.FileApplicationIcon(), func() { sp.pickProgram() })
	sp.program.Hide()
	closeButton := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { sp.onClose() })
	// The title has a row of its own: beside the buttons, a narrow window
	// would leave it a few letters.
	head := container.NewVBox(container.NewBorder(nil, nil, nil, closeButton, sp.title),
		container.NewHBox(sp.toggle, sp.program, sp.editor, sp.folder))
	sp.box = container.NewBorder(head, nil, nil, nil, sp.list)
	sp.box.Hide()
	return sp
}

// show lists l, its files read through sources.
func (sp *codePane) show(l *session.Listing, sources *session.Sources) {
	sp.setMode(modeSource, l.Function)
	sp.listing, sp.asm, sp.sources = l, nil, sources
	sp.rows = sourceRows(l, sources)
	r := l.Routines[0]
	sp.title.SetText(l.Function + " — " + headline(columnsOf(l.Unit, l.Comparing), r.Flat, r.Cum, r.OtherFlat, r.OtherCum, l.Total))
	sp.refresh()
}

// showAsm shows a's machine code, under the source lines it comes from.
func (sp *codePane) showAsm(a *session.AsmListing, sources *session.Sources) {
	sp.setMode(modeAsm, a.Function)
	sp.asm, sp.sources = a, sources
	sp.rows = asmRows(a, sources)
	var r disasm.AsmRoutine
	for _, x := range a.Routines {
		r.Flat, r.Cum, r.OtherFlat, r.OtherCum = r.Flat+x.Flat, r.Cum+x.Cum, r.OtherFlat+x.OtherFlat, r.OtherCum+x.OtherCum
	}
	sp.title.SetText(a.Function + " (machine code) — " + headline(columnsOf(a.Unit, a.Comparing), r.Flat, r.Cum, r.OtherFlat, r.OtherCum, a.Total))
	sp.refresh()
}

// showAsmError says why function's machine code cannot be shown, with
// what the user can do.
func (sp *codePane) showAsmError(function string, err error) {
	sp.setMode(modeAsm, function)
	sp.asm = nil
	sp.title.SetText(function + " (machine code)")
	sp.rows = noteRows(0, err.Error())
	if errors.Is(err, session.ErrNoProgram) || strings.Contains(err.Error(), "is not the program profiled") {
		sp.rows = append(sp.rows, sourceRow{kind: rowNote, text: "Choose the program that was profiled with Program…"})
	}
	sp.refresh()
}

// noteRows are rows saying text, a long message cut where a pane reads it
// without scrolling sideways: at each "; ", and a list of places looked
// in one place a row.
func noteRows(routine int, text string) []sourceRow {
	var rows []sourceRow
	advice := ""
	if i := strings.LastIndex(text, " — "); i > 0 { // what to do, on a row of its own
		text, advice = text[:i], text[i+len(" — "):]
	}
	for i, part := range strings.Split(text, "; ") {
		indent := ""
		if i > 0 {
			indent = "  "
		}
		before, places, ok := strings.Cut(part, "looked in ")
		if !ok {
			rows = append(rows, sourceRow{kind: rowNote, routine: routine, text: indent + part})
			continue
		}
		if before = strings.TrimSpace(before); before != "" {
			rows = append(rows, sourceRow{kind: rowNote, routine: routine, text: indent + before})
		}
		rows = append(rows, sourceRow{kind: rowNote, routine: routine, text: indent + "looked in:"})
		for _, p := range strings.Split(places, ", ") {
			rows = append(rows, sourceRow{kind: rowNote, routine: routine, text: indent + "    " + p})
		}
	}
	if advice != "" {
		rows = append(rows, sourceRow{kind: rowNote, routine: routine, text: advice})
	}
	return rows
}

// setMode shows the buttons of mode m for function.
func (sp *codePane) setMode(m paneMode, function string) {
	sp.mode, sp.function, sp.selected = m, function, -1
	if m == modeAsm {
		sp.toggle.SetText("Source")
		sp.program.Show()
	} else {
		sp.toggle.SetText("Machine code")
		sp.program.Hide()
	}
}

func (sp *codePane) refresh() {
	sp.list.UnselectAll()
	sp.list.Refresh()
	sp.list.ScrollToTop()
	sp.scrollToHottest()
	if sp.box.Visible() {
		return
	}
	sp.box.Show()
	if sp.split != nil {
		sp.split.SetOffset(0.4) // opening: the listing is what is read now; laid out again with the pane
	}
}

// hide closes the pane, and the graphs over it take its room at once.
func (sp *codePane) hide() {
	if !sp.box.Visible() {
		return
	}
	sp.box.Hide()
	if sp.split != nil {
		sp.split.Refresh() // a hidden part is not laid out again by itself
	}
}

// headline is a function's totals: flat, cum and share of the total, or
// comparing, BASE's and NEW's cum and the change.
func headline(c columns, flat, cum, otherFlat, otherCum, total int64) string {
	if c.comparing {
		return fmt.Sprintf("cum BASE %s, NEW %s (%s)", model.PprofValue(otherCum, c.unit), model.PprofValue(cum, c.unit), signed(cum-otherCum, c.unit))
	}
	return fmt.Sprintf("flat %s, cum %s, %s of total", model.PprofValue(flat, c.unit), model.PprofValue(cum, c.unit), strings.TrimSpace(model.PprofPercent(cum, total)))
}

// scrollToHottest brings the first routine's hottest line into view.
func (sp *codePane) scrollToHottest() {
	best, heat := -1, float32(0)
	for i, r := range sp.rows {
		if (r.kind == rowLine || r.kind == rowInst) && r.routine == 0 && r.heat > heat {
			best, heat = i, r.heat
		}
	}
	if best < 0 {
		return
	}
	// A hot instruction is read under its source line: that line first.
	top := max(best-4, 0)
	for i := best; i >= 0 && i > best-5; i-- {
		if sp.rows[i].kind == rowLine && sp.mode == modeAsm {
			top = i
			break
		}
	}
	sp.list.ScrollTo(min(best+3, len(sp.rows)-1)) // below: brought to the bottom
	sp.list.ScrollTo(top)                         // above it: brought to the top
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
			rows = append(rows, noteRows(ri, err.Error()+" — choose its folder with Sources…")...)
		}
		if f != nil && f.Changed {
			rows = append(rows, sourceRow{kind: rowNote, routine: ri, text: "Changed since the profile was taken: " + f.Path + " — lines may not be the ones profiled"})
		}
		rows = append(rows, sourceRow{kind: rowHeader, routine: ri, text: columnsOf(l.Unit, l.Comparing).header() + "   line  source"})
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

func appendLine(rows []sourceRow, l *session.Listing, ri int, lc listing.LineCost, text string, maxCum int64) []sourceRow {
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
			text: fmt.Sprintf("%s        ↳ %s %s  %s", strings.Repeat(" ", len(columnsOf(l.Unit, l.Comparing).header())), what, c.Function, value)})
	}
	return rows
}

// columns say how values are printed: in what unit, and whether as a
// comparison's BASE, NEW and change.
type columns struct {
	unit      string
	comparing bool
}

func columnsOf(unit string, comparing bool) columns { return columns{unit, comparing} }

// valueColumns are a line's values as the pane prints them: flat and cum,
// or comparing, BASE's cum, NEW's cum and the change; "." for none.
func valueColumns(l *session.Listing, flat, cum, otherFlat, otherCum int64) string {
	return columnsOf(l.Unit, l.Comparing).values(flat, cum, otherFlat, otherCum)
}

// header names the value columns.
func (c columns) header() string {
	if c.comparing {
		return fmt.Sprintf("%9s %9s %9s", "BASE", "NEW", "change")
	}
	return fmt.Sprintf("%9s %9s", "flat", "cum")
}

func (c columns) values(flat, cum, otherFlat, otherCum int64) string {
	dot := func(v int64) string {
		if v == 0 {
			return "."
		}
		return model.PprofValue(v, c.unit)
	}
	if c.comparing {
		change := "."
		if cum != otherCum {
			change = signed(cum-otherCum, c.unit)
		}
		return fmt.Sprintf("%9s %9s %9s", dot(otherCum), dot(cum), change)
	}
	return fmt.Sprintf("%9s %9s", dot(flat), dot(cum))
}

// asmRows lays machine code out as rows: per routine a title row, then
// per run of instructions from one source line that line (its text when
// the file is found) with the run's summed values, then the run's
// instructions with theirs.
func asmRows(a *session.AsmListing, sources *session.Sources) []sourceRow {
	c := columnsOf(a.Unit, a.Comparing)
	var rows []sourceRow
	for ri, r := range a.Routines {
		rows = append(rows, sourceRow{kind: rowRoutine, routine: ri,
			text: fmt.Sprintf("%s  —  %s  (%s)", r.Symbol.Name, c.values(r.Flat, r.Cum, r.OtherFlat, r.OtherCum), filepath.Base(a.Program))},
			sourceRow{kind: rowHeader, routine: ri, text: c.header() + "  source line / address  instruction"})
		var maxCum int64
		for _, in := range r.Insts {
			maxCum = max(maxCum, abs(in.Cum), abs(in.OtherCum))
		}
		heat := func(cum, other int64) float32 {
			if maxCum == 0 {
				return 0
			}
			return float32(max(abs(cum), abs(other))) / float32(maxCum)
		}
		for start := 0; start < len(r.Insts); {
			end := start + 1
			for end < len(r.Insts) && r.Insts[end].Path == r.Insts[start].Path && r.Insts[end].Line == r.Insts[start].Line {
				end++
			}
			first := r.Insts[start]
			lc := listing.LineCost{Line: int64(first.Line)}
			for _, in := range r.Insts[start:end] {
				lc.Flat, lc.Cum, lc.OtherFlat, lc.OtherCum = lc.Flat+in.Flat, lc.Cum+in.Cum, lc.OtherFlat+in.OtherFlat, lc.OtherCum+in.OtherCum
			}
			where := first.File
			if first.Line != 0 {
				where += fmt.Sprintf(":%d", first.Line)
			}
			if text := sourceLine(sources, a.Function, first.Path, first.Line); text != "" {
				where += "  " + text
			}
			rows = append(rows, sourceRow{kind: rowLine, routine: ri, line: lc, dim: lc.Cum == 0 && lc.OtherCum == 0,
				text: fmt.Sprintf("%s  %s", c.values(lc.Flat, lc.Cum, lc.OtherFlat, lc.OtherCum), where)})
			for _, in := range r.Insts[start:end] {
				rows = append(rows, sourceRow{kind: rowInst, routine: ri, line: lc, heat: heat(in.Cum, in.OtherCum), dim: in.Cum == 0 && in.OtherCum == 0,
					text: fmt.Sprintf("%s  %x  %s", c.values(in.Flat, in.Cum, in.OtherFlat, in.OtherCum), in.Addr, in.Text)})
			}
			start = end
		}
	}
	return rows
}

// sourceLine is line n of the file at path, tabs widened and space
// trimmed, or "" when the file is not found.
func sourceLine(sources *session.Sources, function, path string, n int) string {
	if path == "" || n <= 0 {
		return ""
	}
	f, err := sources.Find(listing.Routine{Function: function, File: path, Path: path})
	if err != nil || n > len(f.Lines) {
		return ""
	}
	return strings.TrimSpace(strings.ReplaceAll(f.Lines[n-1], "\t", "    "))
}

// newRow is a row as compact as the text: a tint behind one line of
// monospace text (a label's padding would show half as many lines).
func (sp *codePane) newRow() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	text.TextStyle.Monospace = true
	return container.NewStack(bg, text)
}

func (sp *codePane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
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
	case rowHeader:
		text.Color = theme.Color(theme.ColorNamePlaceHolder)
	case rowCall:
		text.Color = theme.Color(theme.ColorNamePrimary)
	case rowLine, rowInst:
		if row.dim {
			text.Color = theme.Color(theme.ColorNameDisabled)
		}
		if row.heat > 0 {
			bg.FillColor = heatColor(row.heat)
		}
		if row.kind == rowLine && sp.mode == modeAsm {
			text.TextStyle.Bold = true // a source line over its instructions
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

func (sp *codePane) picked(i widget.ListItemID) {
	if i >= len(sp.rows) {
		return
	}
	sp.selected = i
	row := sp.rows[i]
	switch row.kind {
	case rowCall:
		sp.onCallee(row.callee)
	case rowLine, rowInst:
		sp.onLine(sp.routineOf(row), row.line)
	}
}

// routineOf is the source routine a row is of: the listing's, or in
// machine code, one for the function and the row's file.
func (sp *codePane) routineOf(row sourceRow) listing.Routine {
	if sp.mode == modeSource {
		return sp.listing.Routines[row.routine]
	}
	r := listing.Routine{Function: sp.function}
	for _, in := range sp.asm.Routines[row.routine].Insts {
		if in.Line == int(row.line.Line) {
			r.File, r.Path = in.Path, in.Path
			break
		}
	}
	return r
}

// openSelected opens the line picked (or the function's first line) in
// the user's editor.
func (sp *codePane) openSelected() {
	if sp.mode == modeSource && sp.listing == nil || sp.mode == modeAsm && sp.asm == nil {
		return
	}
	var r listing.Routine
	line := int64(0)
	switch {
	case sp.selected >= 0 && sp.selected < len(sp.rows):
		row := sp.rows[sp.selected]
		r, line = sp.routineOf(row), row.line.Line
	case sp.mode == modeSource:
		r = sp.listing.Routines[0]
	default:
		r = sp.routineOf(sp.rows[min(1, len(sp.rows)-1)])
	}
	if r.File == "" {
		return
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
