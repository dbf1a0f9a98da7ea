package main

import (
	"image"
	"image/color"
	"path/filepath"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// tintedRows are the rows of r where most pixels have the source pane's
// heat tint: orange over the dark background.
func tintedRows(img image.Image, r image.Rectangle) []int {
	var rows []int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		n := 0
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.R > 90 && int(c.R) > int(c.G)+50 && c.G > c.B && c.B < 70 {
				n++
			}
		}
		if float64(n) >= 0.75*float64(r.Dx()) {
			rows = append(rows, y)
		}
	}
	return rows
}

// TestWindowSourcePane opens a real program's profile in the real
// window, clicks main.main and presses Ctrl+U, then Ctrl+Shift+U: the
// pane opens under the graph with its hottest line tinted, then shows the
// machine code with its hottest instruction tinted, and nothing is logged.
func TestWindowSourcePane(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window")
	}
	busy := pproftest.ProfileBusy(t, t.TempDir(), "1s")
	display := startXvfb(t)
	win, stderr := startWindow(t, display, "cpu.pprof", nil, busy.CPU)
	dir := t.TempDir()
	before := screenshot(t, display, filepath.Join(dir, "before.png"))
	// The pane's part of the window: the lower half of the graph's side.
	pane := image.Rect(win.Min.X+10, win.Min.Y+win.Dy()/2, win.Min.X+win.Dx()/2-20, win.Max.Y-60)
	if rows := tintedRows(before, pane); len(rows) > 0 {
		keepShot(t, before, "source-before-failed.png")
		t.Fatalf("tinted rows before the pane opened: %v", rows)
	}
	// main.main is the third row of frames (root, runtime.main, main.main).
	xdotool(t, display, "mousemove", "300", "160", "click", "1")
	settledShot(t, display, filepath.Join(dir, "selected.png"), image.Rectangle{})
	xdotool(t, display, "key", "ctrl+u")
	source := awaitShot(t, display, filepath.Join(dir, "source.png"), func(img image.Image) bool { return len(tintedRows(img, pane)) > 0 })
	if rows := tintedRows(source, pane); len(rows) == 0 {
		keepShot(t, source, "source-failed.png")
		t.Fatal("no tinted source line in the pane after Ctrl+U")
	}
	xdotool(t, display, "key", "ctrl+shift+u")
	asm := awaitShot(t, display, filepath.Join(dir, "asm.png"), func(img image.Image) bool {
		return len(tintedRows(img, pane)) > 0 && !sameImage(source, img, pane)
	})
	if rows := tintedRows(asm, pane); len(rows) == 0 || sameImage(source, asm, pane) {
		keepShot(t, asm, "machinecode-failed.png")
		t.Fatal("no tinted instruction in the pane after Ctrl+Shift+U")
	}
	if s := stderr.String(); s != "" {
		t.Errorf("the window logged:\n%s", s)
	}
}
