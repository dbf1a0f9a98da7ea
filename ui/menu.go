package ui

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/session"
)

// The preferences holding recently opened paths and URLs, newest first.
const (
	recentKey    = "recentFiles"
	recentURLKey = "recentURLs"
	maxRecent    = 10
)

// recentFiles returns the recently opened paths, newest first. Fetched
// profiles are among them, saved under names that give their source and
// time.
func recentFiles(a fyne.App) []string { return a.Preferences().StringList(recentKey) }

// recentURLs returns the recently fetched URLs, newest first.
func recentURLs(a fyne.App) []string { return a.Preferences().StringList(recentURLKey) }

// addRecent puts path first in the recent files.
func addRecent(a fyne.App, path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	pushRecent(a, recentKey, path)
}

// addRecentURL puts url first in the URL history.
func addRecentURL(a fyne.App, url string) { pushRecent(a, recentURLKey, url) }

func pushRecent(a fyne.App, key, item string) {
	list := slices.DeleteFunc(slices.Clone(a.Preferences().StringList(key)), func(p string) bool { return p == item })
	list = append([]string{item}, list...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	a.Preferences().SetStringList(key, list)
}

func (w *MainWindow) mainMenu() *fyne.MainMenu {
	recent := fyne.NewMenuItem("Open Recent", nil)
	var items []*fyne.MenuItem
	for _, p := range recentFiles(w.app) {
		items = append(items, fyne.NewMenuItem(p, func() { w.Open(p, "") }))
	}
	if len(items) == 0 {
		recent.Disabled = true
	}
	recent.ChildMenu = fyne.NewMenu("", items...)
	file := fyne.NewMenu("File",
		fyne.NewMenuItem("Open…", w.showOpenDialog),
		fyne.NewMenuItem("Open URL…", w.showURLDialog),
		fyne.NewMenuItem("Open from Pyroscope…", w.showPyroscopeDialog),
		recent,
		fyne.NewMenuItem("Open Sample Profile", func() { w.Open("", "") }),
		fyne.NewMenuItem("Compare with…", w.showCompareDialog),
		fyne.NewMenuItem("Copy Comparison Summary", w.copySummary),
		fyne.NewMenuItem("Merge Another Profile…", w.showMergeDialog),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Export… (SVG, PNG, HTML page, pprof)", w.export.showDialog),
		fyne.NewMenuItem("Save Session…", w.showSaveSessionDialog),
	)
	view := fyne.NewMenu("View",
		fyne.NewMenuItem("Back", w.graph.Back),
		fyne.NewMenuItem("Forward", w.graph.Forward),
		fyne.NewMenuItem("Zoom Out", w.graph.ZoomOut),
		fyne.NewMenuItemSeparator(),
		w.checkItem("Root at Bottom", func() bool { return w.tools.flameToggle.Checked },
			func() { w.tools.flameToggle.SetChecked(!w.tools.flameToggle.Checked) }),
		w.checkItem("Inverted (bottom-up)", func() bool { return w.tools.invertCheck.Checked },
			func() { w.tools.invertCheck.SetChecked(!w.tools.invertCheck.Checked) }),
		w.checkItem("Side Pane", func() bool { return w.side.box.Visible() }, w.layout.toggleSide),
		w.checkItem("Filter Bar", func() bool { return w.filters.bar.box.Visible() }, func() { w.filters.toggleBar(w.win.Canvas()) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Show Source (Ctrl+U)", func() { w.code.showSelected(modeSource) }),
		fyne.NewMenuItem("Show Machine Code (Ctrl+Shift+U)", func() { w.code.showSelected(modeAsm) }),
		fyne.NewMenuItem("Editor Command…", w.editor.showDialog),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Insights (Ctrl+I)", w.side.insights.showFirst),
		w.checkItem("Colour by Whose Code", func() bool { return w.app.Preferences().Bool(colourByOriginKey) }, w.side.insights.toggleColourByOrigin),
		fyne.NewMenuItemSeparator(),
		w.themeMenu(),
	)
	about := "flamelens: flame graphs, call graphs and comparisons for pprof profiles."
	if w.opts.Version != "" {
		about = w.opts.Version + "\n\n" + about
	}
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard Shortcuts (F1)", w.help.show),
		fyne.NewMenuItem("About flamelens", func() { dialog.ShowInformation("About flamelens", about, w.win) }),
	)
	return fyne.NewMainMenu(file, view, help)
}

// themeMenu offers the system's theme, light or dark; the choice is kept.
func (w *MainWindow) themeMenu() *fyne.MenuItem {
	current := w.app.Preferences().StringWithFallback(themeKey, themeSystem)
	var items []*fyne.MenuItem
	for _, c := range []struct{ choice, label string }{{themeSystem, "As the System"}, {themeLight, "Light"}, {themeDark, "Dark"}} {
		item := fyne.NewMenuItem(c.label, func() {
			setTheme(w.app, c.choice)
			w.win.SetMainMenu(w.mainMenu()) // the check mark moves
		})
		item.Checked = c.choice == current
		items = append(items, item)
	}
	m := fyne.NewMenuItem("Theme", nil)
	m.ChildMenu = fyne.NewMenu("", items...)
	return m
}

func (w *MainWindow) showOpenDialog() { w.files.pickFile(func(path string) { w.Open(path, "") }) }

// showMergeDialog picks a file to merge into the profile shown, in this
// window (as flamelens -merge, or go tool pprof a b): each sample keeps
// its source as a label, to split the merged view by.
func (w *MainWindow) showMergeDialog() {
	if w.shown.profilePath == "" || w.shown.open.loaded.Comparison() != nil {
		dialog.ShowInformation("Merge", "Open a profile from a file or a URL first (not a comparison): the file chosen is merged into it.", w.win)
		return
	}
	w.files.pickFile(func(path string) { w.Merge(path) })
}

// Merge reloads the profile shown merged with path, keeping the steps.
func (w *MainWindow) Merge(path string) {
	src := session.Source{Path: w.shown.profilePath, More: append(slices.Clip(w.shown.more), path), Fetch: w.opts.Fetch}
	w.load(source{Source: src}, "", w.filters.Steps())
}

// OpenURL fetches a profile from a live service in the background; a CPU
// capture counts down in the status bar and Cancel stops it. seconds
// sets the capture length (0 keeps the URL's).
func (w *MainWindow) OpenURL(url string, seconds int) {
	fetch := w.opts.Fetch
	fetch.Seconds = seconds
	w.load(source{Source: session.Source{Path: url, Fetch: fetch}}, "", nil)
}

// showURLDialog asks for a profile URL (with the history of URLs) and a
// capture length (Ctrl+L).
func (w *MainWindow) showURLDialog() {
	url := widget.NewSelectEntry(recentURLs(w.app))
	url.SetPlaceHolder("http://localhost:6060/debug/pprof/profile, or host:port")
	if h := recentURLs(w.app); len(h) > 0 {
		url.SetText(h[0])
	}
	seconds := widget.NewEntry()
	seconds.SetPlaceHolder("as in the URL (CPU profiles: 30)")
	every := widget.NewEntry()
	every.SetPlaceHolder("once; or capture again every this many seconds (live)")
	items := []*widget.FormItem{
		widget.NewFormItem("URL", url),
		widget.NewFormItem("Seconds", seconds),
		widget.NewFormItem("Repeat every", every),
	}
	number := func(e *widget.Entry) int {
		n, err := strconv.Atoi(strings.TrimSpace(e.Text))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	d := dialog.NewForm("Open URL", "Fetch", "Cancel", items, func(ok bool) {
		if !ok || strings.TrimSpace(url.Text) == "" {
			return
		}
		if n := number(every); n > 0 {
			w.StartLive(strings.TrimSpace(url.Text), number(seconds), time.Duration(n)*time.Second)
			return
		}
		w.OpenURL(strings.TrimSpace(url.Text), number(seconds))
	}, w.win)
	submit := func(string) { d.Submit() } // Enter in any field fetches
	url.OnSubmitted, seconds.OnSubmitted, every.OnSubmitted = submit, submit, submit
	d.Resize(fyne.NewSize(640, 260))
	d.Show()
	w.win.Canvas().Focus(url)
}

// checkItem is a View menu item with a check mark that says whether on()
// holds; toggle changes it, and the menu is rebuilt to show the new mark.
func (w *MainWindow) checkItem(label string, on func() bool, toggle func()) *fyne.MenuItem {
	item := fyne.NewMenuItem(label, func() {
		toggle()
		w.win.SetMainMenu(w.mainMenu())
	})
	item.Checked = on()
	return item
}
