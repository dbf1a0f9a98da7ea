package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/ui"
)

// errNoDisplay is returned when there is no screen to open a window on.
var errNoDisplay = errors.New("cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset); " +
	"run it in a desktop session, or use the headless commands: flamelens top, flamelens export")

// openWindow starts the Fyne app with one window and returns when it closes.
func openWindow(opts ui.Options) (err error) {
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" || runtime.GOOS == "netbsd" {
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errNoDisplay
		}
	}
	// The GL driver panics when the display cannot be opened; say so plainly.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot open a window on display %q: %v", os.Getenv("DISPLAY"), r)
		}
	}()
	a := app.NewWithID("io.github.flamelens")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	ui.NewMainWindow(a, opts).Window().ShowAndRun()
	return nil
}
