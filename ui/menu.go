package ui

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
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

// toggle is a menu item with a check mark: on says whether it holds,
// flip changes it.
type toggle struct {
	on   func() bool
	flip func()
}

// commands are what the menus and the keyboard shortcuts do: the window's
// actions, wired in by MainWindow.
type commands struct {
	open, openPath, openURL, openPyroscope, openSample, compare, compareRuns, copySummary, merge func()
	openRecent                                                                                   func(path string)
	export, saveSession                                                                          func()
	back, forward, zoomOut, search, undo                                                         func()
	rootAtBottom, inverted, sidePane, filterBar, colourByOrigin                                  toggle
	showSource, showAsm, editorCommand, insights, help                                           func()
	escape                                                                                       func(ev *fyne.KeyEvent)
	typed                                                                                        func(r rune) // a rune typed with nothing focused
	setTheme                                                                                     func(choice string)
}

// menus are the window's menu bar and keyboard shortcuts, one way to each
// command; the bar is rebuilt when a check mark or the recent files change.
type menus struct {
	win     fyne.Window
	prefs   fyne.Preferences
	version string
	do      commands
}

// install puts the menu bar and the shortcuts on the window.
func (m *menus) install() {
	m.refresh()
	c := m.win.Canvas()
	add := func(key fyne.KeyName, mod fyne.KeyModifier, f func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod}, func(fyne.Shortcut) { f() })
	}
	for _, k := range m.keys() {
		add(k.key.KeyName, k.key.Modifier, k.do)
	}
	// Fyne delivers Ctrl+Z as its undo shortcut, not as a key with a modifier.
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { m.do.undo() })
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyEscape:
			m.do.escape(ev)
		case fyne.KeyF1:
			m.do.help()
		}
	})
	// With nothing focused (as right after the window opens), typing starts
	// a search, as it does over the graph.
	c.SetOnTypedRune(m.do.typed)
}

// key is a keyboard shortcut and what it does.
type key struct {
	key *desktop.CustomShortcut
	do  func()
}

func keyOf(k fyne.KeyName, mod fyne.KeyModifier) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: mod}
}

// Shortcuts, as the menu items show them and the window takes them.
var (
	keyOpen     = keyOf(fyne.KeyO, fyne.KeyModifierShortcutDefault)
	keyOpenPath = keyOf(fyne.KeyO, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)
	keyOpenURL  = keyOf(fyne.KeyL, fyne.KeyModifierShortcutDefault)
	keyExport   = keyOf(fyne.KeyE, fyne.KeyModifierShortcutDefault)
	keyBack     = keyOf(fyne.KeyLeft, fyne.KeyModifierAlt)
	keyForward  = keyOf(fyne.KeyRight, fyne.KeyModifierAlt)
	keySearch   = keyOf(fyne.KeyF, fyne.KeyModifierShortcutDefault)
	keySource   = keyOf(fyne.KeyU, fyne.KeyModifierShortcutDefault)
	keyAsm      = keyOf(fyne.KeyU, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)
	keyInsights = keyOf(fyne.KeyI, fyne.KeyModifierShortcutDefault)
	keyHelp     = keyOf(fyne.KeyF1, 0) // shown; F1 itself is taken as a key (see install)
	keyZoomOut  = keyOf(fyne.KeyEscape, 0)
)

// keys are the shortcuts the window takes with a modifier.
func (m *menus) keys() []key {
	return []key{{keyOpen, m.do.open}, {keyOpenPath, m.do.openPath}, {keyOpenURL, m.do.openURL}, {keyExport, m.do.export}, {keyBack, m.do.back},
		{keyForward, m.do.forward}, {keySearch, m.do.search}, {keySource, m.do.showSource}, {keyInsights, m.do.insights},
		{keyAsm, m.do.showAsm}}
}

// item is a menu item showing its shortcut.
func item(label string, do func(), k *desktop.CustomShortcut) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, do)
	it.Shortcut = k
	return it
}

// refresh rebuilds the menu bar: its check marks and recent files.
func (m *menus) refresh() { m.win.SetMainMenu(m.mainMenu()) }

func (m *menus) mainMenu() *fyne.MainMenu {
	do := m.do
	recent := fyne.NewMenuItem("Open Recent", nil)
	var items []*fyne.MenuItem
	for _, p := range m.prefs.StringList(recentKey) {
		items = append(items, fyne.NewMenuItem(p, func() { do.openRecent(p) }))
	}
	recent.Disabled = len(items) == 0
	recent.ChildMenu = fyne.NewMenu("", items...)
	file := fyne.NewMenu("File",
		item("Open…", do.open, keyOpen),
		item("Open Path…", do.openPath, keyOpenPath),
		item("Open URL…", do.openURL, keyOpenURL),
		fyne.NewMenuItem("Open from Pyroscope…", do.openPyroscope),
		recent,
		fyne.NewMenuItem("Open Sample Profile", do.openSample),
		fyne.NewMenuItem("Compare with…", do.compare),
		fyne.NewMenuItem("Compare Runs…", do.compareRuns),
		fyne.NewMenuItem("Copy Comparison Summary", do.copySummary),
		fyne.NewMenuItem("Merge Another Profile…", do.merge),
		fyne.NewMenuItemSeparator(),
		item("Export… (SVG, PNG, HTML page, pprof)", do.export, keyExport),
		fyne.NewMenuItem("Save Session…", do.saveSession),
	)
	view := fyne.NewMenu("View",
		item("Back", do.back, keyBack),
		item("Forward", do.forward, keyForward),
		item("Zoom Out", do.zoomOut, keyZoomOut),
		item("Search", do.search, keySearch),
		fyne.NewMenuItemSeparator(),
		m.checkItem("Root at Bottom", do.rootAtBottom),
		m.checkItem("Inverted (bottom-up)", do.inverted),
		m.checkItem("Side Pane", do.sidePane),
		m.checkItem("Filter Bar", do.filterBar),
		fyne.NewMenuItemSeparator(),
		item("Show Source", do.showSource, keySource),
		item("Show Machine Code", do.showAsm, keyAsm),
		fyne.NewMenuItem("Editor Command…", do.editorCommand),
		fyne.NewMenuItemSeparator(),
		item("Insights", do.insights, keyInsights),
		m.checkItem("Colour by Whose Code", do.colourByOrigin),
		fyne.NewMenuItemSeparator(),
		m.themeMenu(),
	)
	about := "flamelens: flame graphs, call graphs and comparisons for pprof profiles."
	if m.version != "" {
		about = m.version + "\n\n" + about
	}
	help := fyne.NewMenu("Help",
		item("Keyboard Shortcuts", do.help, keyHelp),
		fyne.NewMenuItem("About flamelens", func() { dialog.ShowInformation("About flamelens", about, m.win) }),
	)
	return fyne.NewMainMenu(file, view, help)
}

// themeMenu offers the system's theme, light or dark; the choice is kept.
func (m *menus) themeMenu() *fyne.MenuItem {
	current := m.prefs.StringWithFallback(themeKey, themeSystem)
	var items []*fyne.MenuItem
	for _, c := range []struct{ choice, label string }{{themeSystem, "As the System"}, {themeLight, "Light"}, {themeDark, "Dark"}} {
		item := fyne.NewMenuItem(c.label, func() {
			m.do.setTheme(c.choice)
			m.refresh() // the check mark moves
		})
		item.Checked = c.choice == current
		items = append(items, item)
	}
	item := fyne.NewMenuItem("Theme", nil)
	item.ChildMenu = fyne.NewMenu("", items...)
	return item
}

// checkItem is a View menu item with a check mark that says whether t is
// on; choosing it flips t, and the bar is rebuilt to show the new mark.
func (m *menus) checkItem(label string, t toggle) *fyne.MenuItem {
	item := fyne.NewMenuItem(label, func() {
		t.flip()
		m.refresh()
	})
	item.Checked = t.on()
	return item
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

// Preferences the Open URL dialog keeps: the capture length and the
// interval of a live session last asked for ("" for none).
const (
	urlSecondsKey = "urlSeconds"
	urlEveryKey   = "urlEvery"
)

// showURLDialog asks for a profile URL (with the history of URLs), a
// capture length and an interval to repeat it (Ctrl+L); the length and
// interval given are kept in prefs for the next time.
func showURLDialog(win fyne.Window, prefs fyne.Preferences, history []string, fetch func(url string, seconds int), live func(url string, seconds int, every time.Duration)) *urlDialog {
	url := widget.NewSelectEntry(history)
	url.SetPlaceHolder("http://localhost:6060/debug/pprof/profile, or host:port")
	if len(history) > 0 {
		url.SetText(history[0])
	}
	seconds := widget.NewEntry()
	seconds.SetPlaceHolder("as in the URL (CPU profiles: 30)")
	seconds.SetText(prefs.String(urlSecondsKey))
	every := widget.NewEntry()
	every.SetPlaceHolder("once; or capture again every this many seconds (live)")
	every.SetText(prefs.String(urlEveryKey))
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
		keep := func(key string, e *widget.Entry) {
			if n := number(e); n > 0 {
				prefs.SetString(key, strconv.Itoa(n))
			} else {
				prefs.SetString(key, "")
			}
		}
		keep(urlSecondsKey, seconds)
		keep(urlEveryKey, every)
		if n := number(every); n > 0 {
			live(strings.TrimSpace(url.Text), number(seconds), time.Duration(n)*time.Second)
			return
		}
		fetch(strings.TrimSpace(url.Text), number(seconds))
	}, win)
	submit := func(string) { d.Submit() } // Enter in any field fetches
	url.OnSubmitted, seconds.OnSubmitted, every.OnSubmitted = submit, submit, submit
	d.Resize(fyne.NewSize(640, 260))
	d.Show()
	win.Canvas().Focus(url)
	return &urlDialog{form: d, url: url, seconds: seconds, every: every}
}

// urlDialog is the Open URL dialog shown and its fields.
type urlDialog struct {
	form           *dialog.FormDialog
	url            *widget.SelectEntry
	seconds, every *widget.Entry
}
