package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// flowLayout places objects left to right at their minimum size and wraps
// them onto as many rows as the width needs, so a bar of controls takes
// one row on a wide window and two or three on a laptop, instead of
// forcing the window wider than the screen. Its minimum width is that of
// its widest object; its minimum height is that of the rows it needs at
// the width it was last given.
type flowLayout struct {
	width float32 // the width last laid out at
}

// newFlow is a container of objects in a flowLayout.
func newFlow(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flowLayout{}, objects...)
}

func (l *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objs, size.Width, true)
}

// place puts the objects in rows no wider than width (when move is set)
// and returns the height the rows take.
func (l *flowLayout) place(objs []fyne.CanvasObject, width float32, move bool) float32 {
	pad := theme.Padding()
	x, y, rowH := float32(0), float32(0), float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > width {
			x, y, rowH = 0, y+rowH+pad, 0
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(m)
		}
		x += m.Width + pad
		rowH = max(rowH, m.Height)
	}
	return y + rowH
}

func (l *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	if l.width <= 0 {
		return fyne.NewSize(w, l.place(objs, 1<<20, false)) // one row until laid out
	}
	return fyne.NewSize(w, l.place(objs, l.width, false))
}

// tipLayer shows a tooltip over the window's content: a label in a box,
// placed near the pointer. It takes no events, so what is under it stays
// clickable and hoverable.
type tipLayer struct {
	layer *fyne.Container
	box   *fyne.Container
	label *widget.Label
}

func newTipLayer() *tipLayer {
	t := &tipLayer{label: widget.NewLabel("")}
	t.label.Wrapping = fyne.TextWrapBreak
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	t.box = container.NewStack(bg, t.label)
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// show shows text below (or, near the bottom, above) the pointer at abs,
// an absolute position in the window, kept inside the window.
func (t *tipLayer) show(text string, abs fyne.Position) {
	t.label.SetText(text)
	area := t.layer.Size()
	natural := float32(0) // the widest line, unwrapped
	for _, line := range strings.Split(text, "\n") {
		natural = max(natural, fyne.MeasureText(line, theme.TextSize(), t.label.TextStyle).Width)
	}
	w := min(natural+2*theme.InnerPadding()+2, max(200, area.Width-8))
	t.label.Resize(fyne.NewSize(w, 1))
	size := fyne.NewSize(w, wrappedHeight(t.label, w))
	layerPos := fyne.CurrentApp().Driver().AbsolutePositionForObject(t.layer)
	pos := fyne.NewPos(abs.X-layerPos.X+12, abs.Y-layerPos.Y+18)
	if pos.Y+size.Height > area.Height {
		pos.Y = max(0, abs.Y-layerPos.Y-size.Height-8)
	}
	pos.X = max(0, min(pos.X, area.Width-size.Width))
	t.box.Resize(size)
	t.box.Move(pos)
	t.box.Show()
	t.layer.Refresh()
}

// wrappedHeight is the height label needs, width wide, for every row its
// lines wrap into: Fyne's MinSize of a wrapping label counts its rows as
// last laid out, not at a width just given, so a tooltip measured by it
// left its last rows without a background. A line takes as many rows as
// its width needs at width (a character-breaking wrap fills each row).
func wrappedHeight(label *widget.Label, width float32) float32 {
	inner := width - 2*theme.InnerPadding()
	text := fyne.MeasureText("Mg", theme.TextSize(), label.TextStyle).Height
	rows := 0
	for _, line := range strings.Split(label.Text, "\n") {
		rows++
		if inner > 0 {
			rows += int(fyne.MeasureText(line, theme.TextSize(), label.TextStyle).Width / inner)
		}
	}
	need := float32(rows)*text + float32(rows-1)*theme.LineSpacing() + 2*theme.InnerPadding()
	return max(label.MinSize().Height, need)
}

func (t *tipLayer) hide() {
	if t.box.Visible() {
		t.box.Hide()
		t.layer.Refresh()
	}
}

// hoverLabel is a one-line label, cut with an ellipsis where it does not
// fit, that shows its whole text in a tooltip while the pointer is on it
// and the text is cut (or always, with tipAlways).
type hoverLabel struct {
	widget.Label
	tips      *tipLayer
	tipAlways bool
	tip       func() string // the tooltip's text; the label's by default
	// onMove, when set, also hears the pointer's moves (the table under a
	// cell keeps its row hover with it).
	onMove func(ev *desktop.MouseEvent)
	onOut  func()
}

var _ desktop.Hoverable = (*hoverLabel)(nil)

func newHoverLabel(text string, tips *tipLayer) *hoverLabel {
	l := &hoverLabel{tips: tips}
	l.Text = text
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// cut reports whether the text is wider than the label.
func (l *hoverLabel) cut() bool {
	w := fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width + 2*theme.SizeForWidget(theme.SizeNameInnerPadding, l)
	return w > l.Size().Width
}

func (l *hoverLabel) MouseIn(ev *desktop.MouseEvent) { l.MouseMoved(ev) }

func (l *hoverLabel) MouseMoved(ev *desktop.MouseEvent) {
	if l.onMove != nil {
		l.onMove(ev)
	}
	if l.tips == nil || l.Text == "" || !(l.tipAlways || l.cut()) {
		return
	}
	text := l.Text
	if l.tip != nil {
		text = l.tip()
	}
	l.tips.show(text, ev.AbsolutePosition)
}

func (l *hoverLabel) MouseOut() {
	if l.onOut != nil {
		l.onOut()
	}
	if l.tips != nil {
		l.tips.hide()
	}
}
