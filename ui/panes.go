package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

// graphPanes is the window's main area: the flame graph pane — the main
// graph alone, under the sandwich's callers, or as the comparison panel
// arranges it, with the search's jump list over it — or the call graph pane.
type graphPanes struct {
	graph     *FlameGraph // the main flame graph
	callers   *FlameGraph // the sandwich's upper half
	area      *fyne.Container
	flame     fyne.CanvasObject // area with the jump list over it
	callGraph fyne.CanvasObject
	box       *fyne.Container // flame or callGraph
	legend    *fyne.Container // what frame colours mean, when by whose code
}

func newGraphPanes(graph *FlameGraph, jumpBox, callGraph fyne.CanvasObject) *graphPanes {
	p := &graphPanes{graph: graph, callers: NewFlameGraph(), callGraph: callGraph, legend: container.NewHBox()}
	p.callers.SetOrientation(render.Flame)
	p.area = container.NewStack(graph)
	p.legend.Hide()
	p.flame = container.NewBorder(p.legend, nil, nil, nil, container.NewStack(p.area, jumpBox))
	p.box = container.NewStack(p.flame)
	return p
}

// show shows view v's trees: the main graph's, and the callers' above it
// in a sandwich.
func (p *graphPanes) show(v session.View) {
	p.graph.SetTree(v.Main)
	p.graph.SetDiff(nil)
	p.graph.SetSideBySide(0, false)
	var o fyne.CanvasObject = p.graph
	if v.Callers != nil {
		p.callers.SetTree(v.Callers)
		o = container.NewVSplit(p.callers, p.graph)
	}
	p.showArea(o)
}

// showArea puts o (the graphs as arranged) in the flame graph pane.
func (p *graphPanes) showArea(o fyne.CanvasObject) {
	p.area.Objects = []fyne.CanvasObject{o}
	p.area.Refresh()
}

// switchTo shows the call graph pane (callGraph) or the flame graph pane.
func (p *graphPanes) switchTo(callGraph bool) {
	o := p.flame
	if callGraph {
		o = p.callGraph
	}
	p.box.Objects = []fyne.CanvasObject{o}
	p.box.Refresh()
}
