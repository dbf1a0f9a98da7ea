// Package ui is flamelens's window: Fyne widgets over the model and the
// renderer. It is the only package that imports fyne; it does not import
// fyne's app package, so it is tested headless with fyne.io/fyne/v2/test.
package ui

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
)

// Options are what the command line passes to the window.
type Options struct {
	// Source is the path to open; "" opens the embedded sample profile.
	Source string
	// SampleIndex selects the sample type as -sample_index does; "" for the default.
	SampleIndex string
}

// stepKind is a way of deriving a view from the profile's stacks.
type stepKind int

const (
	stepFocus    stepKind = iota // only stacks through a function, from it on
	stepHide                     // a function's frames removed
	stepSandwich                 // a function's callers above, callees below
)

// viewStep is one transform of the view, shown as a chip that undoes it.
type viewStep struct {
	kind stepKind
	fn   model.FuncID
}

// derived is what the background derivation hands back to the UI.
type derived struct {
	main    *model.Tree // the graph's tree (for a sandwich: the callees)
	callers *model.Tree // the sandwich's callers tree, else nil
	// detail is the tree whose callers and callees the details pane lists:
	// main, except in a sandwich, where it is the whole (unfocused) view.
	detail *model.Tree
	stats  []model.FuncStat     // detail's function table
	byFunc map[model.FuncID]int // index into stats
	table  []model.FuncStat     // main's function table
}

// MainWindow is one flamelens window showing one profile.
type MainWindow struct {
	app fyne.App
	win fyne.Window

	header      *widget.Label
	typeSelect  *widget.Select
	flameToggle *widget.Check
	invertCheck *widget.Check
	backButton  *widget.Button
	fwdButton   *widget.Button
	chips       *fyne.Container
	progress    *widget.ProgressBarInfinite
	status      *widget.Label
	graph       *FlameGraph
	callers     *FlameGraph // the sandwich's upper half
	graphArea   *fyne.Container
	table       *TopTable
	details     *Details

	// do runs a background result on the UI goroutine: fyne.Do, or in
	// tests a queue that wait drains on the test's goroutine.
	do    func(func())
	queue *uiQueue

	mu         sync.Mutex // guards gen and detailsGen; the rest is touched on the UI goroutine only
	gen        uint64     // bumped by each load or derivation; older results are dropped
	detailsGen uint64     // bumped by each details request
	inflight   sync.WaitGroup

	profile  *model.Profile
	base     *model.Tree // the profile's tree for the chosen sample type
	steps    []viewStep
	inverted bool
	view     derived
}

// NewMainWindow creates the window and starts loading opts.Source in the
// background. Call ShowAndRun (or Show) on Window() to display it.
func NewMainWindow(a fyne.App, opts Options) *MainWindow {
	return newMainWindow(a, opts, nil)
}

// newMainWindow delivers background results through queue when it is not
// nil (tests), else through fyne.Do.
func newMainWindow(a fyne.App, opts Options, queue *uiQueue) *MainWindow {
	w := &MainWindow{app: a, win: a.NewWindow("flamelens"), do: fyne.Do, queue: queue}
	if queue != nil {
		w.do = queue.add
	}
	w.build()
	w.Open(opts.Source, opts.SampleIndex)
	return w
}

// uiQueue holds results of background work until the test's goroutine,
// standing in for the UI goroutine, runs them.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) add(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

// run runs what is queued and reports whether there was anything.
func (q *uiQueue) run() bool {
	q.mu.Lock()
	fns := q.fns
	q.fns = nil
	q.mu.Unlock()
	for _, f := range fns {
		f()
	}
	return len(fns) > 0
}

func (w *MainWindow) build() {
	w.header = widget.NewLabel("")
	w.header.Wrapping = fyne.TextWrapWord
	w.typeSelect = widget.NewSelect(nil, w.selectSampleType)
	w.typeSelect.PlaceHolder = "sample type"
	w.flameToggle = widget.NewCheck("Root at bottom", func(on bool) {
		o := render.Icicle
		if on {
			o = render.Flame
		}
		w.graph.SetOrientation(o)
	})
	w.invertCheck = widget.NewCheck("Inverted (bottom-up)", func(on bool) {
		if on != w.inverted {
			w.inverted = on
			w.derive()
		}
	})
	w.backButton = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { w.graph.Back() })
	w.fwdButton = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { w.graph.Forward() })
	reset := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), func() { w.graph.ZoomOut() })
	w.chips = container.NewHBox()
	w.progress = widget.NewProgressBarInfinite()
	w.progress.Hide()
	w.status = widget.NewLabel("")
	w.status.Truncation = fyne.TextTruncateEllipsis

	w.graph = NewFlameGraph()
	w.graph.OnSelect = w.frameSelected
	w.graph.OnZoom = func(model.NodeID) { w.updateHeader() }
	w.graph.OnMenu = func(n model.NodeID) []*fyne.MenuItem { return w.frameMenu(w.graph, n) }
	w.callers = NewFlameGraph()
	w.callers.SetOrientation(render.Flame)
	w.callers.OnSelect = func(n model.NodeID) { w.frameSelectedIn(w.callers, n) }
	w.callers.OnMenu = func(n model.NodeID) []*fyne.MenuItem { return w.frameMenu(w.callers, n) }
	w.graphArea = container.NewStack(w.graph)

	w.table = NewTopTable()
	w.table.OnSelect = w.highlightFunc
	w.details = NewDetails()
	w.details.OnSelect = w.highlightFunc

	tools := container.NewHBox(w.backButton, w.fwdButton, reset, widget.NewSeparator(), w.flameToggle, w.invertCheck, w.typeSelect)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, tools, w.header), w.chips)
	side := container.NewVSplit(w.table, w.details)
	side.Offset = 0.62
	split := container.NewHSplit(w.graphArea, side)
	split.Offset = 0.68
	bottom := container.NewStack(w.status, w.progress)
	w.win.SetContent(container.NewBorder(top, bottom, nil, nil, split))

	w.win.SetMainMenu(w.mainMenu())
	w.addShortcuts()
	w.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		if len(uris) > 0 {
			w.Open(uris[0].Path(), "")
		}
	})
	w.app.Settings().AddListener(func(fyne.Settings) {
		fyne.Do(func() {
			w.graph.SetTheme(currentTheme())
			w.callers.SetTheme(currentTheme())
		})
	})
	w.win.Resize(fyne.NewSize(1400, 860))
}

func (w *MainWindow) addShortcuts() {
	c := w.win.Canvas()
	add := func(key fyne.KeyName, mod fyne.KeyModifier, f func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod}, func(fyne.Shortcut) { f() })
	}
	add(fyne.KeyO, fyne.KeyModifierShortcutDefault, w.showOpenDialog)
	add(fyne.KeyE, fyne.KeyModifierShortcutDefault, w.showExportDialog)
	add(fyne.KeyLeft, fyne.KeyModifierAlt, func() { w.graph.Back() })
	add(fyne.KeyRight, fyne.KeyModifierAlt, func() { w.graph.Forward() })
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			w.graph.TypedKey(ev)
		}
	})
}

// Window is the Fyne window, for Show/ShowAndRun.
func (w *MainWindow) Window() fyne.Window { return w.win }

// Open loads path ("" for the embedded sample) in the background. The
// profile already shown stays until the new one has loaded; on failure an
// error dialog says why and the old profile is kept.
func (w *MainWindow) Open(path, sampleIndex string) {
	gen := w.nextGen()
	name := path
	if path == "" {
		name = assets.SampleName
	}
	w.busy("Loading " + name + "…")
	w.inflight.Add(1)
	go func() {
		defer w.inflight.Done()
		start := time.Now()
		p, t, err := load(path, sampleIndex)
		var d derived
		if err == nil {
			d = deriveView(t, nil, false)
		}
		w.do(func() {
			if !w.current(gen) {
				return
			}
			w.idle("")
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			w.profile, w.base, w.steps, w.inverted = p, t, nil, false
			w.invertCheck.SetChecked(false)
			w.showView(d)
			w.status.SetText(fmt.Sprintf("Loaded %s in %s", p.Source, time.Since(start).Round(time.Millisecond)))
			if path != "" {
				addRecent(w.app, path)
				w.win.SetMainMenu(w.mainMenu())
			}
		})
	}()
}

func (w *MainWindow) nextGen() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gen++
	return w.gen
}

func (w *MainWindow) current(gen uint64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return gen == w.gen
}

func (w *MainWindow) busy(msg string) {
	w.status.SetText(msg)
	w.progress.Show()
	w.progress.Start()
}

func (w *MainWindow) idle(msg string) {
	w.progress.Stop()
	w.progress.Hide()
	w.status.SetText(msg)
}

// wait blocks until all background work has finished and, with a test
// queue, its results have been applied, including work those results start.
func (w *MainWindow) wait() {
	for {
		w.inflight.Wait()
		if w.queue == nil || !w.queue.run() {
			return
		}
	}
}

func load(path, sampleIndex string) (*model.Profile, *model.Tree, error) {
	var p *model.Profile
	var err error
	if path == "" {
		p, err = model.Parse(assets.SampleName, assets.SampleProfile)
	} else {
		p, err = model.Load(path)
	}
	if err != nil {
		return nil, nil, err
	}
	t, err := p.Tree(sampleIndex)
	if err != nil {
		return nil, nil, err
	}
	return p, t, nil
}

// deriveView applies the view steps and inversion to base's stacks and
// builds the trees and function table to show. It runs off the UI goroutine.
func deriveView(base *model.Tree, steps []viewStep, inverted bool) derived {
	s := base.Stacks()
	var sandwich = model.NoFunc
	for _, st := range steps {
		switch st.kind {
		case stepHide:
			s = s.Hide(st.fn)
		case stepFocus:
			s = s.FocusOn(st.fn)
		case stepSandwich:
			sandwich = st.fn
		}
	}
	var d derived
	switch {
	case sandwich != model.NoFunc:
		d.callers = s.CallersOf(sandwich).Tree()
		d.main = s.FocusOn(sandwich).Tree()
		d.detail = s.Tree()
	case len(steps) == 0 && !inverted:
		d.main = base
	case inverted:
		d.main = s.Inverted().Tree()
	default:
		d.main = s.Tree()
	}
	if d.detail == nil {
		d.detail = d.main
	}
	d.stats = d.detail.Functions()
	d.byFunc = make(map[model.FuncID]int, len(d.stats))
	for i, r := range d.stats {
		d.byFunc[r.Func] = i
	}
	d.table = d.stats
	if d.detail != d.main {
		d.table = d.main.Functions()
	}
	return d
}

// derive rebuilds the view in the background after a step or toggle changed.
func (w *MainWindow) derive() {
	if w.base == nil {
		return
	}
	gen := w.nextGen()
	base, steps, inverted := w.base, append([]viewStep(nil), w.steps...), w.inverted
	w.busy("Building view…")
	w.inflight.Add(1)
	go func() {
		defer w.inflight.Done()
		d := deriveView(base, steps, inverted)
		w.do(func() {
			if !w.current(gen) {
				return
			}
			w.idle("")
			w.showView(d)
		})
	}()
}

// showView displays a derived view; it runs on the UI goroutine.
func (w *MainWindow) showView(d derived) {
	w.view = d
	p := w.profile
	w.win.SetTitle("flamelens — " + p.Source)
	var names []string
	for _, st := range p.SampleTypes() {
		names = append(names, st.Name)
	}
	w.typeSelect.OnChanged = nil // setting the selection must not reload
	w.typeSelect.SetOptions(names)
	w.typeSelect.SetSelectedIndex(w.base.SampleIndex)
	w.typeSelect.OnChanged = w.selectSampleType

	w.graph.SetTree(d.main)
	if d.callers != nil {
		w.callers.SetTree(d.callers)
		split := container.NewVSplit(w.callers, w.graph)
		w.graphArea.Objects = []fyne.CanvasObject{split}
	} else {
		w.graphArea.Objects = []fyne.CanvasObject{w.graph}
	}
	w.graphArea.Refresh()
	w.table.SetRows(slices.Clone(d.table), d.main) // the table sorts its rows; stats stay in FuncID order
	w.details.ShowFunc(nil, model.FuncStat{})
	w.updateHeader()
	w.updateChips()
}

func (w *MainWindow) updateHeader() {
	if w.base == nil {
		return
	}
	text := headerText(model.HeaderOf(w.profile, w.base))
	shown := w.view.main.Total[model.Root]
	text += "   Shown: " + model.Percent(shown, w.base.AbsTotal)
	if w.inverted {
		text += " (inverted)"
	}
	if t, focus := w.graph.Tree(), w.graph.View().Focus; t == w.view.main && focus != model.Root {
		text += "   Zoomed: " + t.Name(focus) + " (" + model.Percent(t.Total[focus], t.AbsTotal) + ")"
	}
	w.header.SetText(text)
}

// updateChips shows one chip per view step; its × removes that step.
func (w *MainWindow) updateChips() {
	w.chips.Objects = nil
	for i, st := range w.steps {
		name := w.base.Funcs[st.fn].Name
		label := map[stepKind]string{stepFocus: "Focus: ", stepHide: "Hide: ", stepSandwich: "Callers & callees: "}[st.kind] + name
		i := i
		chip := widget.NewButtonWithIcon(label, theme.CancelIcon(), func() { w.removeStep(i) })
		chip.IconPlacement = widget.ButtonIconTrailingText
		w.chips.Objects = append(w.chips.Objects, chip)
	}
	w.chips.Refresh()
}

func (w *MainWindow) addStep(st viewStep) {
	// A new sandwich replaces an older one: only one at a time makes sense.
	steps := w.steps[:0:0]
	for _, old := range w.steps {
		if !(st.kind == stepSandwich && old.kind == stepSandwich) {
			steps = append(steps, old)
		}
	}
	w.steps = append(steps, st)
	w.derive()
}

func (w *MainWindow) removeStep(i int) {
	if i < 0 || i >= len(w.steps) {
		return
	}
	w.steps = append(w.steps[:i:i], w.steps[i+1:]...)
	w.derive()
}

// frameMenu is the right-click menu of node n in graph g.
func (w *MainWindow) frameMenu(g *FlameGraph, n model.NodeID) []*fyne.MenuItem {
	t := g.Tree()
	if t == nil || n == model.Root {
		return []*fyne.MenuItem{fyne.NewMenuItem("Zoom out", g.ZoomOut)}
	}
	f := t.Fn[n]
	name := t.Funcs[f].Name
	return []*fyne.MenuItem{
		fyne.NewMenuItem("Copy name", func() { w.app.Clipboard().SetContent(name) }),
		fyne.NewMenuItem("Zoom to frame", func() { g.ZoomTo(n) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Focus on function (merge call sites)", func() { w.addStep(viewStep{kind: stepFocus, fn: f}) }),
		fyne.NewMenuItem("Show callers and callees", func() { w.addStep(viewStep{kind: stepSandwich, fn: f}) }),
		fyne.NewMenuItem("Hide function", func() { w.addStep(viewStep{kind: stepHide, fn: f}) }),
	}
}

func (w *MainWindow) frameSelected(n model.NodeID) { w.frameSelectedIn(w.graph, n) }

// frameSelectedIn shows the callers and callees of the function of the
// frame selected in g, and says what is zoomed.
func (w *MainWindow) frameSelectedIn(g *FlameGraph, n model.NodeID) {
	t := g.Tree()
	if t == nil || n <= model.Root {
		w.details.ShowFunc(nil, model.FuncStat{})
		return
	}
	w.showDetails(t.Fn[n])
}

// showDetails lists f's callers and callees, found off the UI goroutine
// (a walk of the whole tree); a newer request drops an older one's result.
func (w *MainWindow) showDetails(f model.FuncID) {
	t := w.view.detail
	stat := model.FuncStat{Func: f, Name: t.Funcs[f].Name}
	if i, ok := w.view.byFunc[f]; ok {
		stat = w.view.stats[i]
	}
	w.mu.Lock()
	w.detailsGen++
	gen := w.detailsGen
	w.mu.Unlock()
	w.inflight.Add(1)
	go func() {
		defer w.inflight.Done()
		callers, callees := t.Neighbors(f)
		w.do(func() {
			w.mu.Lock()
			stale := gen != w.detailsGen
			w.mu.Unlock()
			if !stale && t == w.view.detail {
				w.details.ShowEdges(t, stat, callers, callees)
			}
		})
	}()
}

// highlightFunc highlights every frame of f in the graphs (a table row or
// a details row was clicked).
func (w *MainWindow) highlightFunc(f model.FuncID) {
	if w.base == nil || f == model.NoFunc {
		return
	}
	marks := make([]bool, len(w.base.Funcs))
	marks[f] = true
	w.graph.SetHighlight(marks)
	w.callers.SetHighlight(marks)
	w.showDetails(f)
	w.status.SetText("Highlighted " + w.base.Funcs[f].Name + " — Esc clears")
}

// selectSampleType rebuilds the tree for another sample type of the open profile.
func (w *MainWindow) selectSampleType(name string) {
	p := w.profile
	if p == nil {
		return
	}
	idx, err := p.SampleIndex(name)
	if err != nil || (w.base != nil && idx == w.base.SampleIndex) {
		return
	}
	gen := w.nextGen()
	inverted := w.inverted
	w.busy("Building " + name + "…")
	w.inflight.Add(1)
	go func() {
		defer w.inflight.Done()
		t, err := model.BuildTree(p, idx)
		var d derived
		if err == nil {
			d = deriveView(t, nil, inverted)
		}
		w.do(func() {
			if !w.current(gen) {
				return
			}
			w.idle("")
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			// Steps name functions of the old tree; a new sample type starts afresh.
			w.base, w.steps = t, nil
			w.showView(d)
		})
	}()
}

// headerText is the header pprof prints above its reports.
func headerText(h model.Header) string {
	parts := []string{"File: " + h.File, "Type: " + h.SampleType.Name}
	if !h.Time.IsZero() {
		parts = append(parts, "Time: "+h.Time.Format("2006-01-02 15:04:05 MST"))
	}
	if h.Duration > 0 {
		parts = append(parts, "Duration: "+h.Duration.Round(10*time.Millisecond).String())
	}
	parts = append(parts, "Total: "+model.FormatValue(h.Total, h.SampleType.Unit))
	return strings.Join(parts, "   ")
}
