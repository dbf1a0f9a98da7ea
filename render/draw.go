package render

import (
	"image"
	"image/color"
	"math"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/flamelens/flamelens/model"
)

// Style is how boxes are drawn, beyond where they are.
type Style struct {
	Theme Theme
	// Highlight marks functions to stand out (search matches, a table
	// row); the others are dimmed. nil highlights nothing and dims nothing.
	Highlight []bool
	// Selected is outlined; -1 for none.
	Selected model.NodeID
	// Diff colours frames by their change, for comparison trees; nil
	// colours by package.
	Diff *DiffStyle
	// MarkUnique hatches, in a comparison tree coloured by package, the
	// frames the other profile does not have (side-by-side graphs).
	MarkUnique bool
	// Peer is outlined thinly: the frame hovered in the graph beside this
	// one; -1 for none.
	Peer model.NodeID
	// Origins, when not nil (one per function of the tree), colour frames
	// by whose code they are (OriginColor) instead of by package.
	Origins []model.Origin
	// Overview, when not nil, is drawn as a strip on the right edge: the
	// rows in view and a mark for each row holding a highlighted frame, as
	// an editor marks search results beside its scroll bar.
	Overview *Overview
}

// Overview places the rows of a tree (from the focus's row down) on the
// height of the picture.
type Overview struct {
	// Rows is how many rows there are; FirstVisible and LastVisible the
	// ones on screen.
	Rows, FirstVisible, LastVisible int
	// Marked are the rows with a highlighted frame, each once.
	Marked []int
	// RootAtBottom counts rows up from the bottom, as the graph does.
	RootAtBottom bool
}

// OverviewWidth is the width in pixels of the overview strip, per pixel
// of row height: it scales with the display.
const OverviewWidth = 0.4

// labelPad is the space left of a label inside its frame, in pixels.
const labelPad = 4

// Painter draws boxes into images. It caches rasterized glyphs and each
// function's label forms, so it is reused from frame to frame; it is not
// safe for concurrent use.
type Painter struct {
	face    font.Face
	ascent  int
	descent int
	glyphs  map[rune]*glyph
	ascii   [128]*glyph
	forms   map[string][]labelForm
	size    float64
	// wide draws the labels of wide frames: larger and bold, so the hot
	// path reads first (made on first use).
	wide *Painter
}

// wideFrame is the least width, in pixels and as a share of the picture,
// of a frame whose label is drawn larger and bold.
const (
	wideFramePx    = 240
	wideFrameShare = 0.25
)

type glyph struct {
	bounds image.Rectangle // relative to the dot
	mask   *image.Alpha
	adv    int // pixels
}

type labelForm struct {
	text  string
	width int
}

// NewPainter returns a painter whose labels are fontSize pixels tall
// (scale included: pass 12×scale on a HiDPI screen).
func NewPainter(fontSize float64) *Painter { return newPainter(goregular.TTF, fontSize) }

// widePainter is p's painter for the labels of wide frames: bold, a
// twelfth larger, as long as the row (rowPx high) has room for it.
func (p *Painter) widePainter(rowPx int) *Painter {
	if p.wide == nil {
		p.wide = newPainter(gobold.TTF, math.Round(p.size*13/12))
	}
	if p.wide.ascent+p.wide.descent > rowPx {
		return p
	}
	return p.wide
}

func newPainter(ttf []byte, fontSize float64) *Painter {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic("render: the embedded Go font does not parse: " + err.Error()) // cannot happen: a fixed, vetted file
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: fontSize, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("render: " + err.Error())
	}
	m := face.Metrics()
	return &Painter{
		face:    face,
		ascent:  m.Ascent.Ceil(),
		descent: m.Descent.Ceil(),
		glyphs:  map[rune]*glyph{},
		forms:   map[string][]labelForm{},
		size:    fontSize,
	}
}

func (p *Painter) glyph(r rune) *glyph {
	if r >= 0 && r < 128 && p.ascii[r] != nil {
		return p.ascii[r]
	}
	if g, ok := p.glyphs[r]; ok {
		return g
	}
	dr, mask, maskp, adv, ok := p.face.Glyph(fixed.P(0, 0), r)
	if !ok && r != '?' {
		g := p.glyph('?')
		p.glyphs[r] = g
		return g
	}
	g := &glyph{bounds: dr, adv: adv.Round(), mask: image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))}
	if mask != nil {
		for y := 0; y < dr.Dy(); y++ {
			for x := 0; x < dr.Dx(); x++ {
				_, _, _, a := mask.At(maskp.X+x, maskp.Y+y).RGBA()
				g.mask.Pix[y*g.mask.Stride+x] = uint8(a >> 8)
			}
		}
	}
	if r >= 0 && r < 128 {
		p.ascii[r] = g
	} else {
		p.glyphs[r] = g
	}
	return g
}

// TextWidth is the width of s in pixels.
func (p *Painter) TextWidth(s string) int {
	w := 0
	for _, r := range s {
		w += p.glyph(r).adv
	}
	return w
}

// LineHeight is the height of a line of text in pixels.
func (p *Painter) LineHeight() int { return p.ascent + p.descent }

// Label returns the longest display form of name that fits in width
// pixels, else the shortest form with its middle replaced by "…", else ""
// when not even a few characters fit.
func (p *Painter) Label(name string, width int) string {
	forms, ok := p.forms[name]
	if !ok {
		for _, s := range DisplayNames(name) {
			forms = append(forms, labelForm{text: s, width: p.TextWidth(s)})
		}
		p.forms[name] = forms
	}
	for _, f := range forms {
		if f.width <= width {
			return f.text
		}
	}
	return p.ellipsize(forms[len(forms)-1].text, width)
}

// ellipsize keeps the start and end of s around a "…" within width pixels.
func (p *Painter) ellipsize(s string, width int) string {
	runes := []rune(s)
	ell := p.glyph('…').adv
	if len(runes) < 4 || width < ell+3*p.glyph('m').adv {
		return ""
	}
	// Grow the kept head and tail one rune at a time, alternately.
	head, tail, used := 0, 0, ell
	for head+tail < len(runes)-1 {
		next := runes[head]
		if tail < head {
			next = runes[len(runes)-1-tail]
		}
		w := p.glyph(next).adv
		if used+w > width {
			break
		}
		used += w
		if tail < head {
			tail++
		} else {
			head++
		}
	}
	if head+tail < 3 {
		return ""
	}
	return string(runes[:head]) + "…" + string(runes[len(runes)-tail:])
}

// Draw fills img with the background and draws boxes of tree t on it.
func (p *Painter) Draw(img *image.RGBA, t *model.Tree, boxes []Box, st Style) {
	fillRect(img, img.Bounds(), st.Theme.Background)
	var selected, peer *Box
	for i := range boxes {
		b := &boxes[i]
		fill := st.Theme.Narrow
		name := ""
		hatch := false
		if b.Node != Narrow {
			name = model.EscapeControl(t.Label(b.Node)) // a tab or a newline would not show
			fill, hatch = frameFill(t, b.Node, name, &st)
			if st.Highlight != nil {
				if b.Node != model.Root && st.Highlight[t.Fn[b.Node]] {
					fill, hatch = st.Theme.Match, false
				} else {
					fill = Blend(fill, st.Theme.Background, 0.55)
				}
			}
		}
		if b.Dim {
			fill = Blend(fill, st.Theme.Background, 0.45)
		}
		r := b.pixels()
		fillRect(img, r, fill)
		if hatch {
			hatchRect(img, r, Blend(fill, TextColor(fill), 0.35))
		}
		if b.Node != Narrow && t.Inlined(b.Node) && r.Dx() >= 6 {
			dottedEdge(img, r, Blend(fill, TextColor(fill), 0.6))
		}
		if b.Node == st.Selected {
			selected = b
		}
		if b.Node == st.Peer && st.Peer > 0 {
			peer = b
		}
		if name == "" || r.Dx() < 2*labelPad+6 {
			continue
		}
		lp := p
		if r.Dx() >= wideFramePx && float64(r.Dx()) >= wideFrameShare*float64(img.Rect.Dx()) {
			lp = p.widePainter(r.Dy())
		}
		label := lp.Label(name, r.Dx()-2*labelPad)
		if label == "" {
			continue
		}
		baseline := r.Min.Y + (r.Dy()+lp.ascent-lp.descent)/2
		lp.drawText(img, r, r.Min.X+labelPad, baseline, label, TextColor(fill))
	}
	if peer != nil {
		strokeRect(img, peer.pixels(), st.Theme.Selection, 1)
	}
	if selected != nil {
		strokeRect(img, selected.pixels(), st.Theme.Selection, 2)
	}
	if st.Overview != nil {
		drawOverview(img, st.Overview, st.Theme, boxes)
	}
}

// drawOverview draws the overview strip at the right edge of img: a track,
// the rows on screen as a lighter thumb, and a mark per marked row.
func drawOverview(img *image.RGBA, o *Overview, th Theme, boxes []Box) {
	b := img.Bounds()
	rowPx := 18.0
	if len(boxes) > 0 {
		rowPx = boxes[0].H
	}
	w := max(4, int(math.Round(rowPx*OverviewWidth)))
	if o.Rows <= 0 || b.Dx() < 4*w || b.Dy() < 8 {
		return
	}
	strip := image.Rect(b.Max.X-w, b.Min.Y, b.Max.X, b.Max.Y)
	track := Blend(th.Narrow, th.Background, 0.6)
	fillRect(img, strip, track)
	y := func(row int) int {
		if o.RootAtBottom {
			row = o.Rows - row
		}
		return b.Min.Y + int(float64(row)/float64(o.Rows)*float64(b.Dy()))
	}
	y0, y1 := y(o.FirstVisible), y(o.LastVisible+1)
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	thumb := image.Rect(strip.Min.X, y0, strip.Max.X, max(y1, y0+2))
	fillRect(img, thumb.Intersect(strip), Blend(th.Narrow, th.Background, 0.1))
	markH := max(2, int(math.Round(rowPx/6)))
	for _, row := range o.Marked {
		at := y(row)
		if o.RootAtBottom {
			at = y(row + 1)
		}
		top := min(at, strip.Max.Y-markH)
		fillRect(img, image.Rect(strip.Min.X, top, strip.Max.X, top+markH), th.Match)
	}
}

// frameFill is a frame's colour: by package and function, or by change in a comparison,
// where frames found in one profile only are also hatched.
func frameFill(t *model.Tree, n model.NodeID, name string, st *Style) (fill color.NRGBA, hatch bool) {
	if st.Diff.Compared(t) == nil {
		unique := st.MarkUnique && t.OtherTotal != nil && t.OtherTotal[n] == 0 && t.Total[n] != 0
		if f := t.Fn[n]; st.Origins != nil && f >= 0 && int(f) < len(st.Origins) {
			return OriginColor(st.Origins[f], model.PackageOf(name), t.Name(n), st.Theme.Dark), unique
		}
		return FrameColor(model.PackageOf(name), t.Name(n), st.Theme.Dark), unique
	}
	c := ChangeOf(t, n, st.Diff)
	if st.Diff.Insignificant(t, n) {
		_, _, neutral := DiffColors(st.Diff.Palette, st.Theme.Dark)
		return neutral, c.OnlyNew || c.OnlyBase
	}
	return DiffColor(c, st.Diff, st.Theme.Dark), c.OnlyNew || c.OnlyBase
}

// dottedEdge marks a frame inlined into its caller: a dotted line down its
// left edge, as pprof dots the edges of inlined calls in its graph.
func dottedEdge(img *image.RGBA, r image.Rectangle, c color.NRGBA) {
	w := max(1, r.Dy()/8)
	for y := r.Min.Y; y < r.Max.Y; y += 2 * w {
		fillRect(img, image.Rect(r.Min.X, y, r.Min.X+w+1, min(y+w, r.Max.Y)), c)
	}
}

// hatchRect draws diagonal stripes over r.
func hatchRect(img *image.RGBA, r image.Rectangle, c color.NRGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if (x+y)%6 == 0 {
				i := (y-img.Rect.Min.Y)*img.Stride + (x-img.Rect.Min.X)*4
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = c.R, c.G, c.B
			}
		}
	}
}

// pixels is the box's rectangle on the pixel grid, with a one-pixel gap on
// its right and bottom edges to set neighbours apart.
func (b *Box) pixels() image.Rectangle {
	x0 := int(math.Floor(b.X))
	x1 := int(math.Floor(b.X + b.W))
	if x1 <= x0 {
		x1 = x0 + 1
	}
	if x1-x0 >= 3 {
		x1--
	}
	y0 := int(math.Round(b.Y))
	y1 := int(math.Round(b.Y+b.H)) - 1
	if y1 <= y0 {
		y1 = y0 + 1
	}
	return image.Rect(x0, y0, x1, y1)
}

// drawText draws s with its baseline at y, clipped to clip.
func (p *Painter) drawText(img *image.RGBA, clip image.Rectangle, x, y int, s string, c color.NRGBA) {
	clip = clip.Intersect(img.Bounds())
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		g := p.glyph(r)
		dst := g.bounds.Add(image.Pt(x, y))
		vis := dst.Intersect(clip)
		for py := vis.Min.Y; py < vis.Max.Y; py++ {
			mrow := g.mask.Pix[(py-dst.Min.Y)*g.mask.Stride:]
			prow := img.Pix[(py-img.Rect.Min.Y)*img.Stride:]
			for px := vis.Min.X; px < vis.Max.X; px++ {
				a := uint32(mrow[px-dst.Min.X])
				if a == 0 {
					continue
				}
				i := (px - img.Rect.Min.X) * 4
				prow[i] = uint8((uint32(prow[i])*(255-a) + uint32(c.R)*a) / 255)
				prow[i+1] = uint8((uint32(prow[i+1])*(255-a) + uint32(c.G)*a) / 255)
				prow[i+2] = uint8((uint32(prow[i+2])*(255-a) + uint32(c.B)*a) / 255)
				prow[i+3] = 255
			}
		}
		x += g.adv
		if x >= clip.Max.X {
			return
		}
	}
}

// fillRect paints r (clipped to img) with an opaque colour.
func fillRect(img *image.RGBA, r image.Rectangle, c color.NRGBA) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	row := img.Pix[(r.Min.Y-img.Rect.Min.Y)*img.Stride+(r.Min.X-img.Rect.Min.X)*4:]
	first := row[:r.Dx()*4]
	for i := 0; i < len(first); i += 4 {
		first[i], first[i+1], first[i+2], first[i+3] = c.R, c.G, c.B, 0xff
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		off := (y-img.Rect.Min.Y)*img.Stride + (r.Min.X-img.Rect.Min.X)*4
		copy(img.Pix[off:off+len(first)], first)
	}
}

// strokeRect outlines r with lines w pixels wide, inside r.
func strokeRect(img *image.RGBA, r image.Rectangle, c color.NRGBA, w int) {
	fillRect(img, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), c)
	fillRect(img, image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), c)
	fillRect(img, image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Max.Y), c)
	fillRect(img, image.Rect(r.Max.X-w, r.Min.Y, r.Max.X, r.Max.Y), c)
}
