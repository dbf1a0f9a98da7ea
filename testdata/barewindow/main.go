// Command barewindow is the reference of flamelens's window start-up
// benchmark (BenchmarkWindowFirstFrame): a bare Fyne window of
// flamelens's default size whose one raster, drawn on the CPU as the
// flame graph is, ends the process once it has drawn its first frame.
package main

import (
	"image"
	"image/color"
	"image/draw"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
)

func main() {
	a := app.NewWithID("io.github.flamelens.barewindow")
	w := a.NewWindow("bare window")
	raster := canvas.NewRaster(func(width, height int) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, width, height))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.NRGBA{0x30, 0x30, 0x38, 0xff}), image.Point{}, draw.Src)
		os.Exit(0)
		return img
	})
	w.SetContent(raster)
	w.Resize(fyne.NewSize(1400, 860))
	w.ShowAndRun()
}
