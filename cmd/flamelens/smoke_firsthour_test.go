package main

import (
	"image"
	"image/color"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/render"
)

// startXvfbSized starts a virtual X server of the given size.
func startXvfbSized(t testing.TB, size string) string {
	t.Helper()
	old := xvfbScreen
	xvfbScreen = size
	defer func() { xvfbScreen = old }()
	return startXvfb(t)
}

// windowGeometry is the window's position and size on screen.
func windowGeometry(t *testing.T, display, id string) image.Rectangle {
	out := xdotool(t, display, "getwindowgeometry", "--shell", id)
	v := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		if k, val, ok := strings.Cut(line, "="); ok {
			v[k], _ = strconv.Atoi(val)
		}
	}
	return image.Rect(v["X"], v["Y"], v["X"]+v["WIDTH"], v["Y"]+v["HEIGHT"])
}

// matchRows are the rows of r where at least share of the pixels are the
// search-match colour.
func matchRows(img image.Image, r image.Rectangle, share float64) []int {
	var rows []int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		n := 0
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if near(c, render.DarkTheme.Match) || near(c, render.LightTheme.Match) {
				n++
			}
		}
		if float64(n) >= share*float64(r.Dx()) {
			rows = append(rows, y)
		}
	}
	return rows
}

func near(a, b color.NRGBA) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R)+d(a.G, b.G)+d(a.B, b.B) < 24
}

// TestWindowFirstHour is a new user's first minute on a laptop (1280×800
// at 150%, LANG=C.UTF-8): the built-in sample opens in a window that fits
// the screen; typing at once, with no click, searches; Enter jumps to a
// frame 40 levels deep, which is then on screen, in the match colour,
// across the graph; and nothing is logged.
func TestWindowFirstHour(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window")
	}
	display := startXvfbSized(t, "1280x800x24")
	win, stderr := startWindow(t, display, "sample", []string{"LANG=C.UTF-8", "LC_ALL=", "LANGUAGE=", "FYNE_SCALE=1.5"})
	if win.Max.X > 1280 || win.Max.Y > 800 || win.Dx() < 600 {
		t.Errorf("window at %v does not fit the 1280×800 screen", win)
	}
	dir := t.TempDir()

	// Typing right away: no click first.
	xdotool(t, display, "type", "--delay", "60", "literalstore")
	// The graph is the left half of the window below the two control rows.
	graph := image.Rect(win.Min.X+10, win.Min.Y+win.Dy()/4, win.Min.X+win.Dx()/2, win.Max.Y-60)
	settledShot(t, display, filepath.Join(dir, "typed.png"), graph) // the matches marked
	xdotool(t, display, "key", "Return")
	shot := awaitShot(t, display, filepath.Join(dir, "jump.png"), func(img image.Image) bool { return len(matchRows(img, graph, 0.9)) > 0 })
	rows := matchRows(shot, graph, 0.9)
	if len(rows) == 0 {
		keepShot(t, shot, "firsthour-jump-failed.png")
		t.Fatalf("no row of the graph is the frame jumped to, in the match colour, across it (graph %v)", graph)
	}
	t.Logf("the frame jumped to is drawn on rows %d..%d", rows[0], rows[len(rows)-1])
	if s := stderr.String(); s != "" {
		t.Errorf("the window logged what the user did not cause:\n%s", s)
	}
}

// TestWindowInsights opens the built-in sample and presses Ctrl+I: the side
// pane turns to the Insights tab and the largest finding's frames (the
// JSON finding: json.Unmarshal, Decode, Marshal, Encode) are drawn in the
// match colour in the graph; nothing is logged.
func TestWindowInsights(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window")
	}
	display := startXvfb(t)
	win, stderr := startWindow(t, display, "sample", nil)
	dir := t.TempDir()
	before := screenshot(t, display, filepath.Join(dir, "before.png"))
	graph := image.Rect(win.Min.X+10, win.Min.Y+100, win.Min.X+win.Dx()/2, win.Max.Y-60)
	side := image.Rect(win.Min.X+win.Dx()*3/5, win.Min.Y+100, win.Max.X-10, win.Min.Y+win.Dy()/2)
	if rows := matchRows(before, graph, 0.2); len(rows) > 0 {
		keepShot(t, before, "insights-before-failed.png")
		t.Fatalf("frames in the match colour before Ctrl+I: rows %v", rows)
	}
	xdotool(t, display, "key", "ctrl+i")
	highlighted := func(img image.Image) bool { return len(matchRows(img, graph, 0.2)) > 0 }
	shot := awaitShot(t, display, filepath.Join(dir, "insights.png"), highlighted)
	if !highlighted(shot) {
		keepShot(t, shot, "insights-failed.png")
		t.Fatal("after Ctrl+I no frames of the JSON finding are highlighted in the graph")
	}
	if sameImage(before, shot, side) {
		keepShot(t, shot, "insights-failed.png")
		t.Fatal("after Ctrl+I the side pane did not change to the Insights tab")
	}
	if s := stderr.String(); s != "" {
		t.Errorf("the window logged what the user did not cause:\n%s", s)
	}
}

// TestWindowStaysOnTheLaptopScreen switches a laptop's window (1280×800 at
// 150%) to the call graph and back: the window keeps within the screen.
func TestWindowStaysOnTheLaptopScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window")
	}
	display := startXvfbSized(t, "1280x800x24")
	win, _ := startWindow(t, display, "sample", []string{"FYNE_SCALE=1.5"})
	dir := t.TempDir()
	id := strings.Fields(findWindow(t, display, "sample"))[0]
	flame := screenshot(t, display, filepath.Join(dir, "flame.png"))
	graphArea := image.Rect(win.Min.X+10, win.Min.Y+200, win.Min.X+win.Dx()/2, win.Max.Y-80)
	// The view switch's "Call graph", right of "Flame graph" on the second row.
	xdotool(t, display, "mousemove", strconv.Itoa(win.Min.X+212), strconv.Itoa(win.Min.Y+133), "click", "1")
	shot := awaitShot(t, display, filepath.Join(dir, "graph.png"), func(img image.Image) bool { return !sameImage(flame, img, graphArea) })
	if sameImage(flame, shot, graphArea) {
		keepShot(t, shot, "laptop-callgraph-failed.png")
		t.Fatal("the click did not switch to the call graph")
	}
	settledShot(t, display, filepath.Join(dir, "graph.png"), image.Rectangle{})
	if g := windowGeometry(t, display, id); g.Max.X > 1280 || g.Max.Y > 800 {
		t.Errorf("with the call graph shown the window is at %v, past the 1280×800 screen", g)
	}
	xdotool(t, display, "mousemove", strconv.Itoa(win.Min.X+30), strconv.Itoa(win.Min.Y+133), "click", "1")
	settledShot(t, display, filepath.Join(dir, "back.png"), image.Rectangle{})
	if g := windowGeometry(t, display, id); g.Max.X > 1280 || g.Max.Y > 800 {
		t.Errorf("back to the flame graph the window is at %v, past the 1280×800 screen", g)
	}
}
