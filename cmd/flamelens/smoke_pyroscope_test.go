package main

import (
	"image"
	"image/color"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/flamelens/flamelens/render"
)

// chartAxis is the range chart's time axis in r (the dark theme's): the
// row with the most pixels of the axis line's colour, and how many.
func chartAxis(img image.Image, r image.Rectangle) (row, count int) {
	bg := render.DarkTheme.Background
	line := render.Blend(bg, render.TextColor(bg), 0.35)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		n := 0
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA), line) {
				n++
			}
		}
		if n > count {
			row, count = y, n
		}
	}
	return row, count
}

// chartOf is the range chart's plot in img, found by its axis within r.
func chartOf(t *testing.T, img image.Image, r image.Rectangle, name string) image.Rectangle {
	row, n := chartAxis(img, r)
	if n < r.Dx()*3/4 {
		keepShot(t, img, name)
		t.Fatalf("no range chart over the graph (best axis row %d is %d of %d pixels)", row, n, r.Dx())
	}
	return image.Rect(r.Min.X, row-36, r.Max.X, row)
}

// greyBars counts the pixels of r in the chart's bar grey.
func greyBars(img image.Image, r image.Rectangle) int {
	bg := render.DarkTheme.Background
	return spanPixels(img, r, render.TextColor(bg), 0.5)
}

// spanPixels counts the pixels of r of colour c blended into the
// background by each of shares: a range's band (0.22) or bars (0.8).
func spanPixels(img image.Image, r image.Rectangle, c color.NRGBA, shares ...float64) int {
	bg := render.DarkTheme.Background
	if len(shares) == 0 {
		shares = []float64{0.22, 0.8}
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			for _, share := range shares {
				if near(p, render.Blend(bg, c, share)) {
					n++
					break
				}
			}
		}
	}
	return n
}

// TestWindowPyroscope opens a Pyroscope query of a real server in the real
// window: the range chart shows over the graph; a drag across it shows a
// range (marked on the chart); a Shift+drag compares it with a second
// range (both marked, the graph turned differential); nothing is logged.
func TestWindowPyroscope(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window and a Pyroscope server")
	}
	srv, _ := pushFleet(t)
	display := startXvfb(t)
	win, stderr := startWindow(t, display, "pyroscope://", nil, srv.Source+"?service=checkout&type=cpu&from=-1h")
	dir := t.TempDir()
	// The chart is over the graph, in the window's upper part, left side:
	// wait for it (the query is read first; a screen that stays the same
	// while it loads is not the chart), then for its series to settle.
	left := image.Rect(win.Min.X+5, win.Min.Y+60, win.Min.X+win.Dx()/2, win.Min.Y+300)
	awaitShot(t, display, filepath.Join(dir, "chart.png"), func(img image.Image) bool {
		_, n := chartAxis(img, left)
		return n >= left.Dx()*3/4
	})
	shot := settledShot(t, display, filepath.Join(dir, "chart.png"), image.Rectangle{})
	chart := chartOf(t, shot, left, "pyroscope-chart-failed.png")
	if n := greyBars(shot, chart); n < 20 {
		keepShot(t, shot, "pyroscope-chart-failed.png")
		t.Fatalf("the chart has no bars (%d pixels)", n)
	}
	shown, base := render.SpanColors(true)
	if n := spanPixels(shot, chart, shown) + spanPixels(shot, chart, base); n > 0 {
		keepShot(t, shot, "pyroscope-chart-failed.png")
		t.Fatalf("the whole range is shown, yet %d pixels of the chart are marked", n)
	}
	drag := func(x0, x1 int, keys ...string) {
		y := strconv.Itoa(chart.Max.Y - 10)
		args := []string{"mousemove", strconv.Itoa(x0), y}
		for _, k := range keys {
			args = append(args, "keydown", k)
		}
		args = append(args, "mousedown", "1")
		for x := x0; x <= x1; x += (x1 - x0) / 5 {
			args = append(args, "mousemove", strconv.Itoa(x), y)
		}
		args = append(args, "mouseup", "1")
		for _, k := range keys {
			args = append(args, "keyup", k)
		}
		xdotool(t, display, args...)
	}

	// The right third of the chart (the last 20 minutes: v2).
	drag(left.Min.X+left.Dx()*2/3, left.Max.X-10)
	marked := func(img image.Image) bool {
		return spanPixels(img, chart, shown) >= 100 && spanPixels(img, chart, base) == 0
	}
	one := awaitShot(t, display, filepath.Join(dir, "range.png"), marked)
	if !marked(one) {
		keepShot(t, one, "pyroscope-range-failed.png")
		t.Fatal("after a drag the chart does not mark the range shown")
	}
	graph := image.Rect(left.Min.X, chart.Max.Y+60, left.Max.X, win.Max.Y-80)
	if share := warmShare(one, graph); share < 0.3 {
		keepShot(t, one, "pyroscope-range-failed.png")
		t.Fatalf("the range's flame graph is not drawn (%.0f%% warm)", share*100)
	}
	// Shift+drag over the left part (40 to 25 minutes ago: v1) as BASE.
	drag(left.Min.X+left.Dx()/3, left.Min.X+left.Dx()*3/5, "shift")
	below := left.Add(image.Pt(0, 100)).Intersect(win) // the chart, once the comparison bar is over it
	compared := func(img image.Image) bool {
		row, n := chartAxis(img, below)
		c := image.Rect(below.Min.X, row-36, below.Max.X, row)
		return n >= below.Dx()*3/4 && spanPixels(img, c, shown) >= 100 && spanPixels(img, c, base) >= 100
	}
	two := awaitShot(t, display, filepath.Join(dir, "ranges.png"), compared)
	chart = chartOf(t, two, below, "pyroscope-ranges-failed.png")
	if !compared(two) {
		keepShot(t, two, "pyroscope-ranges-failed.png")
		t.Fatal("after a Shift+drag the chart does not mark NEW and BASE")
	}
	// A comparison's graph is differential: grey with red and blue, not warm.
	graph = image.Rect(left.Min.X, chart.Max.Y+60, left.Max.X, win.Max.Y-80)
	if share := warmShare(two, graph); share > 0.3 {
		keepShot(t, two, "pyroscope-ranges-failed.png")
		t.Fatalf("the graph is not a comparison after the Shift+drag (%.0f%% warm)", share*100)
	}
	if s := stderr.String(); s != "" {
		t.Errorf("stderr:\n%s", s)
	}
}
