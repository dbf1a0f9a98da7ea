package render

import (
	"bufio"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"

	"github.com/flamelens/flamelens/model"
)

// Picture is a flame graph to export: a tree, the part of it shown and a
// title line above it; a comparison's also has a legend of its colours.
type Picture struct {
	Tree  *model.Tree
	View  View
	Title string
	// Width is in pixels; Height 0 fits every row that has a frame at
	// least a pixel wide (at most MaxExportHeight).
	Width, Height int
	// Scale multiplies a PNG's pixels (2 for a HiDPI screen or a slide):
	// its width, height, rows and type are drawn that much larger; 0 is 1.
	// An SVG is drawn at 1: a viewer scales it.
	Scale float64
	Theme Theme
	// Highlight and Diff are as in Style.
	Highlight []bool
	Diff      *DiffStyle
}

// MaxExportHeight bounds the height of a picture whose height is fitted.
const MaxExportHeight = 32000

// exportFontSize, exportRowHeight, titleHeight and legendHeight are the
// sizes of exported pictures at scale 1.
const (
	exportFontSize  = 12
	exportRowHeight = 18
	titleHeight     = 26
	legendHeight    = 20
)

// metrics are a picture's sizes in pixels at its scale.
type metrics struct {
	scale              float64
	font               float64
	row, title, legend int
}

func (pic *Picture) metrics(scale float64) metrics {
	if scale <= 0 {
		scale = 1
	}
	px := func(v float64) int { return int(math.Round(v * scale)) }
	m := metrics{scale: scale, font: exportFontSize * scale, row: px(exportRowHeight), title: px(titleHeight)}
	if pic.Diff != nil {
		m.legend = px(legendHeight)
	}
	return m
}

// layout returns the picture's boxes (below the title and legend) and its
// full size, in pixels at m's scale.
func (pic *Picture) layout(m metrics) (boxes []Box, width, height int) {
	v := pic.View
	if v.RowHeight <= 0 {
		v.RowHeight = exportRowHeight
	}
	v.RowHeight *= Pixels(m.scale)
	header := m.title + m.legend
	width = int(math.Round(float64(pic.Width) * m.scale))
	graphHeight := int(math.Round(float64(pic.Height)*m.scale)) - header
	if pic.Height <= 0 {
		// Lay out everything, then fit the height to the deepest row shown.
		all := Layout(pic.Tree, View{Focus: v.Focus, XStart: v.XStart, XEnd: v.XEnd, RowHeight: v.RowHeight}, width, MaxExportHeight)
		deepest := 0
		for _, b := range all {
			deepest = max(deepest, b.Depth)
		}
		graphHeight = int(math.Min(float64(deepest+1)*float64(v.RowHeight), float64(MaxExportHeight-header)))
	}
	graphHeight = max(graphHeight, int(v.RowHeight))
	boxes = Layout(pic.Tree, v, width, graphHeight)
	for i := range boxes {
		boxes[i].Y += float64(header)
	}
	return boxes, width, graphHeight + header
}

func (pic *Picture) style() Style {
	return Style{Theme: pic.Theme, Highlight: pic.Highlight, Selected: -1, Diff: pic.Diff}
}

// legendItem is one entry of a comparison's legend: a swatch (none for a
// note) and what it means.
type legendItem struct {
	swatch *color.NRGBA
	text   string
	dashed bool // the swatch is outlined with dashes, as one run's frames are in SVG
	hatch  bool // the swatch is hatched, as one run's frames are in a PNG
}

// legend explains a comparison picture's colours, as the window's legend
// and the HTML page's do; nil for other pictures.
func (pic *Picture) legend(svg bool) []legendItem {
	if pic.Diff == nil {
		return nil
	}
	grew, shrank, neutral := DiffColors(pic.Diff.Palette, pic.Theme.Dark)
	by := "self"
	if pic.Diff.ByTotal {
		by = "total"
	}
	one := legendItem{swatch: &neutral, text: "hatched: in one run only", hatch: true}
	if svg {
		one = legendItem{swatch: &neutral, text: "dashed: in one run only", dashed: true}
	}
	return []legendItem{
		{swatch: &grew, text: "grew"},
		{swatch: &shrank, text: "shrank"},
		{swatch: &neutral, text: fmt.Sprintf("within %g%%", pic.Diff.Noise*100)},
		one,
		{text: fmt.Sprintf("colour by change in %s value, full at ±%.1f%% of the total", by, max(pic.Diff.Scale, pic.Diff.Noise)*100)},
	}
}

// Image draws the picture (at its scale).
func (pic *Picture) Image() *image.RGBA {
	m := pic.metrics(pic.Scale)
	boxes, w, h := pic.layout(m)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	p := NewPainter(m.font)
	p.Draw(img, pic.Tree, boxes, pic.style())
	pad := int(math.Round(labelPad * m.scale))
	ink := TextColor(pic.Theme.Background)
	fillRect(img, image.Rect(0, 0, w, m.title+m.legend), pic.Theme.Background)
	title := p.ellipsize(pic.Title, w-2*pad)
	if p.TextWidth(pic.Title) <= w-2*pad {
		title = pic.Title
	}
	p.drawText(img, image.Rect(0, 0, w, m.title), pad, (m.title+p.ascent-p.descent)/2, title, ink)
	x, row := pad, image.Rect(0, m.title, w, m.title+m.legend)
	baseline := row.Min.Y + (m.legend+p.ascent-p.descent)/2
	side := p.ascent
	for _, it := range pic.legend(false) {
		if it.swatch != nil {
			r := image.Rect(x, baseline-side, x+side, baseline)
			fillRect(img, r, *it.swatch)
			if it.hatch {
				hatchRect(img, r, Blend(*it.swatch, TextColor(*it.swatch), 0.35))
			}
			x += side + pad
		}
		p.drawText(img, row, x, baseline, it.text, ink)
		x += p.TextWidth(it.text) + 3*pad
	}
	return img
}

// WritePNG encodes the picture as PNG.
func (pic *Picture) WritePNG(w io.Writer) error {
	return png.Encode(w, pic.Image())
}

// WriteSVG writes the picture as SVG: one <rect> per visible frame, each
// with a <title> holding its name and values (a browser shows it as a
// tooltip), and the same labels as the picture.
func (pic *Picture) WriteSVG(w io.Writer) error {
	m := pic.metrics(1)
	boxes, width, height := pic.layout(m)
	t := pic.Tree
	st := pic.style()
	p := NewPainter(exportFontSize)
	bw := bufio.NewWriter(w)
	ink := hex(TextColor(st.Theme.Background))
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Go, 'DejaVu Sans', Verdana, sans-serif" font-size="%d">
<rect x="0" y="0" width="%d" height="%d" fill="%s"/>
<text x="%d" y="%d" fill="%s">%s</text>
`, width, height, width, height, exportFontSize, width, height, hex(st.Theme.Background),
		labelPad, titleHeight/2+exportFontSize/3, ink, xmlText(pic.Title))
	x, baseline := labelPad, m.title+(m.legend+p.ascent-p.descent)/2
	for _, it := range pic.legend(true) {
		if it.swatch != nil {
			dash := ""
			if it.dashed {
				dash = fmt.Sprintf(` stroke="%s" stroke-dasharray="3 2"`, hex(TextColor(*it.swatch)))
			}
			fmt.Fprintf(bw, `<rect class="legend" x="%d" y="%d" width="%d" height="%d" fill="%s"%s/>`+"\n", x, baseline-p.ascent, p.ascent, p.ascent, hex(*it.swatch), dash)
			x += p.ascent + labelPad
		}
		fmt.Fprintf(bw, `<text class="legend" x="%d" y="%d" fill="%s">%s</text>`+"\n", x, baseline, ink, xmlText(it.text))
		x += p.TextWidth(it.text) + 3*labelPad
	}
	for i := range boxes {
		b := &boxes[i]
		r := b.pixels()
		fill := st.Theme.Narrow
		name := "frames narrower than a pixel"
		tip := fmt.Sprintf("%s\ntotal: %s", name, valueText(t, b.Value))
		outline := ""
		if b.Node != Narrow {
			name = t.Label(b.Node)
			var only bool
			fill, only = frameFill(t, b.Node, name, &st)
			tip = fmt.Sprintf("%s\nself: %s\ntotal: %s", name, valueText(t, t.Self[b.Node]), valueText(t, t.Total[b.Node]))
			if st.Diff.Compared(t) != nil {
				tip = name + "\n" + DiffTooltip(t, b.Node, st.Diff)
			}
			if only { // in one profile only: a dashed outline, as the window hatches it
				outline = fmt.Sprintf(` stroke="%s" stroke-dasharray="3 2"`, hex(TextColor(fill)))
			}
		}
		if b.Dim {
			fill = Blend(fill, st.Theme.Background, 0.45)
		}
		fmt.Fprintf(bw, `<g><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" fill="%s"%s/>`,
			xmlText(tip), r.Min.X, r.Min.Y, r.Dx(), r.Dy(), hex(fill), outline)
		if b.Node != Narrow && r.Dx() >= 2*labelPad+6 {
			if label := p.Label(name, r.Dx()-2*labelPad); label != "" {
				fmt.Fprintf(bw, `<text x="%d" y="%d" fill="%s">%s</text>`,
					r.Min.X+labelPad, r.Min.Y+(r.Dy()+p.ascent-p.descent)/2, hex(TextColor(fill)), xmlText(label))
			}
		}
		bw.WriteString("</g>\n")
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// xmlText escapes s for SVG text: valid UTF-8, no control characters.
func xmlText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' {
			return '\uFFFD'
		}
		return r
	}, s)
	return html.EscapeString(s)
}

// valueText is "1.41s (6.64%)": a value with its unit and share of the total.
func valueText(t *model.Tree, v int64) string {
	return model.FormatValue(v, t.SampleType.Unit) + " (" + model.Percent(v, t.AbsTotal) + ")"
}

func hex(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}
