package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// updateChips shows one chip per step; its × removes that step.
func (w *MainWindow) updateChips() {
	w.chips.Objects = nil
	for i, st := range w.steps {
		chip := widget.NewButtonWithIcon(st.Label(), theme.CancelIcon(), func() { w.removeStep(i) })
		chip.IconPlacement = widget.ButtonIconTrailingText
		w.chips.Objects = append(w.chips.Objects, chip)
	}
	if len(w.steps) > 0 {
		w.chips.Objects = append(w.chips.Objects, widget.NewLabel("Ctrl+Z undoes the last"))
	}
	w.chips.Refresh()
}

// addStep pushes a step on the filter stack and rebuilds the view.
func (w *MainWindow) addStep(st session.Step) {
	steps := slices.DeleteFunc(slices.Clone(w.steps), func(old session.Step) bool {
		return st.Kind == session.StepSandwich && old.Kind == session.StepSandwich // one sandwich at a time
	})
	w.setSteps(append(steps, st))
}

// removeStep removes the i-th step.
func (w *MainWindow) removeStep(i int) {
	if i < 0 || i >= len(w.steps) {
		return
	}
	w.setSteps(slices.Delete(slices.Clone(w.steps), i, i+1))
}

// Undo removes the last step (Ctrl+Z).
func (w *MainWindow) Undo() { w.removeStep(len(w.steps) - 1) }

// filterBar is where a pprof filter is typed: its kind, a regexp, and a
// line that says what is wrong with a bad one.
type filterBar struct {
	kind  *widget.Select
	entry *widget.Entry
	add   *widget.Button
	err   *widget.Label
	box   fyne.CanvasObject
}

func (w *MainWindow) newFilterBar() *filterBar {
	fb := &filterBar{
		kind:  widget.NewSelect(model.FilterNames, nil),
		entry: widget.NewEntry(),
		err:   widget.NewLabel(""),
	}
	fb.kind.SetSelected("focus")
	fb.entry.SetPlaceHolder("regexp, as pprof's -focus, -hide, …")
	fb.entry.OnSubmitted = func(string) { w.addTypedFilter() }
	fb.add = widget.NewButtonWithIcon("Filter", theme.ContentAddIcon(), w.addTypedFilter)
	fb.err.Importance = widget.DangerImportance
	fb.err.Hide()
	tags := widget.NewButton("Tags…", w.showTags)
	fb.box = container.NewVBox(container.NewBorder(nil, nil, fb.kind, container.NewHBox(fb.add, tags), fb.entry), fb.err)
	return fb
}

// addTypedFilter adds the filter typed in the filter bar, or says why not.
func (w *MainWindow) addTypedFilter() {
	fb := w.filterBar
	if w.info == nil || strings.TrimSpace(fb.entry.Text) == "" {
		return
	}
	var f model.Filters
	*f.Field(fb.kind.Selected) = fb.entry.Text
	if err := w.info.CheckFilters(f); err != nil {
		fb.err.SetText(err.Error())
		fb.err.Show()
		return
	}
	fb.err.Hide()
	fb.entry.SetText("")
	w.addStep(session.Step{Kind: session.StepFilter, Filter: f})
}
