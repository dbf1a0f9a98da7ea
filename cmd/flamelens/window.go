package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/ui"
)

// openWindow starts the Fyne app with one window and returns when it closes.
func openWindow(opts ui.Options) {
	a := app.NewWithID("io.github.flamelens")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	ui.NewMainWindow(a, opts).Window().ShowAndRun()
}
