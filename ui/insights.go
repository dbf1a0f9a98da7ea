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

	// focus adds a filter step that keeps the stacks through the
	// functions named.
	focus func(names []string)

	// What the tab works with, given by the window: its async (the tab's
	// work runs in laneInsights), how it reports, the preferences, the
	// view shown, the graphs it marks and colours, the function table it
	// marks the user's code in, the legend of whose-code colours, whether
	// the graph is coloured by change instead, and how the tab is brought
	// into view.
	work         *async
	say          report
	prefs        fyne.Preferences
	current      func() viewed
	graphs       func() []*FlameGraph
	setMine      func(mine []bool)
	legend       *fyne.Container
	differential func() bool
	reveal       func()
}

func newInsightsPane() *insightsPane {
	ip := &insightsPane{module: widget.NewEntry(), note: widget.NewLabel(""), list: container.NewVBox()}
	ip.module.SetPlaceHolder("your code: import paths, comma-separated")
	ip.module.OnSubmitted = func(string) { ip.refresh() }
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

// refresh works out the findings of the view shown, in the background,
// and lists them.
func (ip *insightsPane) refresh() {
	v := ip.current()
	if v.open.info == nil {
		return
	}
	modules := ip.modules()
	comparing := v.view.Comparing()
	graphs := ip.graphs()
	trees := make([]*model.Tree, len(graphs))
	for i, g := range graphs {
		trees[i] = g.Tree()
	}
	table := v.view.Main
	ip.ready = false
	ip.work.run(laneInsights, func(ctx context.Context) func() {
		l, err := v.open.await(ctx)
		var findings []insights.Finding
		var owner model.Owner
		if err == nil {
			findings, owner, err = output.Insights(l, v.spec, modules) // root-first, as the commands'
		}
		var origins [][]model.Origin
		var mine []bool
		if err == nil {
			origins, mine = originsOf(owner, trees, table)
		}
		return func() {
			if err != nil {
				ip.note.SetText("No insights: " + err.Error())
				ip.note.Show()
				return
			}
			ip.show(findings, owner, comparing)
			if ip.pending {
				ip.pending = false
				ip.showFirst() // Ctrl+I was pressed while they were worked out
			}
			// A tree replaced meanwhile by one of the same functions (the
			// whole tree in place of an outline) takes them too.
			byOrigin := ip.prefs.Bool(colourByOriginKey)
			for i, g := range graphs {
				if sameFuncs(g.Tree(), trees[i]) {
					g.SetOrigins(origins[i], byOrigin)
				}
			}
			if sameFuncs(ip.current().view.Main, table) {
				ip.setMine(mine)
			}
		}
	})
}

// originsOf is whose code each frame of each tree is, and which functions
// of table are the user's.
func originsOf(owner model.Owner, trees []*model.Tree, table *model.Tree) (origins [][]model.Origin, mine []bool) {
	origins = make([][]model.Origin, len(trees))
	for i, t := range trees {
		if t != nil {
			origins[i] = owner.Origins(t.Funcs)
		}
	}
	if table != nil {
		mine = make([]bool, len(table.Funcs))
		for f, o := range owner.Origins(table.Funcs) {
			mine[f] = o == model.OriginMine
		}
	}
	return origins, mine
}

// colourByOriginKey is the preference that colours frames by whose code
// they are.
const colourByOriginKey = "colourByOrigin"

// toggleColourByOrigin switches the graphs between colour by package and
// by whose code (View > Colour by Whose Code); the choice is kept.
func (ip *insightsPane) toggleColourByOrigin() {
	on := !ip.prefs.Bool(colourByOriginKey)
	ip.prefs.SetBool(colourByOriginKey, on)
	for _, g := range ip.graphs() {
		g.SetOrigins(g.origins, on)
	}
	ip.showLegend()
}

// highlight highlights the frames of the functions named in the graphs:
// a finding's.
func (ip *insightsPane) highlight(names []string) {
	markNames(ip.graphs(), names)
	ip.say.say(fmt.Sprintf("Highlighted the %d functions behind the finding — Esc clears", len(names)))
}

// markNames highlights every frame of the functions named in graphs.
// Graphs are looked up by name, as a comparison's trees number functions
// their own way.
func markNames(graphs []*FlameGraph, names []string) {
	for _, g := range graphs {
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

// showFirst is View > Insights (Ctrl+I): the tab brought into view, with
// the largest finding's frames highlighted in the graphs.
func (ip *insightsPane) showFirst() {
	ip.reveal()
	if !ip.ready {
		ip.pending = true
		ip.say.say("Working out the insights…")
		return
	}
	fs := ip.findings
	if len(fs) == 0 {
		ip.say.say("No findings in this view")
		return
	}
	names := make([]string, len(fs[0].Frames))
	for i, c := range fs[0].Frames {
		names[i] = c.Name
	}
	markNames(ip.graphs(), names)
	ip.say.say(fmt.Sprintf("Finding 1 of %d: %s (%.1f%%), its frames highlighted — Esc clears", len(fs), fs[0].Title, 100*fs[0].Share))
}

// showLegend shows, while frames are coloured by whose code they are,
// what the colours mean above the graph; else hides it. A differential
// graph is coloured by change, so it never has this legend.
func (ip *insightsPane) showLegend() {
	box := ip.legend
	if !ip.prefs.Bool(colourByOriginKey) || ip.differential() { // the differential colours have a legend of their own
		box.Hide()
		return
	}
	dark := currentTheme().Dark
	box.Objects = nil
	for _, o := range []struct {
		origin model.Origin
		pkg    string // a package of it, for its colour
	}{{model.OriginMine, "main"}, {model.OriginStd, "strings"}, {model.OriginDeps, "example.com/dependency"}, {model.OriginRuntime, "runtime"}} {
		box.Add(swatch(render.OriginColor(o.origin, o.pkg, "", dark), o.origin.String()))
	}
	box.Show()
	box.Refresh()
}

// sameFuncs reports whether trees a and b number their functions alike:
// the same function table, as a tree and its outline share.
func sameFuncs(a, b *model.Tree) bool {
	switch {
	case a == nil || b == nil:
		return a == b
	case len(a.Funcs) != len(b.Funcs):
		return false
	case len(a.Funcs) == 0:
		return true
	}
	return &a.Funcs[0] == &b.Funcs[0]
}
