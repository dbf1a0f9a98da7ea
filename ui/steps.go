package ui

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
)

// stepKind is a way of deriving a view from the profile.
type stepKind int

const (
	stepFilter   stepKind = iota // one of pprof's filters (-focus, -hide, …)
	stepFocus                    // only stacks through a function, from it on, call sites merged
	stepSandwich                 // a function's callers above, callees below
	stepMerge                    // a function's frames removed, its time given to its callers
	stepCollapse                 // a function's recursive calls merged into the outermost
)

// viewStep is one step of the filter stack, shown as a chip whose ×
// removes it; Ctrl+Z removes the last. Function steps name their function,
// so they still apply when a filter or a sample type renumbers functions.
type viewStep struct {
	kind   stepKind
	filter model.Filters // stepFilter
	fn     string        // the function, for the other kinds
}

func (s viewStep) label() string {
	switch s.kind {
	case stepFilter:
		return s.filter.String()
	case stepFocus:
		return "Focus: " + s.fn
	case stepSandwich:
		return "Callers & callees: " + s.fn
	case stepMerge:
		return "Merged into caller: " + s.fn
	case stepCollapse:
		return "Recursion collapsed: " + s.fn
	}
	return s.fn
}

// exactName is a regexp matching exactly this function name.
func exactName(name string) string { return "^" + regexp.QuoteMeta(name) + "$" }

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
	fuzzy  *model.FuzzyIndex    // main's functions, for the jump list

	// In a comparison: both sides' values in trees shaped by NEW and by
	// BASE (same node ids), and per-function changes; nil otherwise.
	cmpNew, cmpBase *model.Tree
	deltas          []model.FuncDelta
}

// baseCache keeps the last filtered tree, so that steps which do not
// filter the profile (focus on a function, invert, …) skip the copy and
// the filtering. It is used from background goroutines.
type baseCache struct {
	mu   sync.Mutex
	src  *model.Profile
	key  string
	tree *model.Tree
}

func (c *baseCache) get(p *model.Profile, sampleIndex int, filters []model.Filters) (*model.Tree, error) {
	key := cacheKey(sampleIndex, filters)
	c.mu.Lock()
	if c.src == p && c.key == key {
		t := c.tree
		c.mu.Unlock()
		return t, nil
	}
	c.mu.Unlock()
	fp, err := p.Filter(filters...)
	if err != nil {
		return nil, err
	}
	t, err := model.BuildTree(fp, sampleIndex)
	if err != nil {
		return nil, err
	}
	c.put(p, sampleIndex, filters, t)
	return t, nil
}

// put records t as p's tree for sampleIndex with filters applied.
func (c *baseCache) put(p *model.Profile, sampleIndex int, filters []model.Filters, t *model.Tree) {
	key := cacheKey(sampleIndex, filters)
	c.mu.Lock()
	c.src, c.key, c.tree = p, key, t
	c.mu.Unlock()
}

func cacheKey(sampleIndex int, filters []model.Filters) string {
	var key strings.Builder
	key.WriteString(strconv.Itoa(sampleIndex))
	for _, f := range filters {
		key.WriteString("\x00" + f.String())
	}
	return key.String()
}

// deriveView applies the steps (pprof's filters first, in their order,
// then the function steps) and the inversion, and builds the trees and
// tables to show. It runs off the UI goroutine.
func deriveView(cache *baseCache, p *model.Profile, sampleIndex int, steps []viewStep, inverted bool) (derived, error) {
	var filters []model.Filters
	for _, st := range steps {
		if st.kind == stepFilter {
			filters = append(filters, st.filter)
		}
	}
	c := p.Comparison()
	if c != nil && c.Mode == model.DiffBase {
		return deriveDiffView(c, sampleIndex, filters, steps, inverted)
	}
	base, err := cache.get(p, sampleIndex, filters)
	if err != nil {
		return derived{}, err
	}
	var d derived
	s, sandwich, transformed := applyFunctionSteps(base.Stacks(), steps)
	switch {
	case sandwich != model.NoFunc:
		d.callers = s.CallersOf(sandwich).Tree()
		d.main = s.FocusOn(sandwich).Tree()
		d.detail = s.Tree()
	case inverted:
		d.main = s.Inverted().Tree()
	case !transformed:
		d.main = base
	default:
		d.main = s.Tree()
	}
	if d.detail == nil {
		d.detail = d.main
	}
	if c != nil {
		s, err := comparisonStacks(c, sampleIndex, filters, steps, inverted)
		if err != nil {
			return derived{}, err
		}
		d.cmpNew, d.cmpBase, _ = s.CompareTrees(c.Mode)
	}
	d.finish()
	return d, nil
}

// deriveDiffView builds a -diff_base comparison's view from its two-sided
// stacks alone: NEW minus BASE from them has pprof's numbers exactly, so
// pprof's merge is not needed.
func deriveDiffView(c *model.Comparison, sampleIndex int, filters []model.Filters, steps []viewStep, inverted bool) (derived, error) {
	s, err := comparisonStacks(c, sampleIndex, filters, steps, inverted)
	if err != nil {
		return derived{}, err
	}
	var d derived
	d.cmpNew, d.cmpBase, d.main = s.CompareTrees(c.Mode)
	d.detail = d.main
	d.finish()
	return d, nil
}

// finish computes the tables of a derived view.
func (d *derived) finish() {
	d.stats = d.detail.Functions()
	d.byFunc = make(map[model.FuncID]int, len(d.stats))
	for i, r := range d.stats {
		d.byFunc[r.Func] = i
	}
	d.table = d.stats
	if d.detail != d.main {
		d.table = d.main.Functions()
	}
	d.fuzzy = model.NewFuzzyIndex(d.table)
	if d.cmpNew != nil {
		d.deltas = d.cmpNew.FunctionDeltas()
	}
}

// comparisonStacks are a comparison's two-sided stacks with the view's
// filters and function steps applied.
func comparisonStacks(c *model.Comparison, sampleIndex int, filters []model.Filters, steps []viewStep, inverted bool) (*model.Stacks, error) {
	fc, err := c.Filter(filters...)
	if err != nil {
		return nil, err
	}
	s, err := fc.Stacks(sampleIndex)
	if err != nil {
		return nil, err
	}
	s, sandwich, _ := applyFunctionSteps(s, steps)
	if sandwich != model.NoFunc {
		s = s.FocusOn(sandwich) // a comparison shows the sandwich's callees side
	}
	if inverted {
		s = s.Inverted()
	}
	return s, nil
}

// applyFunctionSteps applies the steps that reshape stacks (focus, merge,
// collapse) in order, by function name; a sandwich step is returned, not
// applied, as it makes two trees. transformed says whether any applied.
func applyFunctionSteps(s *model.Stacks, steps []viewStep) (out *model.Stacks, sandwich model.FuncID, transformed bool) {
	sandwich = model.NoFunc
	for _, st := range steps {
		if st.kind == stepFilter {
			continue
		}
		f, ok := s.FuncByName(st.fn)
		if !ok {
			continue // filtered away: nothing to do
		}
		transformed = true
		switch st.kind {
		case stepFocus:
			s = s.FocusOn(f)
		case stepMerge:
			s = s.MergeIntoCaller(f)
		case stepCollapse:
			s = s.CollapseRecursion(f)
		case stepSandwich:
			sandwich = f
		}
	}
	return s, sandwich, transformed
}

// updateChips shows one chip per step; its × removes that step.
func (w *MainWindow) updateChips() {
	w.chips.Objects = nil
	for i, st := range w.steps {
		chip := widget.NewButtonWithIcon(st.label(), theme.CancelIcon(), func() { w.removeStep(i) })
		chip.IconPlacement = widget.ButtonIconTrailingText
		w.chips.Objects = append(w.chips.Objects, chip)
	}
	if len(w.steps) > 0 {
		w.chips.Objects = append(w.chips.Objects, widget.NewLabel("Ctrl+Z undoes the last"))
	}
	w.chips.Refresh()
}

// addStep pushes a step on the filter stack and rebuilds the view.
func (w *MainWindow) addStep(st viewStep) {
	steps := slices.DeleteFunc(slices.Clone(w.steps), func(old viewStep) bool {
		return st.kind == stepSandwich && old.kind == stepSandwich // one sandwich at a time
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
	if w.profile == nil || strings.TrimSpace(fb.entry.Text) == "" {
		return
	}
	var f model.Filters
	*f.Field(fb.kind.Selected) = fb.entry.Text
	if _, err := f.Compile(w.profile.Raw); err != nil {
		fb.err.SetText(err.Error())
		fb.err.Show()
		return
	}
	fb.err.Hide()
	fb.entry.SetText("")
	w.addStep(viewStep{kind: stepFilter, filter: f})
}

// filterStep is a pprof filter step of one kind on an exact function name.
func filterStep(kind, name string) viewStep {
	var f model.Filters
	*f.Field(kind) = exactName(name)
	return viewStep{kind: stepFilter, filter: f}
}
