package render

import (
	"image"
	"image/color"
	"slices"
	"time"

	"github.com/flamelens/flamelens/model"
)

// Series is a time series drawn as a small bar chart over a time axis:
// a continuous profiler's total per step, with ranges marked on it.
type Series struct {
	From, To time.Time     // the time axis
	Step     time.Duration // each point stands for [Time, Time+Step)
	Points   []Point
	Unit     string // the values' unit, for the peak's label
	Spans    []Span // ranges marked on the chart, drawn in order
	// Hint is drawn at the chart's top left when there is room.
	Hint string
}

// Point is a value at a time.
type Point struct {
	Time  time.Time
	Value float64
}

// Span is a range marked on a chart, named at its top.
type Span struct {
	From, To time.Time
	Label    string
	Color    color.NRGBA
}

// SpanColors are the marks of a chart's ranges: the range shown (or NEW,
// when two are compared) and BASE: the colour-blind palette's two hues,
// told apart by anyone.
func SpanColors(dark bool) (shown, base color.NRGBA) {
	grew, shrank, _ := DiffColors(ColourBlind, dark)
	return grew, shrank
}

// X is the pixel column of t on a chart width pixels wide.
func (s *Series) X(t time.Time, width int) int {
	d := s.To.Sub(s.From)
	if d <= 0 {
		return 0
	}
	return int(float64(width) * float64(t.Sub(s.From)) / float64(d))
}

// TimeAt is the time at pixel column x of a chart width pixels wide,
// within the axis.
func (s *Series) TimeAt(x float64, width int) time.Time {
	if width <= 0 {
		return s.From
	}
	f := min(max(x/float64(width), 0), 1)
	return s.From.Add(time.Duration(f * float64(s.To.Sub(s.From))))
}

// DrawSeries draws s filling img: bars of the points scaled to the
// highest, the spans as tinted bands with their labels, time ticks along
// the bottom and the peak's value at the top right (or left, clear of the
// spans' labels).
func (p *Painter) DrawSeries(img *image.RGBA, s *Series, th Theme) {
	b := img.Bounds()
	fillRect(img, b, th.Background)
	ink := TextColor(th.Background)
	faint := Blend(th.Background, ink, 0.35)
	lh := p.LineHeight()
	// The labels are drawn over the bars, on their own background: the
	// chart stays short.
	plot := image.Rect(b.Min.X, b.Min.Y+2, b.Max.X, b.Max.Y-lh-3)
	if plot.Dy() < 4 || plot.Dx() < 10 {
		return
	}
	w := plot.Dx()
	fill := func(sp Span) color.NRGBA { return Blend(th.Background, sp.Color, 0.22) }
	// taken are the places of the labels drawn: a later label goes only
	// where it covers none of them.
	var taken []image.Rectangle
	place := func(x int, text string) image.Rectangle {
		return image.Rect(x-2, b.Min.Y+1, x+p.TextWidth(text)+2, b.Min.Y+lh+1)
	}
	free := func(r image.Rectangle, also ...image.Rectangle) bool {
		for _, rs := range [][]image.Rectangle{taken, also} {
			for _, t := range rs {
				if t.Overlaps(r) {
					return false
				}
			}
		}
		return r.Min.X >= b.Min.X && r.Max.X <= b.Max.X
	}
	label := func(x int, text string, ink, bg color.NRGBA) {
		r := place(x, text)
		fillRect(img, r, bg)
		p.drawText(img, b, x, b.Min.Y+p.ascent+1, text, ink)
		taken = append(taken, r)
	}
	bands := drawBands(img, s, plot, b.Min.Y, fill)
	peak := drawBars(img, s, plot, th.Background, Blend(th.Background, ink, 0.5))
	// Labels last, over the bars: the spans' names, then the hint (top
	// left) where it covers none of them, then the peak's value.
	for _, sp := range s.Spans {
		x0, x1 := plot.Min.X+s.X(sp.From, w), plot.Min.X+s.X(sp.To, w)
		x := x0 + 3
		if lw := p.TextWidth(sp.Label); lw+6 <= x1-x0 {
			x = x0 + (x1-x0-lw)/2
		}
		label(x, sp.Label, sp.Color, fill(sp))
	}
	if s.Hint != "" && free(place(b.Min.X+4, s.Hint)) {
		label(b.Min.X+4, s.Hint, ink, th.Background)
	}
	if peak > 0 {
		text := "peak " + model.FormatValue(int64(peak), s.Unit)
		tw := p.TextWidth(text)
		// Off the spans' bands if it can be, else off their labels: at the
		// right or left end, or beside a band or a label.
		at := []int{b.Max.X - tw - 4, b.Min.X + 4}
		for _, r := range append(slices.Clip(bands), taken...) {
			at = append(at, r.Min.X-tw-6, r.Max.X+6)
		}
	placing:
		for _, avoid := range [][]image.Rectangle{bands, nil} {
			for _, x := range at {
				if free(place(x, text), avoid...) {
					label(x, text, ink, th.Background)
					break placing
				}
			}
		}
	}
	fillRect(img, image.Rect(plot.Min.X, plot.Max.Y, plot.Max.X, plot.Max.Y+1), faint)
	p.drawTicks(img, s, plot, ink, faint)
}

// tickSteps are the spacings of a time axis's ticks, finest first.
var tickSteps = []time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour}

// drawTicks labels the axis under plot at round times, as many as fit.
func (p *Painter) drawTicks(img *image.RGBA, s *Series, plot image.Rectangle, ink, faint color.NRGBA) {
	span := s.To.Sub(s.From)
	if span <= 0 {
		return
	}
	layout := "15:04"
	if span > 48*time.Hour {
		layout = "Jan 2 15:04"
	}
	room := p.TextWidth(s.From.Format(layout)) + 16
	step := tickSteps[len(tickSteps)-1]
	for _, st := range tickSteps {
		if float64(plot.Dx())*float64(st)/float64(span) >= float64(room) {
			step = st
			break
		}
	}
	// Round times in local time: a tick at 00:00 where the user lives.
	_, offset := s.From.Zone()
	zone := time.Duration(offset) * time.Second
	first := s.From.Add(zone).Truncate(step).Add(-zone)
	if first.Before(s.From) {
		first = first.Add(step)
	}
	y := plot.Max.Y + 2 + p.ascent
	end := plot.Min.X - 1 // where the last label ended
	for t := first; !t.After(s.To); t = t.Add(step) {
		x := plot.Min.X + s.X(t, plot.Dx())
		fillRect(img, image.Rect(x, plot.Max.Y, x+1, plot.Max.Y+3), faint)
		label := t.Format(layout)
		lx := min(max(x-p.TextWidth(label)/2, plot.Min.X), plot.Max.X-p.TextWidth(label))
		if lx <= end+4 {
			continue // kept in at an edge, it would touch its neighbour
		}
		p.drawText(img, img.Bounds(), lx, y, label, ink)
		end = lx + p.TextWidth(label)
	}
}

// drawBands shades each span of s from top (the chart's top) to the plot's
// bottom, edged in its colour, and returns the bands.
func drawBands(img *image.RGBA, s *Series, plot image.Rectangle, top int, fill func(Span) color.NRGBA) []image.Rectangle {
	w := plot.Dx()
	bands := make([]image.Rectangle, len(s.Spans))
	for i, sp := range s.Spans {
		x0, x1 := plot.Min.X+s.X(sp.From, w), plot.Min.X+max(s.X(sp.To, w), s.X(sp.From, w)+2)
		band := image.Rect(x0, top, x1, plot.Max.Y)
		bands[i] = band
		fillRect(img, band, fill(sp))
		fillRect(img, image.Rect(x0, top, x0+1, plot.Max.Y), sp.Color)
		fillRect(img, image.Rect(x1-1, top, x1, plot.Max.Y), sp.Color)
	}
	return bands
}

// drawBars draws a bar per point of s, scaled to the peak it returns: grey
// (bar), so that the spans' hues stand out, and a span's bars in its hue.
func drawBars(img *image.RGBA, s *Series, plot image.Rectangle, bg, bar color.NRGBA) (peak float64) {
	for _, pt := range s.Points {
		peak = max(peak, pt.Value)
	}
	if peak <= 0 {
		return peak
	}
	w := plot.Dx()
	for _, pt := range s.Points {
		x0 := plot.Min.X + s.X(pt.Time, w)
		x1 := max(plot.Min.X+s.X(pt.Time.Add(s.Step), w)-1, x0+1)
		h := int(float64(plot.Dy()) * pt.Value / peak)
		if pt.Value > 0 {
			h = max(h, 1)
		}
		c := bar
		for _, sp := range s.Spans {
			if !pt.Time.Before(sp.From) && pt.Time.Before(sp.To) {
				c = Blend(bg, sp.Color, 0.8)
			}
		}
		fillRect(img, image.Rect(x0, plot.Max.Y-h, x1, plot.Max.Y), c)
	}
	return peak
}
