package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/ui"
)

// errNoDisplay is returned when there is no screen to open a window on.
var errNoDisplay = errors.New("cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset); " +
	"run it in a desktop session, or use the headless commands: flamelens top, flamelens export")

// openWindows opens a window for each of windows. If a flamelens is
// already running (and standalone is false), it opens them there and
// returns at once; else it starts the Fyne app, takes the requests of
// later starts, and returns when the last window closes.
func openWindows(windows []ui.Options, standalone bool, stderr io.Writer) (err error) {
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" || runtime.GOOS == "netbsd" {
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errNoDisplay
		}
	}
	socket := ui.InstanceSocket()
	for !standalone && len(windows) > 0 {
		sent, err := ui.SendToRunning(socket, windows[0])
		if err != nil {
			fmt.Fprintf(stderr, "flamelens: %v; starting another\n", err)
		}
		if !sent {
			break
		}
		fmt.Fprintln(stderr, "flamelens: opened in a new window of the running flamelens")
		windows = windows[1:]
	}
	if len(windows) == 0 {
		return nil
	}
	// The GL driver panics when the display cannot be opened; say so plainly.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot open a window on display %q: %v", os.Getenv("DISPLAY"), r)
		}
	}()
	screen := screenSize()
	var failed atomic.Bool // a file asked for on this command line could not be opened
	for i := range windows {
		windows[i].Screen = screen
		windows[i].OnOpenError = func(err error) {
			fmt.Fprintf(stderr, "flamelens: %v\n", err)
			failed.Store(true)
		}
	}
	a := app.NewWithID("io.github.flamelens")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := ui.NewMainWindow(a, windows[0])
	for _, opts := range windows[1:] {
		ui.NewMainWindow(a, opts).Window().Show()
	}
	if !standalone {
		l, err := ui.Listen(socket, func(o ui.Options) {
			fyne.Do(func() {
				o.Screen = screen
				nw := ui.NewMainWindow(a, o)
				nw.Window().Show()
				nw.Window().RequestFocus()
			})
		})
		if err != nil {
			fmt.Fprintf(stderr, "flamelens: files opened later start their own flamelens: %v\n", err)
		} else {
			defer l.Close()
		}
	}
	w.Window().ShowAndRun()
	if failed.Load() {
		return errSaid // said on stderr already, when it happened
	}
	return nil
}

// errSaid ends a command whose error was said on stderr already: the exit
// code is 1, and nothing more is printed.
var errSaid = errors.New("said already")
