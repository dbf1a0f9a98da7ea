package ui

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

// insightsPane is the side pane's Insights tab: what the view shows, in
// plain words (session.Insights), largest first, each finding with its
// frames (Highlight, Focus), the user's code that leads there, what
// helps and the Go documentation; and who the user's code is.
type insightsPane struct {
	module   *widget.Entry // the user's code, as -module takes it
	note     *widget.Label // what the user's code was found to be, or why there are no findings
	list     *fyne.Container
	box      fyne.CanvasObject
	findings []insights.Finding
	owner    model.Owner // whose code was taken as the user's
	// ready is set once the view's findings are listed; pending when
	// Ctrl+I came before they were.
	ready, pending bool

	// highlight marks functions named names in the graphs; focus adds a
	// filter step that keeps the stacks through them.
	highlight func(names []string)
	focus     func(names []string)
	// recompute asks for the findings again (the user's code changed).
	recompute func()
}

func newInsightsPane() *insightsPane {
	ip := &insightsPane{module: widget.NewEntry(), note: widget.NewLabel(""), list: container.NewVBox()}
	ip.module.SetPlaceHolder("your code: import paths, comma-separated")
	ip.module.OnSubmitted = func(string) { ip.recompute() }
	ip.note.Wrapping = fyne.TextWrapWord
	ip.note.Hide() // shown when the findings cannot be worked out
	ip.box = container.NewBorder(container.NewVBox(ip.module, ip.note), nil, nil, nil, container.NewVScroll(ip.list))
	return ip
}

// modules are the user's code as typed, nil to find it from the profile.
func (ip *insightsPane) modules() []string { return model.SplitModules(ip.module.Text) }

// show lists findings; owner is whose code was taken as the user's.
func (ip *insightsPane) show(findings []insights.Finding, owner model.Owner, comparing bool) {
	ip.findings, ip.owner, ip.ready = findings, owner, true
	ip.note.Hide()
	// Who the user's code was taken to be, where it is typed to change it.
	ip.module.SetPlaceHolder("your code: " + owner.String() + " (type import paths, comma-separated, to change it)")
	ip.list.Objects = nil
	if len(findings) == 0 {
		what := "this profile"
		if comparing {
			what = "the change from BASE to NEW"
		}
		none := widget.NewLabel("No findings: nothing in " + what + " reaches a rule's threshold.")
		none.Wrapping = fyne.TextWrapWord // unwrapped, its width would push the side pane over the graph
		ip.list.Add(none)
	}
	for i, f := range findings {
		ip.list.Add(ip.card(i, f, comparing))
	}
	ip.list.Refresh()
}

// card is one finding: title and numbers, the sentence, the frames with
// Highlight and Focus, the user's code, what helps and the link.
func (ip *insightsPane) card(i int, f insights.Finding, comparing bool) fyne.CanvasObject {
	amount := fmt.Sprintf("%s (%.1f%%)", model.FormatValue(f.Value, f.Unit), 100*f.Share)
	if comparing {
		amount = fmt.Sprintf("%s against %s", render.Signed(f.Delta, f.Unit), model.FormatValue(f.Base, f.Unit))
	}
	title := widget.NewLabelWithStyle(fmt.Sprintf("%d. %s — %s", i+1, f.Title, amount), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	wrapped := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	names := make([]string, len(f.Frames))
	for j, c := range f.Frames {
		names[j] = c.Name
	}
	buttons := newFlow( // wraps in a narrow side pane rather than widening it
		widget.NewButtonWithIcon("Highlight", theme.VisibilityIcon(), func() { ip.highlight(names) }),
		widget.NewButtonWithIcon("Focus", theme.ZoomInIcon(), func() { ip.focus(names) }))
	if u, err := url.Parse(f.Doc); err == nil && f.Doc != "" {
		buttons.Add(widget.NewHyperlink("Go documentation", u))
	}
	items := []fyne.CanvasObject{title, wrapped(f.Sentence), buttons, wrapped("Frames: " + render.CostList(f.Frames, f.Unit))}
	if len(f.Callers) > 0 {
		items = append(items, wrapped("Your code: "+render.CostList(f.Callers, f.Unit)))
	}
	items = append(items, wrapped("What helps: "+f.Advice), widget.NewSeparator())
	return container.NewVBox(items...)
}

// focusOn is the filter that keeps the stacks through the functions named.
func focusOn(names []string) model.Filters {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return model.Filters{Focus: "^(" + strings.Join(quoted, "|") + ")$"}
}

// refreshInsights works out the findings of the view shown, in the
// background, and lists them in the Insights tab.
func (w *MainWindow) refreshInsights() {
	if w.shown.open.info == nil {
		return
	}
	l, whole, spec := w.shown.open.loaded, w.shown.open.whole, w.spec()
	modules := w.side.insights.modules()
	comparing := w.shown.view.Comparing()
	graphs := w.graphs()
	trees := make([]*model.Tree, len(graphs))
	for i, g := range graphs {
		trees[i] = g.Tree()
	}
	table := w.shown.view.Main
	w.side.insights.ready = false
	w.work.run(laneInsights, func(ctx context.Context) func() {
		l, err := session.Await(ctx, l, whole)
		var findings []insights.Finding
		var owner model.Owner
		if err == nil {
			findings, owner, err = output.Insights(l, spec, modules) // root-first, as the commands'
		}
		// Whose code each frame of each graph is, and the table's.
		origins := make([][]model.Origin, len(trees))
		for i, t := range trees {
			if t != nil && err == nil {
				origins[i] = owner.Origins(t.Funcs)
			}
		}
		var mine []bool
		if table != nil && err == nil {
			mine = make([]bool, len(table.Funcs))
			for f, o := range owner.Origins(table.Funcs) {
				mine[f] = o == model.OriginMine
			}
		}
		return func() {
			if err != nil {
				w.side.insights.note.SetText("No insights: " + err.Error())
				w.side.insights.note.Show()
				return
			}
			w.side.insights.show(findings, owner, comparing)
			if w.side.insights.pending {
				w.side.insights.pending = false
				w.showInsights() // Ctrl+I was pressed while they were worked out
			}
			byOrigin := w.app.Preferences().Bool(colourByOriginKey)
			for i, g := range graphs {
				if g.Tree() == trees[i] {
					g.SetOrigins(origins[i], byOrigin)
				}
			}
			if w.shown.view.Main == table {
				w.side.table.SetMine(mine)
			}
		}
	})
}

// colourByOriginKey is the preference that colours frames by whose code
// they are.
const colourByOriginKey = "colourByOrigin"

// toggleColourByOrigin switches the graphs between colour by package and
// by whose code (View > Colour by Whose Code); the choice is kept.
func (w *MainWindow) toggleColourByOrigin() {
	on := !w.app.Preferences().Bool(colourByOriginKey)
	w.app.Preferences().SetBool(colourByOriginKey, on)
	for _, g := range w.graphs() {
		g.SetOrigins(g.origins, on)
	}
	w.showOriginLegend(on)
}

// highlightNames highlights the frames of the functions named in the
// graphs: a finding's.
func (w *MainWindow) highlightNames(names []string) {
	w.markNames(names)
	w.status.SetText(fmt.Sprintf("Highlighted the %d functions behind the finding — Esc clears", len(names)))
}

// markNames highlights every frame of the functions named in the graphs.
// Graphs are looked up by name, as a comparison's trees number functions
// their own way.
func (w *MainWindow) markNames(names []string) {
	for _, g := range w.graphs() {
		if t := g.Tree(); t != nil {
			marks := make([]bool, len(t.Funcs))
			for _, name := range names {
				if f, ok := t.FuncByName(name); ok {
					marks[f] = true
				}
			}
			g.SetHighlight(marks)
		}
	}
}

// showInsights is View > Insights (Ctrl+I): the side pane's Insights tab,
// with the largest finding's frames highlighted in the graphs.
func (w *MainWindow) showInsights() {
	if !w.side.box.Visible() {
		w.toggleSide()
	}
	w.side.tabs.SelectIndex(insightsTab)
	if !w.side.insights.ready {
		w.side.insights.pending = true
		w.status.SetText("Working out the insights…")
		return
	}
	fs := w.side.insights.findings
	if len(fs) == 0 {
		w.status.SetText("No findings in this view")
		return
	}
	names := make([]string, len(fs[0].Frames))
	for i, c := range fs[0].Frames {
		names[i] = c.Name
	}
	w.markNames(names)
	w.status.SetText(fmt.Sprintf("Finding 1 of %d: %s (%.1f%%), its frames highlighted — Esc clears", len(fs), fs[0].Title, 100*fs[0].Share))
}

// showOriginLegend shows, while frames are coloured by whose code they
// are, what the colours mean above the graph; else hides it. A
// differential graph is coloured by change, so it never has this legend.
func (w *MainWindow) showOriginLegend(on bool) {
	box := w.panes.legend
	if !on || w.compare.differential() { // the differential colours have a legend of their own
		box.Hide()
		return
	}
	dark := currentTheme().Dark
	box.Objects = nil
	for _, o := range []struct {
		origin model.Origin
		pkg    string // a package of it, for its colour
	}{{model.OriginMine, "main"}, {model.OriginStd, "strings"}, {model.OriginDeps, "example.com/dependency"}, {model.OriginRuntime, "runtime"}} {
		box.Add(swatch(render.OriginColor(o.origin, o.pkg, dark), o.origin.String()))
	}
	box.Show()
	box.Refresh()
}
