package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Settings kept in Fyne's preferences, besides the recent files and URLs.
const (
	themeKey        = "theme" // "system", "light" or "dark"
	rootAtBottomKey = "rootAtBottom"
	windowWidthKey  = "windowWidth"
	windowHeightKey = "windowHeight"
	sideHiddenKey   = "sideHidden" // the side pane is collapsed
	sideSplitKey    = "sideSplit"  // the graph's share of the width beside it
)

// Theme choices of the View menu.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// variantTheme is Fyne's theme held to one variant, whatever the system's.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// applyTheme sets the app's theme to the saved choice. FYNE_THEME, when
// set, wins, as it does for every Fyne program.
func applyTheme(a fyne.App) {
	if os.Getenv("FYNE_THEME") != "" {
		return
	}
	switch a.Preferences().StringWithFallback(themeKey, themeSystem) {
	case themeLight:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case themeDark:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		if _, ok := a.Settings().Theme().(variantTheme); ok {
			a.Settings().SetTheme(theme.DefaultTheme())
		}
	}
}

// themeVariant is the variant in use: the chosen one, else the system's.
func themeVariant(a fyne.App) fyne.ThemeVariant {
	if t, ok := a.Settings().Theme().(variantTheme); ok {
		return t.variant
	}
	return a.Settings().ThemeVariant()
}

// setTheme saves a theme choice and applies it.
func setTheme(a fyne.App, choice string) {
	a.Preferences().SetString(themeKey, choice)
	applyTheme(a)
}

// windowLayout is what of the window's layout is kept between starts:
// its size, the side pane's width and whether it is shown.
type windowLayout struct {
	win    fyne.Window
	split  *container.Split // the graphs beside the side pane
	side   fyne.CanvasObject
	prefs  fyne.Preferences
	screen fyne.Size // the screen's size, if known
}

// restore gives the window the layout it had when last closed.
func (wl windowLayout) restore() {
	p := wl.prefs
	width := p.FloatWithFallback(windowWidthKey, 1400)
	height := p.FloatWithFallback(windowHeightKey, 860)
	if wl.screen.Width > 0 && wl.screen.Height > 0 {
		// Within the screen, with room for a panel and the title bar.
		width = min(width, float64(wl.screen.Width)*0.96)
		height = min(height, float64(wl.screen.Height)*0.92)
	}
	wl.win.Resize(fyne.NewSize(float32(max(min(width, 16384), 480)), float32(max(min(height, 16384), 320))))
	if p.Bool(sideHiddenKey) {
		wl.side.Hide()
	}
	if off := p.FloatWithFallback(sideSplitKey, 0); off > 0.2 && off < 0.95 {
		wl.split.Offset = off
	}
}

// save records the window's layout, for the next start.
func (wl windowLayout) save() {
	s := wl.win.Canvas().Size()
	if s.Width < 100 || s.Height < 100 {
		return // not shown yet
	}
	p := wl.prefs
	p.SetFloat(windowWidthKey, float64(s.Width))
	p.SetFloat(windowHeightKey, float64(s.Height))
	p.SetFloat(sideSplitKey, wl.split.Offset)
}

// toggleSide shows or hides the function table and details pane beside the
// graph; the choice is kept for the next start.
func (wl windowLayout) toggleSide() {
	if wl.side.Visible() {
		wl.side.Hide()
	} else {
		wl.side.Show()
	}
	wl.prefs.SetBool(sideHiddenKey, !wl.side.Visible())
	wl.split.Refresh()
}

var prefsChecked sync.Map // fyne.App → struct{}: checked once per app

// checkAppPreferences runs checkPreferences once for the app's own
// preferences file, and returns its notice.
func checkAppPreferences(a fyne.App) string {
	if _, done := prefsChecked.LoadOrStore(a, struct{}{}); done || a.UniqueID() == "" {
		return ""
	}
	root := a.Storage().RootURI()
	if root == nil || root.Scheme() != "file" {
		return ""
	}
	return checkPreferences(filepath.Join(root.Path(), "preferences.json"), a.Preferences())
}

// checkPreferences looks at the preferences file Fyne read at start-up.
// Fyne writes it in place, so a crash while it is written, or an edit
// gone wrong, leaves it unreadable, and Fyne then starts with no settings.
// A good file is copied (atomically) to preferences.json.bak; an
// unreadable one is moved aside to preferences.json.corrupt, the last good
// copy is put back into prefs, and the notice returned says what happened.
func checkPreferences(path string, prefs fyne.Preferences) (notice string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "" // none yet: a first start
	}
	if _, err := decodePreferences(data); err == nil {
		if err := writeAtomically(path+".bak", data); err != nil {
			fyne.LogError("flamelens: backing up the settings", err)
		}
		return ""
	}
	corrupt := path + ".corrupt"
	os.Remove(corrupt)
	if err := os.Rename(path, corrupt); err != nil {
		corrupt = path
	}
	if backup, err := os.ReadFile(path + ".bak"); err == nil {
		if values, err := decodePreferences(backup); err == nil {
			restorePreferences(prefs, values)
			return fmt.Sprintf("The settings file could not be read, so the last good copy was restored.\n\nThe unreadable file was kept as %s.", corrupt)
		}
	}
	return fmt.Sprintf("The settings file could not be read, so the settings (recent files, theme, window size) start afresh.\n\nThe unreadable file was kept as %s.", corrupt)
}

func decodePreferences(data []byte) (map[string]any, error) {
	var values map[string]any
	if err := json.Unmarshal(data, &values); err != nil {
		return nil, err
	}
	if values == nil {
		return nil, fmt.Errorf("not an object")
	}
	return values, nil
}

// restorePreferences puts the values of a preferences file into prefs,
// each with its JSON type: strings, booleans, numbers, lists of strings.
func restorePreferences(prefs fyne.Preferences, values map[string]any) {
	for key, v := range values {
		switch v := v.(type) {
		case string:
			prefs.SetString(key, v)
		case bool:
			prefs.SetBool(key, v)
		case float64:
			prefs.SetFloat(key, v)
		case []any:
			var list []string
			for _, item := range v {
				if s, ok := item.(string); ok {
					list = append(list, s)
				}
			}
			prefs.SetStringList(key, list)
		}
	}
}

// writeAtomically writes data to path through a temporary file renamed
// over it, so that path holds either the old or the new content.
func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// themeFanout is an app's one settings listener: a change of theme is
// passed to each open window through its goroutine boundary, and a closed
// window is forgotten, so nothing keeps it in memory.
type themeFanout struct {
	mu      sync.Mutex
	windows map[*MainWindow]struct{}
}

var (
	fanoutsMu sync.Mutex
	fanouts   = map[fyne.App]*themeFanout{}
)

// themes is a's fan-out, its listener added the first time it is asked for.
func themes(a fyne.App) *themeFanout {
	fanoutsMu.Lock()
	defer fanoutsMu.Unlock()
	f := fanouts[a]
	if f == nil {
		f = &themeFanout{windows: map[*MainWindow]struct{}{}}
		fanouts[a] = f
		a.Settings().AddListener(func(fyne.Settings) { f.changed() })
	}
	return f
}

func (f *themeFanout) add(w *MainWindow) {
	f.mu.Lock()
	f.windows[w] = struct{}{}
	f.mu.Unlock()
}

// remove forgets w; with the app's last window, the app is forgotten too.
func (f *themeFanout) remove(w *MainWindow) {
	f.mu.Lock()
	delete(f.windows, w)
	last := len(f.windows) == 0
	f.mu.Unlock()
	if last {
		fanoutsMu.Lock()
		for a, g := range fanouts {
			if g == f {
				delete(fanouts, a) // the listener stays, with nothing to tell
			}
		}
		fanoutsMu.Unlock()
	}
}

// open is how many windows the fan-out passes changes to.
func (f *themeFanout) open() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.windows)
}

// changed passes a change of settings to every open window, on its UI
// goroutine.
func (f *themeFanout) changed() {
	f.mu.Lock()
	windows := make([]*MainWindow, 0, len(f.windows))
	for w := range f.windows {
		windows = append(windows, w)
	}
	f.mu.Unlock()
	for _, w := range windows {
		w.work.post(w.themeChanged)
	}
}

// themeChanged redraws what the window draws itself in the theme now set.
func (w *MainWindow) themeChanged() {
	for _, g := range w.graphs() {
		g.SetTheme(currentTheme())
	}
	w.graphPane.view.SetTheme(currentTheme())
	w.pyro.chart.theme = currentTheme()
	w.pyro.updateChart()
	w.side.insights.showLegend()
}
