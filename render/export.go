package render

import (
	"bufio"
	"fmt"
	"html"
	"image"
	"image/png"
	"io"
	"math"
	"strings"

	"github.com/flamelens/flamelens/model"
)

// Picture is a flame graph to export: a tree, the part of it shown and a
// title line above it.
type Picture struct {
	Tree  *model.Tree
	View  View
	Title string
	// Width is in pixels; Height 0 fits every row that has a frame at
	// least a pixel wide (at most MaxExportHeight).
	Width, Height int
	Theme         Theme
	// Highlight and Diff are as in Style.
	Highlight []bool
	Diff      *DiffStyle
}

// MaxExportHeight bounds the height of a picture whose height is fitted.
const MaxExportHeight = 32000

// exportFontSize and exportRowHeight are the sizes of exported pictures.
const (
	exportFontSize  = 12
	exportRowHeight = 18
	titleHeight     = 26
)

// layout returns the picture's boxes (below the title) and its full size.
func (pic *Picture) layout() (boxes []Box, width, height int) {
	v := pic.View
	if v.RowHeight <= 0 {
		v.RowHeight = exportRowHeight
	}
	width = pic.Width
	graphHeight := pic.Height - titleHeight
	if pic.Height <= 0 {
		// Lay out everything, then fit the height to the deepest row shown.
		all := Layout(pic.Tree, View{Focus: v.Focus, XStart: v.XStart, XEnd: v.XEnd, RowHeight: v.RowHeight}, width, MaxExportHeight)
		deepest := 0
		for _, b := range all {
			deepest = max(deepest, b.Depth)
		}
		graphHeight = int(math.Min(float64(deepest+1)*float64(v.RowHeight), MaxExportHeight-titleHeight))
	}
	graphHeight = max(graphHeight, int(v.RowHeight))
	boxes = Layout(pic.Tree, v, width, graphHeight)
	for i := range boxes {
		boxes[i].Y += titleHeight
	}
	return boxes, width, graphHeight + titleHeight
}

func (pic *Picture) style() Style {
	return Style{Theme: pic.Theme, Highlight: pic.Highlight, Selected: -1, Diff: pic.Diff}
}

// Image draws the picture.
func (pic *Picture) Image() *image.RGBA {
	boxes, w, h := pic.layout()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	p := NewPainter(exportFontSize)
	p.Draw(img, pic.Tree, boxes, pic.style())
	title := p.ellipsize(pic.Title, w-2*labelPad)
	if p.TextWidth(pic.Title) <= w-2*labelPad {
		title = pic.Title
	}
	p.drawText(img, image.Rect(0, 0, w, titleHeight), labelPad, (titleHeight+p.ascent-p.descent)/2, title, TextColor(pic.Theme.Background))
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
	boxes, width, height := pic.layout()
	t := pic.Tree
	st := pic.style()
	p := NewPainter(exportFontSize)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Go, 'DejaVu Sans', Verdana, sans-serif" font-size="%d">
<rect x="0" y="0" width="%d" height="%d" fill="%s"/>
<text x="%d" y="%d" fill="%s">%s</text>
`, width, height, width, height, exportFontSize, width, height, hex(st.Theme.Background),
		labelPad, titleHeight/2+exportFontSize/3, hex(TextColor(st.Theme.Background)), xmlText(pic.Title))
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
