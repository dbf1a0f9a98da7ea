package render

import (
	"image"
	"image/color"
	"testing"
	"time"
)

// The range chart: bars scaled to the peak at their times, a span's
// band and bars in its colour, and pixel columns read back as times.
func TestDrawSeries(t *testing.T) {
	from := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	s := &Series{From: from, To: from.Add(time.Hour), Step: time.Minute, Unit: "nanoseconds",
		Points: []Point{{from.Add(10 * time.Minute), 4e9}, {from.Add(40 * time.Minute), 2e9}}}
	shown, _ := SpanColors(true)
	s.Spans = []Span{{From: from.Add(30 * time.Minute), To: from.Add(50 * time.Minute), Label: "NEW", Color: shown}}
	img := image.NewRGBA(image.Rect(0, 0, 600, 60))
	p := NewPainter(11)
	p.DrawSeries(img, s, DarkTheme)

	bottom := 60 - p.LineHeight() - 4 // the plot's last row
	height := func(x int, c color.NRGBA) int {
		n := 0
		for y := bottom; y >= 0 && img.RGBAAt(x, y) == toRGBA(c); y-- {
			n++
		}
		return n
	}
	grey := Blend(DarkTheme.Background, TextColor(DarkTheme.Background), 0.5)
	tall := height(s.X(from.Add(10*time.Minute), 600)+2, grey)
	inSpan := height(s.X(from.Add(40*time.Minute), 600)+2, Blend(DarkTheme.Background, shown, 0.8))
	if tall < 30 || inSpan < tall/2-2 || inSpan > tall/2+2 {
		t.Errorf("bars %d and %d pixels high: want the peak's about twice the other's, the second in the span's hue", tall, inSpan)
	}
	if got := img.RGBAAt(s.X(from.Add(35*time.Minute), 600), bottom-2); got != toRGBA(Blend(DarkTheme.Background, shown, 0.22)) {
		t.Errorf("inside the span, away from bars: %v, want its band", got)
	}
	if got := img.RGBAAt(s.X(from.Add(20*time.Minute), 600), bottom-2); got != toRGBA(DarkTheme.Background) {
		t.Errorf("outside the span and the bars: %v, want the background", got)
	}
	for _, min := range []int{0, 15, 59} {
		at := from.Add(time.Duration(min) * time.Minute)
		if back := s.TimeAt(float64(s.X(at, 600)), 600); back.Sub(at).Abs() > 10*time.Second {
			t.Errorf("minute %d read back as %s", min, back.Sub(from))
		}
	}
}

func toRGBA(c color.NRGBA) color.RGBA { return color.RGBA{c.R, c.G, c.B, 0xff} }
