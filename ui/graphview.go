package ui

import (
	"fmt"
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
)

// CallGraphView is the call graph, laid out by Graphviz's dot and drawn as one
// raster: drag pans, Ctrl+wheel zooms around the pointer, the wheel
// scrolls, a click selects a node.
type CallGraphView struct {
	widget.BaseWidget

	layout   *render.GraphLayout
	view     render.GraphView // in points; the pixel scale is applied when drawing
	fitted   bool             // the view is set; else the next draw sets it
	whole    bool             // the next view set shows the whole graph (Fit), else where it opens (render.OpenGraph)
	selected int
	hot      []bool
	theme    render.Theme
	diff     *render.DiffStyle

	// OnSelect is called with the function of a clicked node.
	OnSelect func(name string)
	// OnMenu builds the right-click menu of a node.
	OnMenu func(name string) []*fyne.MenuItem
	// modifiers reports the keyboard modifiers held; replaced in tests.
	modifiers func() fyne.KeyModifier

	raster        *canvas.Raster
	tooltip       *tooltip
	hovered       int
	painters      render.GraphPainters
	img           *image.RGBA
	pxPerUnit     float64
	gen, drawnGen uint64
}

var (
	_ fyne.Tappable          = (*CallGraphView)(nil)
	_ fyne.SecondaryTappable = (*CallGraphView)(nil)
	_ fyne.Scrollable        = (*CallGraphView)(nil)
	_ fyne.Draggable         = (*CallGraphView)(nil)
	_ desktop.Hoverable      = (*CallGraphView)(nil)
)

// NewCallGraphView returns an empty call graph view.
func NewCallGraphView() *CallGraphView {
	v := &CallGraphView{selected: -1, hovered: -1, pxPerUnit: 1, theme: currentTheme(), painters: render.GraphPainters{}}
	v.modifiers = currentModifiers
	v.raster = canvas.NewRaster(v.draw)
	v.tooltip = newTooltip()
	v.ExtendBaseWidget(v)
	return v
}

// SetLayout shows a laid-out graph, zoomed so that its hot path can be
// read (render.OpenGraph).
func (v *CallGraphView) SetLayout(l *render.GraphLayout, diff *render.DiffStyle) {
	v.layout, v.diff = l, diff
	v.fitted, v.whole, v.selected, v.hot = false, false, -1, nil
	if l != nil {
		v.hot = render.HotPath(l.Graph)
	}
	v.changed()
}

// Layout is the graph shown.
func (v *CallGraphView) Layout() *render.GraphLayout { return v.layout }

// Fit shows the whole graph.
func (v *CallGraphView) Fit() {
	v.fitted, v.whole = false, true
	v.changed()
}

// SetTheme switches colours.
func (v *CallGraphView) SetTheme(th render.Theme) {
	v.theme = th
	v.changed()
}

// SelectFunc selects the node of the function named name, if shown.
func (v *CallGraphView) SelectFunc(name string) {
	v.selected = -1
	if v.layout != nil {
		for i := range v.layout.Graph.Nodes {
			if v.layout.Graph.Name(i) == name {
				v.selected = i
			}
		}
	}
	v.changed()
}

func (v *CallGraphView) changed() {
	v.gen++
	v.hovered = -1
	v.tooltip.Hide()
	v.Refresh()
}

// draw is the raster's generator.
func (v *CallGraphView) draw(w, h int) image.Image {
	if v.img != nil && v.drawnGen == v.gen && v.img.Rect.Dx() == w && v.img.Rect.Dy() == h {
		return v.img
	}
	if s := v.Size(); s.Width > 0 {
		v.pxPerUnit = float64(w) / float64(s.Width)
	}
	if v.img == nil || v.img.Rect.Dx() != w || v.img.Rect.Dy() != h {
		v.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	if v.layout == nil {
		return v.img
	}
	if !v.fitted {
		fit := render.OpenGraph(v.layout, v.hot, w, h)
		if v.whole {
			fit = render.FitGraph(v.layout, w, h)
		}
		v.view = render.GraphView{Scale: fit.Scale / v.pxPerUnit, OffX: fit.OffX, OffY: fit.OffY}
		v.fitted = true
	}
	render.DrawGraph(v.img, v.painters, v.layout, v.pixelView(),
		render.GraphStyle{Theme: v.theme, Selected: v.selected, HotPath: v.hot, Diff: v.diff})
	v.drawnGen = v.gen
	return v.img
}

// pixelView is the view in raster pixels.
func (v *CallGraphView) pixelView() render.GraphView {
	return render.GraphView{Scale: v.view.Scale * v.pxPerUnit, OffX: v.view.OffX, OffY: v.view.OffY}
}

// nodeAt is the node under a position in Fyne units, or -1.
func (v *CallGraphView) nodeAt(pos fyne.Position) int {
	if v.layout == nil || !v.fitted {
		return -1
	}
	return v.view.NodeAt(v.layout, float64(pos.X), float64(pos.Y))
}

// Tapped selects the node clicked.
func (v *CallGraphView) Tapped(ev *fyne.PointEvent) {
	i := v.nodeAt(ev.Position)
	if i < 0 {
		return
	}
	v.selected = i
	v.changed()
	if v.OnSelect != nil {
		v.OnSelect(v.layout.Graph.Name(i))
	}
}

// TappedSecondary opens a node's menu.
func (v *CallGraphView) TappedSecondary(ev *fyne.PointEvent) {
	i := v.nodeAt(ev.Position)
	if i < 0 || v.OnMenu == nil {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", v.OnMenu(v.layout.Graph.Name(i))...), c, ev.AbsolutePosition)
	}
}

// Scrolled pans with the wheel, or with Ctrl zooms around the pointer.
func (v *CallGraphView) Scrolled(ev *fyne.ScrollEvent) {
	if v.layout == nil {
		return
	}
	if v.modifiers()&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 {
		v.zoom(math.Pow(1.15, float64(ev.Scrolled.DY)/10), ev.Position)
		return
	}
	v.view.OffX -= float64(ev.Scrolled.DX) / v.view.Scale
	v.view.OffY -= float64(ev.Scrolled.DY) / v.view.Scale
	v.changed()
}

// zoom scales by factor keeping the point under at in place.
func (v *CallGraphView) zoom(factor float64, at fyne.Position) {
	x := float64(at.X)/v.view.Scale + v.view.OffX
	y := float64(at.Y)/v.view.Scale + v.view.OffY
	v.view.Scale = math.Max(0.02, math.Min(8, v.view.Scale*factor))
	v.view.OffX = x - float64(at.X)/v.view.Scale
	v.view.OffY = y - float64(at.Y)/v.view.Scale
	v.changed()
}

// Dragged pans.
func (v *CallGraphView) Dragged(ev *fyne.DragEvent) {
	v.view.OffX -= float64(ev.Dragged.DX) / v.view.Scale
	v.view.OffY -= float64(ev.Dragged.DY) / v.view.Scale
	v.changed()
}

// DragEnd ends a pan.
func (v *CallGraphView) DragEnd() {}

// MouseIn starts hovering.
func (v *CallGraphView) MouseIn(ev *desktop.MouseEvent) { v.MouseMoved(ev) }

// MouseMoved shows the tooltip of the node under the pointer.
func (v *CallGraphView) MouseMoved(ev *desktop.MouseEvent) {
	i := v.nodeAt(ev.Position)
	if i < 0 {
		v.hovered = -1
		v.tooltip.Hide()
		return
	}
	if i != v.hovered {
		v.hovered = i
		v.tooltip.SetText(v.TooltipText(i))
	}
	v.tooltip.showAt(ev.Position, v.Size())
	canvas.Refresh(v)
}

// MouseOut hides the tooltip.
func (v *CallGraphView) MouseOut() {
	v.hovered = -1
	v.tooltip.Hide()
}

// TooltipText describes node i: name, file, flat and cum.
func (v *CallGraphView) TooltipText(i int) string {
	g := v.layout.Graph
	n := g.Nodes[i]
	unit := g.SampleType.Unit
	s := g.Name(i)
	if f := g.Funcs[n.Func]; f.File != "" {
		s += "\n" + f.File
	}
	return s + fmt.Sprintf("\nflat: %s (%s)\ncum: %s (%s)\ncallers: %d, callees: %d", model.FormatValue(n.Flat, unit),
		model.Percent(n.Flat, g.Total), model.FormatValue(n.Cum, unit), model.Percent(n.Cum, g.Total), len(n.In), len(n.Out))
}

// CreateRenderer is part of fyne.Widget.
func (v *CallGraphView) CreateRenderer() fyne.WidgetRenderer {
	return &graphViewRenderer{v: v}
}

type graphViewRenderer struct{ v *CallGraphView }

func (r *graphViewRenderer) Layout(size fyne.Size) {
	r.v.raster.Resize(size)
	r.v.raster.Move(fyne.NewPos(0, 0))
}

func (r *graphViewRenderer) MinSize() fyne.Size { return fyne.NewSize(100, 100) }

func (r *graphViewRenderer) Refresh() {
	r.v.raster.Refresh()
	r.v.tooltip.Refresh()
}

func (r *graphViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.v.raster, r.v.tooltip}
}

func (r *graphViewRenderer) Destroy() {}
