package ui

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
)

// jumpListSize is how many fuzzy matches the jump list shows.
const jumpListSize = 50

// searchBar finds functions: typed text highlights matching frames and
// fills a jump list ranked by fuzzy match.
type searchBar struct {
	entry *searchEntry
	// onEscape is Esc in an empty search field: the window's Esc.
	onEscape func()
	regex    *widget.Check
	status   *widget.Label
	prev     *widget.Button
	next     *widget.Button
	jump     *widget.List
	jumpBox  *fyne.Container // the jump list, shown under the entry while it has rows
	box      fyne.CanvasObject

	work *async
	// graphs are the flame graphs on screen, the main one first; index
	// ranks the main one's functions for the jump list.
	graphs    func() []*FlameGraph
	index     func() *model.FuzzyIndex
	modifiers func() fyne.KeyModifier
	focus     func(fyne.Focusable) // gives the keyboard focus to a widget

	matches    model.Matches
	step       int // index into matches.Nodes of the frame last stepped to, -1 before
	jumps      []model.FuzzyMatch
	selected   int  // jump list row chosen with the arrow keys, -1 for none
	navigating bool // the arrow keys are moving the list's selection
	// searching is set while the search for what is typed runs; an Enter
	// pressed meanwhile is queued (enterQueued) and acted on when its
	// results arrive, so a quick typist's Enter is not lost.
	searching, enterQueued bool
}

// searchEntry is the search field; it passes arrows, Enter and Escape to
// the search bar instead of editing with them.
type searchEntry struct {
	widget.Entry
	onKey func(ev *fyne.KeyEvent) bool // true when handled
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder("Search functions (Ctrl+F, or type over the graph)")
	return e
}

// TypedKey lets the search bar handle navigation keys first.
func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

func newSearchBar(work *async, graphs func() []*FlameGraph, index func() *model.FuzzyIndex,
	modifiers func() fyne.KeyModifier, focus func(fyne.Focusable)) *searchBar {
	sb := &searchBar{entry: newSearchEntry(), status: widget.NewLabel(""), step: -1, selected: -1,
		work: work, graphs: graphs, index: index, modifiers: modifiers, focus: focus}
	sb.regex = widget.NewCheck("Regexp", func(bool) { sb.search() })
	sb.prev = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { sb.stepMatch(-1) })
	sb.next = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { sb.stepMatch(1) })
	sb.entry.OnChanged = func(string) { sb.search() }
	sb.entry.onKey = sb.key
	sb.jump = widget.NewList(
		func() int { return len(sb.jumps) },
		func() fyne.CanvasObject { return widget.NewRichText() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			rt := o.(*widget.RichText)
			rt.Segments = sb.jumpSegments(sb.jumps[i])
			rt.Refresh()
		},
	)
	sb.jump.OnSelected = func(i widget.ListItemID) {
		sb.selected = i
		if !sb.navigating { // a click, not the arrow keys
			sb.jumpTo(i)
		}
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	sb.jumpBox = container.New(&jumpLayout{rows: func() int { return len(sb.jumps) }}, container.NewStack(bg, sb.jump))
	sb.jumpBox.Hide()
	tools := container.NewHBox(sb.regex, sb.prev, sb.next)
	sb.box = container.NewBorder(nil, nil, nil, container.NewHBox(sb.status, tools), sb.entry)
	return sb
}

// jumpSegments shows a jump list row: the name with its matched letters
// in bold, then flat and cum.
func (sb *searchBar) jumpSegments(m model.FuzzyMatch) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	name := m.Name
	matched := map[int]bool{}
	for _, i := range m.Matched {
		matched[i] = true
	}
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) && i > start && matched[i] == matched[start] {
			continue
		}
		if i > start {
			style := widget.RichTextStyleInline
			if matched[start] {
				style = widget.RichTextStyleStrong
			}
			segs = append(segs, &widget.TextSegment{Text: model.EscapeControl(name[start:i]), Style: style})
		}
		start = i
	}
	unit := sb.main().Tree().SampleType.Unit
	segs = append(segs, &widget.TextSegment{
		Text:  fmt.Sprintf("   flat %s · cum %s", model.FormatValue(m.Flat, unit), model.FormatValue(m.Cum, unit)),
		Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder},
	})
	return segs
}

// search highlights the frames matching the search text and ranks the
// jump list, off the UI goroutine; a later keystroke drops an earlier
// one's result.
func (sb *searchBar) search() {
	text := sb.entry.Text
	graphs := sb.graphs()
	main := graphs[0]
	t, fz := main.Tree(), sb.index()
	if t == nil {
		return
	}
	others := map[*FlameGraph]*model.Tree{} // the other graphs on screen, each with its tree
	for _, g := range graphs[1:] {
		if g.Tree() != nil {
			others[g] = g.Tree()
		}
	}
	sb.work.drop(laneSearch) // what an earlier keystroke found is stale now
	if text == "" {
		sb.clear()
		return
	}
	q, err := model.NewQuery(text, sb.regex.Checked)
	if err != nil {
		sb.searching, sb.enterQueued = false, false
		sb.status.SetText(err.Error())
		sb.status.Importance = widget.DangerImportance
		sb.status.Refresh()
		return // the graph keeps the last good highlight
	}
	sb.searching = true
	sb.work.run(laneSearch, func(context.Context) func() {
		marks := t.MatchFuncs(q)
		matches := t.Search(marks)
		jumps, _ := fz.Find(text, jumpListSize)
		otherMarks := map[*FlameGraph][]bool{}
		for g, ot := range others {
			otherMarks[g] = ot.MatchFuncs(q)
		}
		return func() {
			if t != main.Tree() {
				return
			}
			sb.matches, sb.step = matches, -1
			sb.jumps, sb.selected = jumps, -1
			sb.jump.UnselectAll()
			sb.jump.Refresh()
			if len(jumps) > 0 {
				sb.jumpBox.Show()
			} else {
				sb.jumpBox.Hide()
			}
			sb.jumpBox.Refresh()
			main.SetHighlight(marks)
			for g, m := range otherMarks {
				if g.Tree() == others[g] {
					g.SetHighlight(m)
				}
			}
			sb.showMatchCount()
			sb.searching = false
			if sb.enterQueued {
				sb.enterQueued = false
				sb.enter()
			}
		}
	})
}

// showMatchCount says "N matches · X% of total", with "n/N" once stepping.
func (sb *searchBar) showMatchCount() {
	n := len(sb.matches.Nodes)
	total := sb.main().Tree().AbsTotal
	text := fmt.Sprintf("%d matches · %s of total", n, model.Percent(sb.matches.Value, total))
	if n == 0 && len(sb.jumps) > 0 {
		// No name contains what is typed, but the jump list has functions
		// whose names come close: say so, not a bare "0 matches" beside them.
		text = fmt.Sprintf("no name contains it · %d close, listed", len(sb.jumps))
	}
	if sb.step >= 0 {
		text = fmt.Sprintf("%d/%d · %s of total", sb.step+1, n, model.Percent(sb.matches.Value, total))
	}
	sb.status.SetText(text)
	sb.status.Importance = widget.MediumImportance
	sb.status.Refresh()
}

func (sb *searchBar) clear() {
	sb.matches, sb.step, sb.jumps, sb.selected = model.Matches{}, -1, nil, -1
	sb.searching, sb.enterQueued = false, false
	sb.jumpBox.Hide()
	sb.status.SetText("")
	for _, g := range sb.graphs() {
		g.SetHighlight(nil)
	}
}

// main is the main flame graph, whose frames are stepped through.
func (sb *searchBar) main() *FlameGraph { return sb.graphs()[0] }

// refresh searches the frames of a new view, if there is a search.
func (sb *searchBar) refresh() {
	if sb.entry.Text != "" {
		sb.search()
	}
}

// stepMatch zooms to the next (dir 1) or previous (-1) matching frame.
func (sb *searchBar) stepMatch(dir int) {
	n := len(sb.matches.Nodes)
	if n == 0 {
		return
	}
	sb.step = ((sb.step+dir)%n + n) % n
	if sb.step < 0 {
		sb.step = 0
	}
	sb.jumpBox.Hide() // it would cover the frame's callers
	sb.main().ZoomTo(sb.matches.Nodes[sb.step])
	sb.showMatchCount()
}

// jumpTo zooms to the largest frame of the i-th jump list function and
// selects it.
func (sb *searchBar) jumpTo(i int) {
	if i < 0 || i >= len(sb.jumps) {
		return
	}
	g := sb.main()
	if n, ok := g.largest(sb.jumps[i].Name); ok {
		g.ZoomTo(n)
		// Enter steps on from here: the frame jumped to is a match.
		if k := slices.Index(sb.matches.Nodes, n); k >= 0 {
			sb.step = k
			sb.showMatchCount()
		}
	}
	sb.jumpBox.Hide()
}

// key handles the search field's navigation keys: ↑/↓ move in the
// jump list; Enter, while the list is shown, jumps to its chosen row (its
// top row if none is chosen), else steps to the next match (Shift+Enter:
// the previous); Escape clears the search.
func (sb *searchBar) key(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyDown, fyne.KeyUp:
		if len(sb.jumps) == 0 {
			return true
		}
		sb.jumpBox.Show()
		sb.selected = stepRow(sb.selected, len(sb.jumps), ev.Name == fyne.KeyDown)
		sb.navigating = true
		sb.jump.Select(sb.selected)
		sb.navigating = false
		return true
	case fyne.KeyReturn, fyne.KeyEnter:
		if sb.searching {
			sb.enterQueued = true // acted on when what is typed has been searched
			return true
		}
		sb.enter()
		return true
	case fyne.KeyEscape:
		if sb.entry.Text == "" && sb.onEscape != nil {
			sb.onEscape() // nothing to clear here: the window's Esc
			return true
		}
		sb.entry.SetText("")
		return true
	}
	return false
}

// enter is Enter in the search field: while the jump list is shown, a jump
// to its chosen row (its top row if none is chosen), else a step to the
// next match (with Shift, the previous).
func (sb *searchBar) enter() {
	if sb.jumpBox.Visible() && len(sb.jumps) > 0 {
		sb.jumpTo(max(sb.selected, 0)) // the row picked, else the best: what the list puts first
		return
	}
	if sb.modifiers()&fyne.KeyModifierShift != 0 {
		sb.stepMatch(-1)
	} else {
		sb.stepMatch(1)
	}
}

// stepRow is the row of a list of n rows that ↓ (down) or ↑ moves to from
// selected (-1 for none): the next or the one before, within the list.
func stepRow(selected, n int, down bool) int {
	if down {
		return min(selected+1, n-1)
	}
	return max(selected-1, 0)
}

// start focuses the search field, typing r into it (a key typed over the
// graph).
func (sb *searchBar) start(r rune) {
	sb.focus(sb.entry)
	if r != 0 {
		sb.entry.SetText(sb.entry.Text + string(r))
		sb.entry.CursorColumn = len([]rune(sb.entry.Text))
		sb.entry.Refresh()
	}
}

// jumpLayout places the jump list at the top left of the graph, as tall as
// its rows (at most a dozen).
type jumpLayout struct{ rows func() int }

func (l *jumpLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := float32(min(l.rows(), 12)) * (theme.TextSize() + 2*theme.InnerPadding() + 4)
	w := min(size.Width, 720)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *jumpLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }
