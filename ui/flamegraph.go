package ui

import (
	"fmt"
	"image"
	"math"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
)

// Sizes of the flame graph, in Fyne units (pixels at scale 1).
const (
	rowHeight     = 18
	labelFontSize = 12
	zoomPerNotch  = 1.15 // horizontal zoom factor per wheel notch (Ctrl+wheel)
)

// FlameGraph is the interactive flame graph of one tree: one CPU-drawn
// raster, redrawn only when what it shows changes.
type FlameGraph struct {
	widget.BaseWidget

	tree      *model.Tree
	view      flameViewport
	history   render.History[flameViewport] // the zoom history
	selected  model.NodeID
	lastFocus model.NodeID // the focus OnZoom last heard of
	highlight []bool       // by FuncID; nil highlights nothing
	theme     render.Theme
	diff      *render.DiffStyle // colours a comparison tree by change; nil by package
	unique    bool              // hatch frames the other profile lacks (side by side)
	// origins are whose code each function of the tree is (nil until
	// known); byOrigin colours frames by them rather than by package.
	origins  []model.Origin
	byOrigin bool
	scale    int64        // shared scale, render.View.ScaleTotal
	peer     model.NodeID // the frame hovered in the graph beside, or -1

	// OnSelect is called when the selected frame changes (-1: none).
	OnSelect func(n model.NodeID)
	// OnZoom is called after the zoomed frame changes.
	OnZoom func(focus model.NodeID)
	// OnTypedRune is called with a character typed over the graph, to
	// start a search with it.
	OnTypedRune func(r rune)
	// OnHover is called with the frame under the pointer (-1 when none).
	OnHover func(n model.NodeID)
	// OnClearHighlight is called after Esc took the highlight off.
	OnClearHighlight func()
	// OnMenu is called on right-click with the frame clicked, to build its
	// context menu; nil items mean no menu.
	OnMenu func(n model.NodeID) []*fyne.MenuItem
	// modifiers reports the keyboard modifiers held; replaced in tests.
	modifiers func() fyne.KeyModifier

	raster  *canvas.Raster
	tooltip *tooltip
	hovered int // index into boxes, or -1

	// Drawing state, written by the raster generator: what was drawn last,
	// in pixels, and how many pixels make a Fyne unit.
	painter     *render.Painter
	painterSize float64
	boxes       []render.Box
	pxPerUnit   float64
	drawnGen    uint64
	gen         uint64 // bumped by every change that needs a redraw
	img         *image.RGBA

	// The overview strip's rows, for the highlight and focus they were
	// found for: cleared when either changes.
	marked      []int
	markedFocus model.NodeID
	markedRows  int
}

var (
	_ fyne.Tappable          = (*FlameGraph)(nil)
	_ fyne.SecondaryTappable = (*FlameGraph)(nil)
	_ fyne.Scrollable        = (*FlameGraph)(nil)
	_ fyne.Draggable         = (*FlameGraph)(nil)
	_ fyne.Focusable         = (*FlameGraph)(nil)
	_ desktop.Hoverable      = (*FlameGraph)(nil)
)

// NewFlameGraph returns an empty flame graph; SetTree gives it a tree.
func NewFlameGraph() *FlameGraph {
	g := &FlameGraph{view: flameViewport{View: render.NewView(rowHeight)}, selected: -1, hovered: -1, peer: -1, pxPerUnit: 1, theme: currentTheme()}
	g.modifiers = currentModifiers
	g.raster = canvas.NewRaster(g.draw)
	g.tooltip = newTooltip()
	g.ExtendBaseWidget(g)
	return g
}

// SetTree shows t from its root; the zoom history is cleared.
func (g *FlameGraph) SetTree(t *model.Tree) {
	g.tree = t
	orientation := g.view.Orientation
	g.view = flameViewport{View: render.NewView(rowHeight)}
	g.view.Orientation = orientation
	g.history.Clear()
	g.selected = -1
	g.highlight, g.marked = nil, nil
	g.changed()
}

// ReplaceTree shows t in place of a tree with the same functions (the
// whole tree of an outline), keeping the zoom, its history and the
// selection: at maps a node of the old tree to t's.
func (g *FlameGraph) ReplaceTree(t *model.Tree, at func(model.NodeID) model.NodeID) {
	if g.tree == nil {
		g.SetTree(t)
		return
	}
	g.history.Map(func(v flameViewport) flameViewport {
		v.Focus = at(v.Focus)
		return v
	})
	g.view.Focus = at(g.view.Focus)
	if g.selected >= 0 {
		g.selected = at(g.selected)
	}
	g.tree = t
	g.marked = nil
	g.lastFocus = g.view.Focus
	g.changed()
}

// Tree is the tree shown.
func (g *FlameGraph) Tree() *model.Tree { return g.tree }

// flameViewport is the part of the tree a flame graph shows: render's view in
// tree space (the focus, XStart and XEnd), and the rows' scroll in Fyne
// units, which becomes render's ScrollY (screen space) when a frame is
// drawn at the screen's scale.
type flameViewport struct {
	render.View
	scroll float64 // how far the rows are scrolled from the root, in Fyne units
}

// View is the part of the tree shown.
func (g *FlameGraph) View() flameViewport { return g.view }

// SetOrientation puts the root at the top (Icicle) or bottom (Flame).
func (g *FlameGraph) SetOrientation(o render.Orientation) {
	g.view.Orientation = o
	g.changed()
}

// SetTheme switches colours, for the window theme changing.
func (g *FlameGraph) SetTheme(th render.Theme) {
	g.theme = th
	g.changed()
}

// SetDiff colours the frames of a comparison tree by how they changed
// (nil: by package).
func (g *FlameGraph) SetDiff(ds *render.DiffStyle) {
	g.diff = ds
	g.changed()
}

// SetSideBySide shares a scale with the graph beside (the value as wide
// as the graph; 0 for none) and hatches frames the other profile lacks.
func (g *FlameGraph) SetSideBySide(scale int64, on bool) {
	g.scale, g.unique = scale, on
	g.changed()
}

// SetPeer outlines the frame hovered in the graph beside (-1: none).
func (g *FlameGraph) SetPeer(n model.NodeID) {
	if g.peer != n {
		g.peer = n
		g.gen++
		g.Refresh()
	}
}

// SetHighlight highlights the functions marked true (nil: none).
func (g *FlameGraph) SetHighlight(funcs []bool) {
	g.highlight, g.marked = funcs, nil
	g.changed()
}

// Selected is the selected frame, or -1.
func (g *FlameGraph) Selected() model.NodeID { return g.selected }

// Select makes n the selected frame without zooming.
func (g *FlameGraph) Select(n model.NodeID) {
	if g.tree == nil || n >= model.NodeID(g.tree.Len()) {
		return
	}
	g.selected = n
	g.changed()
	if g.OnSelect != nil {
		g.OnSelect(n)
	}
}

// ZoomTo makes n span the full width, remembering the current view for Back.
// The rows scroll, if they must, to show n with its callees below it and a
// few of its callers above (the rest of them are scrolled past).
func (g *FlameGraph) ZoomTo(n model.NodeID) {
	if g.tree == nil || n < 0 || n >= model.NodeID(g.tree.Len()) {
		return
	}
	next := g.view
	next.Focus, next.XStart, next.XEnd = n, 0, 1
	next.scroll = g.scrollToShow(n, next.scroll)
	g.push(next)
	g.Select(n)
}

// Reveal brings frame n on screen without zooming into it: the view zooms
// out to the root first if n is not under the frame zoomed to, and the
// rows scroll as for ZoomTo. n is selected.
func (g *FlameGraph) Reveal(n model.NodeID) {
	if g.tree == nil || n < 0 || n >= model.NodeID(g.tree.Len()) {
		return
	}
	next := g.view
	if !g.under(n, next.Focus) {
		next.Focus, next.XStart, next.XEnd = model.Root, 0, 1
	}
	next.scroll = g.scrollToShow(n, next.scroll)
	g.push(next)
	g.Select(n)
}

// under reports whether n is focus or one of its descendants.
func (g *FlameGraph) under(n, focus model.NodeID) bool {
	for ; n >= 0; n = g.tree.Parent[n] {
		if n == focus {
			return true
		}
	}
	return false
}

// contextRows is how many rows of callers a jump keeps in view above the
// frame jumped to; calleeRows how many rows below it must be in view too.
const (
	contextRows = 3
	calleeRows  = 4
)

// scrollToShow is the scroll (in Fyne units) that shows frame n: scroll as
// it is when n's row and calleeRows below it are in view, else n's row with
// contextRows of callers before it. Rows count from the root's edge in both
// orientations.
func (g *FlameGraph) scrollToShow(n model.NodeID, scroll float64) float64 {
	h := float64(g.Size().Height)
	if h <= 0 {
		return scroll
	}
	top := float64(g.tree.Depth[n]) * rowHeight
	rows := math.Min(calleeRows+1, math.Max(1, math.Floor(h/rowHeight)-contextRows))
	if top >= scroll && top+rows*rowHeight <= scroll+h {
		return scroll
	}
	return math.Max(0, top-contextRows*rowHeight)
}

// ZoomOut shows the whole tree again (Esc).
func (g *FlameGraph) ZoomOut() {
	next := g.view
	next.Focus, next.XStart, next.XEnd, next.scroll = model.Root, 0, 1, 0
	g.push(next)
}

// Back returns to the view before the last zoom (Alt+←).
func (g *FlameGraph) Back() {
	if v, ok := g.history.Back(g.view); ok {
		g.view = v
		g.changed()
	}
}

// Forward redoes a zoom undone by Back (Alt+→).
func (g *FlameGraph) Forward() {
	if v, ok := g.history.Forward(g.view); ok {
		g.view = v
		g.changed()
	}
}

func (g *FlameGraph) push(next flameViewport) {
	if next == g.view {
		return
	}
	g.view = g.history.Push(g.view, next)
	g.changed()
}

// changed asks for a redraw.
func (g *FlameGraph) changed() {
	if g.OnZoom != nil && g.view.Focus != g.lastFocus {
		g.lastFocus = g.view.Focus
		g.OnZoom(g.view.Focus)
	}
	g.gen++
	g.hideTooltip()
	g.Refresh()
}

// draw is the raster's generator: it lays out and paints at the raster's
// pixel size, reusing the last image when nothing changed.
func (g *FlameGraph) draw(w, h int) image.Image {
	if g.img != nil && g.drawnGen == g.gen && g.img.Rect.Dx() == w && g.img.Rect.Dy() == h {
		return g.img
	}
	if size := g.Size(); size.Width > 0 {
		g.pxPerUnit = float64(w) / float64(size.Width)
	}
	if fontSize := labelFontSize * g.pxPerUnit; g.painter == nil || fontSize != g.painterSize {
		g.painter, g.painterSize = render.NewPainter(fontSize), fontSize
	}
	if g.img == nil || g.img.Rect.Dx() != w || g.img.Rect.Dy() != h {
		g.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	v := g.view.View
	v.RowHeight = render.Pixels(rowHeight * g.pxPerUnit)
	v.ScrollY = render.Pixels(g.view.scroll * g.pxPerUnit)
	v.ScaleTotal = g.scale
	g.boxes = render.Layout(g.tree, v, w, h)
	g.painter.Draw(g.img, g.tree, g.boxes, render.Style{Theme: g.theme, Highlight: g.highlight, Selected: g.selected,
		Diff: g.diff, MarkUnique: g.unique, Peer: g.peer, Overview: g.overview(v, h), Origins: g.originColours()})
	g.drawnGen = g.gen
	if g.tree != nil && exitAfterFirstFrame {
		fmt.Fprintln(os.Stderr, "flamelens: first frame drawn; exiting (FLAMELENS_FIRST_FRAME=exit)")
		os.Exit(0)
	}
	return g.img
}

// exitAfterFirstFrame ends the process once the first frame that shows a
// profile is drawn, for timing start-up from outside
// (FLAMELENS_FIRST_FRAME=exit; BenchmarkWindowFirstFrame).
var exitAfterFirstFrame = os.Getenv("FLAMELENS_FIRST_FRAME") == "exit"

// overview places the highlighted frames' rows on the graph's height, for
// the strip at its right edge; nil when nothing is highlighted. The rows
// are those of the frame zoomed to and its callers and callees.
func (g *FlameGraph) overview(v render.View, heightPx int) *render.Overview {
	if g.highlight == nil || g.tree == nil {
		return nil
	}
	if g.marked == nil || g.markedFocus != v.Focus {
		g.marked, g.markedRows = render.MarkedRows(g.tree, v.Focus, g.highlight)
		g.markedFocus = v.Focus
	}
	return render.OverviewOf(g.marked, g.markedRows, v, heightPx)
}

// boxAt returns the index of the box under a position in Fyne units, or -1.
func (g *FlameGraph) boxAt(pos fyne.Position) int {
	return render.Hit(g.boxes, float64(pos.X)*g.pxPerUnit, float64(pos.Y)*g.pxPerUnit)
}

// Tapped zooms to the frame clicked; a click on the root or on a dimmed
// ancestor zooms out to it; a click on merged frames magnifies them.
func (g *FlameGraph) Tapped(ev *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(g); c != nil {
		c.Focus(g)
	}
	i := g.boxAt(ev.Position)
	if i < 0 {
		return
	}
	b := g.boxes[i]
	switch {
	case b.Node == render.Narrow:
		width := float64(g.Size().Width) * g.pxPerUnit
		span := g.view.XEnd - g.view.XStart
		next := g.view
		next.XStart = g.view.XStart + render.Fraction(b.X/width)*span
		next.XEnd = g.view.XStart + render.Fraction((b.X+b.W)/width)*span
		g.push(next)
	case b.Node == model.Root:
		g.ZoomOut()
		g.Select(model.Root)
	default:
		g.ZoomTo(b.Node)
	}
}

// TappedSecondary opens the frame's context menu.
func (g *FlameGraph) TappedSecondary(ev *fyne.PointEvent) {
	i := g.boxAt(ev.Position)
	if i < 0 || g.boxes[i].Node == render.Narrow || g.OnMenu == nil {
		return
	}
	n := g.boxes[i].Node
	g.Select(n)
	items := g.OnMenu(n)
	if len(items) == 0 {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(g)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, ev.AbsolutePosition)
}

// Scrolled scrolls rows with the wheel, and with Ctrl held zooms
// horizontally around the pointer.
func (g *FlameGraph) Scrolled(ev *fyne.ScrollEvent) {
	if g.tree == nil {
		return
	}
	if g.modifiers()&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 {
		notches := float64(ev.Scrolled.DY) / 10
		g.zoomX(float64(ev.Position.X)/float64(g.Size().Width), math.Pow(zoomPerNotch, notches))
		return
	}
	if ev.Scrolled.DX != 0 {
		g.panX(float64(ev.Scrolled.DX))
	}
	if ev.Scrolled.DY != 0 {
		dy := -float64(ev.Scrolled.DY)
		if g.view.Orientation == render.Flame {
			dy = -dy
		}
		g.scrollBy(dy)
	}
}

// zoomX magnifies the horizontal range by factor around a point at
// fraction at of the widget's width (screen space); factor > 1 zooms in.
func (g *FlameGraph) zoomX(at, factor float64) {
	span := g.view.XEnd - g.view.XStart
	center := g.view.XStart + render.Fraction(at)*span
	newSpan := max(1e-9, min(1, span/render.Fraction(factor)))
	start := center - render.Fraction(at)*newSpan
	start = max(0, min(1-newSpan, start))
	g.view.XStart, g.view.XEnd = start, start+newSpan
	g.changed()
}

// panX moves the horizontal range by dx Fyne units.
func (g *FlameGraph) panX(dx float64) {
	span := g.view.XEnd - g.view.XStart
	shift := render.Fraction(-dx/float64(g.Size().Width)) * span
	start := max(0, min(1-span, g.view.XStart+shift))
	if start != g.view.XStart {
		g.view.XStart, g.view.XEnd = start, start+span
		g.changed()
	}
}

// scrollBy moves the rows by dy Fyne units, keeping the root reachable and
// the deepest frame on screen.
func (g *FlameGraph) scrollBy(dy float64) {
	maxScroll := math.Max(0, float64(g.deepest()+1)*rowHeight-float64(g.Size().Height)+rowHeight)
	y := math.Max(0, math.Min(maxScroll, g.view.scroll+dy))
	if y != g.view.scroll {
		g.view.scroll = y
		g.changed()
	}
}

// deepest is the depth of the deepest frame below the focus.
func (g *FlameGraph) deepest() int {
	d := int(g.tree.Depth[g.view.Focus])
	g.walkFrom(g.view.Focus, func(n model.NodeID) { d = max(d, int(g.tree.Depth[n])) })
	return d
}

// walkFrom visits the subtree of n (capped, to keep the UI responsive on
// huge trees: past the cap the scroll range is only as deep as seen).
func (g *FlameGraph) walkFrom(n model.NodeID, visit func(model.NodeID)) {
	stack := []model.NodeID{n}
	for seen := 0; len(stack) > 0 && seen < 200_000; seen++ {
		m := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		visit(m)
		stack = append(stack, g.tree.Children(m)...)
	}
}

// Dragged pans: sideways within a horizontal zoom, and up and down the rows.
func (g *FlameGraph) Dragged(ev *fyne.DragEvent) {
	if g.tree == nil {
		return
	}
	g.hideTooltip()
	g.panX(float64(ev.Dragged.DX))
	dy := -float64(ev.Dragged.DY)
	if g.view.Orientation == render.Flame {
		dy = -dy
	}
	g.scrollBy(dy)
}

// DragEnd ends a pan.
func (g *FlameGraph) DragEnd() {}

// MouseIn starts hovering.
func (g *FlameGraph) MouseIn(ev *desktop.MouseEvent) { g.MouseMoved(ev) }

// MouseMoved shows the tooltip of the frame under the pointer.
func (g *FlameGraph) MouseMoved(ev *desktop.MouseEvent) {
	i := g.boxAt(ev.Position)
	if i < 0 {
		g.hideTooltip()
		return
	}
	if i != g.hovered {
		g.hovered = i
		g.tooltip.SetText(g.TooltipText(g.boxes[i]))
		if g.OnHover != nil {
			g.OnHover(g.boxes[i].Node)
		}
	}
	g.tooltip.showAt(ev.Position, g.Size())
	canvas.Refresh(g) // the GL driver repaints a moved child only with its parent

}

// MouseOut hides the tooltip.
func (g *FlameGraph) MouseOut() { g.hideTooltip() }

func (g *FlameGraph) hideTooltip() {
	if g.hovered >= 0 && g.OnHover != nil {
		g.OnHover(-1)
	}
	g.hovered = -1
	if g.tooltip != nil {
		g.tooltip.Hide()
	}
}

// TooltipText describes a box (render.TooltipText), with whose code it is
// once the origins are known.
func (g *FlameGraph) TooltipText(b render.Box) string {
	return render.TooltipText(g.tree, b, g.originsOf(), g.diff)
}

// SetOrigins tells the graph whose code each function of its tree is
// (for the tooltip's nearest caller in the user's code), and whether to
// colour frames by it.
func (g *FlameGraph) SetOrigins(origins []model.Origin, byOrigin bool) {
	g.origins, g.byOrigin = origins, byOrigin
	g.changed()
}

// originsOf are the origins if they are the tree's, else nil.
func (g *FlameGraph) originsOf() []model.Origin {
	if g.tree == nil || len(g.origins) != len(g.tree.Funcs) {
		return nil
	}
	return g.origins
}

// originColours are the origins when frames are coloured by them.
func (g *FlameGraph) originColours() []model.Origin {
	if !g.byOrigin {
		return nil
	}
	return g.originsOf()
}

// FocusGained is part of fyne.Focusable.
func (g *FlameGraph) FocusGained() {}

// FocusLost is part of fyne.Focusable.
func (g *FlameGraph) FocusLost() {}

// TypedRune hands a character typed over the graph to OnTypedRune.
func (g *FlameGraph) TypedRune(r rune) {
	if g.OnTypedRune != nil {
		g.OnTypedRune(r)
	}
}

// TypedKey moves the selection with the arrow keys (toward the root,
// toward the largest callee, to the neighbouring frames), Enter zooms to
// it and Escape zooms out.
func (g *FlameGraph) TypedKey(ev *fyne.KeyEvent) {
	if g.tree == nil {
		return
	}
	n := g.selected
	if n < 0 {
		n = g.view.Focus
	}
	up, down := fyne.KeyUp, fyne.KeyDown
	if g.view.Orientation == render.Flame {
		up, down = down, up
	}
	moves := map[fyne.KeyName]render.Move{up: render.ToCaller, down: render.ToCallee, fyne.KeyLeft: render.ToPrev, fyne.KeyRight: render.ToNext}
	if m, ok := moves[ev.Name]; ok {
		if next := render.Step(g.tree, n, m); next != n {
			g.Select(next)
		}
		return
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		g.ZoomTo(n)
	case fyne.KeyEscape:
		if g.highlight != nil {
			g.SetHighlight(nil)
			if g.OnClearHighlight != nil {
				g.OnClearHighlight()
			}
		} else {
			g.ZoomOut()
		}
	}
}

// CreateRenderer is part of fyne.Widget.
func (g *FlameGraph) CreateRenderer() fyne.WidgetRenderer {
	return &flameGraphRenderer{g: g}
}

type flameGraphRenderer struct{ g *FlameGraph }

func (r *flameGraphRenderer) Layout(size fyne.Size) {
	r.g.raster.Resize(size)
	r.g.raster.Move(fyne.NewPos(0, 0))
}

func (r *flameGraphRenderer) MinSize() fyne.Size { return fyne.NewSize(100, 3*rowHeight) }

func (r *flameGraphRenderer) Refresh() {
	r.g.raster.Refresh()
	r.g.tooltip.Refresh()
}

func (r *flameGraphRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.g.raster, r.g.tooltip}
}

func (r *flameGraphRenderer) Destroy() {}

// tooltip is a small panel of text that follows the pointer.
type tooltip struct {
	widget.BaseWidget
	label *widget.Label
	bg    *canvas.Rectangle
}

func newTooltip() *tooltip {
	t := &tooltip{label: widget.NewLabel(""), bg: canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))}
	t.bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	t.bg.StrokeWidth = 1
	t.bg.CornerRadius = 4
	t.ExtendBaseWidget(t)
	t.Hide()
	return t
}

// SetText sets the tooltip's lines.
func (t *tooltip) SetText(s string) { t.label.SetText(s) }

// Text is the tooltip's text.
func (t *tooltip) Text() string { return t.label.Text }

// showAt places the tooltip below and right of the pointer, inside area.
func (t *tooltip) showAt(pointer fyne.Position, area fyne.Size) {
	t.label.Wrapping = fyne.TextWrapOff
	size := t.MinSize()
	if size.Width > area.Width {
		// A long name on a narrow graph: wrapped, not cut at its edge.
		t.label.Wrapping = fyne.TextWrapBreak
		t.label.Resize(fyne.NewSize(area.Width, size.Height))
		size = fyne.NewSize(area.Width, wrappedHeight(t.label, area.Width))
	}
	t.Resize(size)
	x := pointer.X + 14
	y := pointer.Y + 18
	if x+size.Width > area.Width {
		x = pointer.X - size.Width - 6
	}
	if y+size.Height > area.Height {
		y = pointer.Y - size.Height - 6
	}
	t.Move(fyne.NewPos(max(0, x), max(0, y)))
	t.Show()
}

func (t *tooltip) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(&fyne.Container{Layout: tooltipLayout{}, Objects: []fyne.CanvasObject{t.bg, t.label}})
}

// tooltipLayout stretches the background under the label.
type tooltipLayout struct{}

func (tooltipLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (tooltipLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[1].MinSize() }

// currentTheme is the render theme matching Fyne's theme variant.
func currentTheme() render.Theme {
	if a := fyne.CurrentApp(); a != nil && themeVariant(a) == theme.VariantDark {
		return render.DarkTheme
	}
	return render.LightTheme
}

// currentModifiers asks the desktop driver which modifier keys are held.
func currentModifiers() fyne.KeyModifier {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()
	}
	return 0
}

// ZoomToPath zooms to the frame at the end of a call path of names from
// the root (a saved session's zoom), as far as the path goes in this tree.
func (g *FlameGraph) ZoomToPath(path []string) {
	if g.tree == nil {
		return
	}
	if n := render.NodeAtPath(g.tree, path); n != model.Root {
		g.ZoomTo(n)
	}
}

// largest is the largest frame of the function named in the tree shown;
// false when the tree has none.
func (g *FlameGraph) largest(name string) (model.NodeID, bool) {
	if g.tree == nil {
		return -1, false
	}
	f, ok := g.tree.FuncByName(name)
	if !ok {
		return -1, false
	}
	n := g.tree.LargestFrame(f)
	return n, n > 0
}

// RevealLargest brings the largest frame of the function named into view,
// without zooming into it.
func (g *FlameGraph) RevealLargest(name string) {
	if n, ok := g.largest(name); ok {
		g.Reveal(n)
	}
}

// ZoomToLargest zooms to the largest frame of the function named.
func (g *FlameGraph) ZoomToLargest(name string) {
	if n, ok := g.largest(name); ok {
		g.ZoomTo(n)
	}
}
