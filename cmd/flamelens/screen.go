package main

import (
	"os"
	"strconv"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// screenSize is the primary monitor's size in Fyne units (pixels over
// FYNE_SCALE), so that the window opens no larger than the screen: Fyne
// does not say how large the screen is, and without a window manager to
// clamp it (or with a size kept from a larger screen) a window can open
// partly off screen. Zero when it cannot be told. It runs on the main
// thread, before Fyne's driver starts GLFW for itself.
func screenSize() fyne.Size {
	if err := glfw.Init(); err != nil {
		return fyne.Size{}
	}
	defer glfw.Terminate()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	mode := m.GetVideoMode()
	if mode == nil {
		return fyne.Size{}
	}
	scale := 1.0
	if s, err := strconv.ParseFloat(os.Getenv("FYNE_SCALE"), 64); err == nil && s > 0 {
		scale = s
	}
	return fyne.NewSize(float32(float64(mode.Width)/scale), float32(float64(mode.Height)/scale))
}
