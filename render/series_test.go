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

// A span's name is never covered by the peak's value or the hint: with a
// span at the right end, the peak goes to the left; the span's name has
// as many pixels of its colour as when there is no peak at all.
func TestSeriesLabelsDoNotOverlap(t *testing.T) {
	from := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	shown, base := SpanColors(true)
	spans := []Span{{From: from.Add(50 * time.Minute), To: from.Add(time.Hour), Label: "NEW", Color: shown},
		{From: from.Add(2 * time.Minute), To: from.Add(10 * time.Minute), Label: "BASE", Color: base}}
	p := NewPainter(11)
	labelPixels := func(points []Point, hint string) (map[color.NRGBA]int, *image.RGBA) {
		s := &Series{From: from, To: from.Add(time.Hour), Step: time.Minute, Unit: "nanoseconds", Points: points, Spans: spans, Hint: hint}
		img := image.NewRGBA(image.Rect(0, 0, 400, 60))
		p.DrawSeries(img, s, DarkTheme)
		n := map[color.NRGBA]int{}
		for y := 0; y <= p.LineHeight(); y++ {
			for x := 0; x < 400; x++ {
				for _, c := range []color.NRGBA{shown, base} {
					if img.RGBAAt(x, y) == toRGBA(c) {
						n[c]++
					}
				}
			}
		}
		return n, img
	}
	bare, _ := labelPixels(nil, "")
	if bare[shown] == 0 || bare[base] == 0 {
		t.Fatalf("the spans' names are not drawn: %v", bare)
	}
	points := []Point{{from.Add(55 * time.Minute), 21.58e9}, {from.Add(5 * time.Minute), 3e9}}
	for _, hint := range []string{"", "drag: NEW, Shift+drag: BASE"} {
		got, img := labelPixels(points, hint)
		if got[shown] != bare[shown] || got[base] != bare[base] {
			t.Errorf("hint %q: the spans' names have %v pixels of their colours, %v without peak or hint", hint, got, bare)
		}
		// The peak's value is still said, clear of the names.
		ink := toRGBA(TextColor(DarkTheme.Background))
		text := 0
		for y := 0; y <= p.LineHeight(); y++ {
			for x := 0; x < 400; x++ {
				if img.RGBAAt(x, y) == ink {
					text++
				}
			}
		}
		if hint == "" && text == 0 {
			t.Error("the peak's value is not drawn")
		}
	}
}
