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

// filterStack is the window's filter stack, a part of its own: the steps a
// view is derived with, a chip for each (its × removes that step), and
// the bar where a pprof filter is typed. It reports a changed stack
// through onChange and knows nothing else of the window.
type filterStack struct {
	steps []session.Step
	chips *fyne.Container
	bar   *filterBar
	// check says what is wrong with a typed filter for the open profile.
	check    func(model.Filters) error
	onChange func(steps []session.Step)
}

// filterBar is where a pprof filter is typed: its kind, a regexp, and a
// line that says what is wrong with a bad one.
type filterBar struct {
	kind  *widget.Select
	entry *widget.Entry
	add   *widget.Button
	err   *widget.Label
	box   fyne.CanvasObject
}

// newFilterStack makes an empty stack; showTags opens the profile's labels
// from the bar.
func newFilterStack(check func(model.Filters) error, onChange func([]session.Step), showTags func()) *filterStack {
	fs := &filterStack{chips: container.New(&flowLayout{}), check: check, onChange: onChange}
	fb := &filterBar{
		kind:  widget.NewSelect(model.FilterNames, nil),
		entry: widget.NewEntry(),
		err:   widget.NewLabel(""),
	}
	fb.kind.SetSelected("focus")
	fb.entry.SetPlaceHolder("regexp, as pprof's -focus, -hide, …")
	fb.entry.OnSubmitted = func(string) { fs.addTyped() }
	fb.add = widget.NewButtonWithIcon("Filter", theme.ContentAddIcon(), fs.addTyped)
	fb.err.Importance = widget.DangerImportance
	fb.err.Hide()
	tags := widget.NewButton("Tags…", showTags)
	fb.box = container.NewVBox(container.NewBorder(nil, nil, fb.kind, container.NewHBox(fb.add, tags), fb.entry), fb.err)
	fb.box.Hide()
	fs.bar = fb
	return fs
}

// Steps are the steps on the stack, bottom first.
func (fs *filterStack) Steps() []session.Step { return slices.Clone(fs.steps) }

// show makes steps the stack without reporting it: a view derived from
// them is already shown (or a step that failed is taken back).
func (fs *filterStack) show(steps []session.Step) {
	fs.steps = slices.Clone(steps)
	fs.chips.Objects = nil
	for i, st := range fs.steps {
		chip := widget.NewButtonWithIcon(st.Label(), theme.CancelIcon(), func() { fs.remove(i) })
		chip.IconPlacement = widget.ButtonIconTrailingText
		fs.chips.Objects = append(fs.chips.Objects, chip)
	}
	if len(fs.steps) > 0 {
		fs.chips.Objects = append(fs.chips.Objects, widget.NewLabel("Ctrl+Z undoes the last"))
	}
	fs.chips.Refresh()
}

// replace makes steps the stack and reports it.
func (fs *filterStack) replace(steps []session.Step) {
	fs.show(steps)
	fs.onChange(fs.Steps())
}

// add pushes a step on the stack; a sandwich replaces the one before.
func (fs *filterStack) add(st session.Step) {
	steps := slices.DeleteFunc(fs.Steps(), func(old session.Step) bool {
		return st.Kind == session.StepSandwich && old.Kind == session.StepSandwich // one sandwich at a time
	})
	fs.replace(append(steps, st))
}

// remove removes the i-th step.
func (fs *filterStack) remove(i int) {
	if i < 0 || i >= len(fs.steps) {
		return
	}
	fs.replace(slices.Delete(fs.Steps(), i, i+1))
}

// undo removes the last step (Ctrl+Z).
func (fs *filterStack) undo() { fs.remove(len(fs.steps) - 1) }

// toggleBar opens or closes the bar where filters are typed; an opened
// bar's entry takes the keyboard on canvas c.
func (fs *filterStack) toggleBar(c fyne.Canvas) {
	if fs.bar.box.Visible() {
		fs.bar.box.Hide()
		return
	}
	fs.bar.box.Show()
	c.Focus(fs.bar.entry)
}

// addTyped adds the filter typed in the bar, or says why not.
func (fs *filterStack) addTyped() {
	fb := fs.bar
	if strings.TrimSpace(fb.entry.Text) == "" {
		return
	}
	var f model.Filters
	*f.Field(fb.kind.Selected) = fb.entry.Text
	if err := fs.check(f); err != nil {
		fb.err.SetText(err.Error())
		fb.err.Show()
		return
	}
	fb.err.Hide()
	fb.entry.SetText("")
	fs.add(session.Step{Kind: session.StepFilter, Filter: f})
}
