package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

// The two main views.
const (
	viewFlame = "Flame graph"
	viewGraph = "Call graph"
)

// graphPane is the call graph view with its settings: how many nodes, the
// node and edge cutoffs, a fit button, and the neighbourhood it is
// narrowed to.
type graphPane struct {
	work *async
	// shown is what to draw: whether a profile is open, the profile
	// (zero while it is read in full, whole) and the view's sample type
	// and filter steps.
	shown func() (open bool, l session.Loaded, whole *session.Whole, spec session.Spec)
	busy  func(msg string) // a graph is being laid out
	done  func(err error)  // it is shown, or err says why not
	// onSelect highlights a clicked node's function in the flame graph;
	// showInFlame switches to the flame graph to show it; addStep adds a
	// filter step; copy puts text on the clipboard.
	onSelect    func(name string)
	showInFlame func(name string)
	showSource  func(name string)
	addStep     func(session.Step)
	copy        func(string)

	view      *CallGraphView
	nodeCount *widget.Entry
	nodeFrac  *widget.Entry
	edgeFrac  *widget.Entry
	whole     *widget.Button
	info      *widget.Label
	box       fyne.CanvasObject
	around    string // the function whose neighbourhood is shown; "" for all
}

func newGraphPane(work *async) *graphPane {
	gp := &graphPane{work: work, view: NewCallGraphView(), nodeCount: widget.NewEntry(), nodeFrac: widget.NewEntry(), edgeFrac: widget.NewEntry(),
		info: widget.NewLabel("")}
	gp.nodeCount.SetText(strconv.Itoa(model.DefaultGraphOptions.NodeCount))
	gp.nodeFrac.SetText(fmt.Sprint(model.DefaultGraphOptions.NodeFraction * 100))
	gp.edgeFrac.SetText(fmt.Sprint(model.DefaultGraphOptions.EdgeFraction * 100))
	for _, e := range []*widget.Entry{gp.nodeCount, gp.nodeFrac, gp.edgeFrac} {
		e.OnSubmitted = func(string) { gp.build() }
	}
	fit := widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), func() { gp.view.Fit() })
	gp.whole = widget.NewButton("Whole graph", func() {
		gp.around = ""
		gp.build()
	})
	gp.whole.Hide()
	gp.view.OnSelect = func(name string) { gp.onSelect(name) }
	gp.view.OnMenu = gp.menu
	// The note on what is shown takes what room is left, cut short, so that
	// the pane never asks the window to grow past a laptop's screen.
	gp.info.Truncation = fyne.TextTruncateEllipsis
	controls := container.NewHBox(widget.NewLabel("Nodes"), sized(gp.nodeCount, 60), widget.NewLabel("node %"), sized(gp.nodeFrac, 60),
		widget.NewLabel("edge %"), sized(gp.edgeFrac, 60), fit, gp.whole)
	bar := container.NewBorder(nil, nil, controls, nil, gp.info)
	gp.box = container.NewBorder(bar, nil, nil, nil, gp.view)
	return gp
}

// sized gives an entry a width.
func sized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

// graphOptions reads the settings, falling back to pprof's defaults for
// what does not read as a number.
func (gp *graphPane) graphOptions() model.GraphOptions {
	opt := model.DefaultGraphOptions
	if n, err := strconv.Atoi(strings.TrimSpace(gp.nodeCount.Text)); err == nil && n >= 0 {
		opt.NodeCount = n
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(gp.nodeFrac.Text), 64); err == nil && f >= 0 {
		opt.NodeFraction = f / 100
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(gp.edgeFrac.Text), 64); err == nil && f >= 0 {
		opt.EdgeFraction = f / 100
	}
	return opt
}

// build builds and lays out the call graph of what is shown (the profile
// with the filter stack's pprof filters; NEW minus BASE when comparing),
// off the UI goroutine.
func (gp *graphPane) build() {
	open, l, whole, spec := gp.shown()
	if !open {
		return
	}
	opt, around := gp.graphOptions(), gp.around
	gp.busy("Laying out the call graph…")
	gp.work.run(laneGraph, func(ctx context.Context) func() {
		l, err := session.Await(ctx, l, whole)
		var layout *render.GraphLayout
		var diff *render.DiffStyle
		if err == nil {
			layout, diff, err = callGraphLayout(l, spec, opt, around)
		}
		return func() {
			gp.done(err)
			if err != nil {
				return
			}
			gp.view.SetLayout(layout, diff)
			g := layout.Graph
			gp.info.SetText(fmt.Sprintf("%d nodes (%d dropped), %d edges (%d dropped); showing %s of %s",
				len(g.Nodes), g.DroppedNodes, len(g.Edges), g.DroppedEdges,
				model.FormatValue(g.Shown, g.SampleType.Unit), model.FormatValue(g.Total, g.SampleType.Unit)))
			if around != "" {
				gp.whole.Show()
			} else {
				gp.whole.Hide()
			}
		}
	})
}

// callGraphLayout builds the call graph of spec's view and lays it out; a
// comparison's is of NEW minus BASE and coloured by sign.
func callGraphLayout(l session.Loaded, spec session.Spec, opt model.GraphOptions, around string) (*render.GraphLayout, *render.DiffStyle, error) {
	g, diff, err := session.CallGraph(l, spec, opt)
	if err != nil {
		return nil, nil, err
	}
	if around != "" {
		if n := g.Neighborhood(around); n != nil {
			g = n
		}
	}
	layout, err := render.LayoutGraph(context.Background(), g)
	if err != nil || !diff {
		return layout, nil, err
	}
	return layout, &render.DiffStyle{}, nil
}

// menu is a call graph node's right-click menu.
func (gp *graphPane) menu(name string) []*fyne.MenuItem {
	filter := func(kind string) func() {
		return func() { gp.addStep(session.FilterStep(kind, session.ExactName(name))) }
	}
	return []*fyne.MenuItem{
		fyne.NewMenuItem("Copy name", func() { gp.copy(name) }),
		fyne.NewMenuItem("Show in the flame graph", func() { gp.showInFlame(name) }),
		fyne.NewMenuItem("Show source", func() { gp.showSource(name) }),
		fyne.NewMenuItem("Show callers and callees only", func() {
			gp.around = name
			gp.build()
		}),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Keep stacks through it (-focus)", filter("focus")),
		fyne.NewMenuItem("Drop stacks through it (-ignore)", filter("ignore")),
		fyne.NewMenuItem("Hide it (-hide)", filter("hide")),
	}
}
