package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/render"
)

// recentKey is the preference holding recently opened paths, newest first.
const (
	recentKey = "recentFiles"
	maxRecent = 10
)

// recentFiles returns the recently opened paths, newest first.
func recentFiles(a fyne.App) []string {
	return a.Preferences().StringList(recentKey)
}

// addRecent puts path first in the recent files.
func addRecent(a fyne.App, path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	list := slices.DeleteFunc(slices.Clone(recentFiles(a)), func(p string) bool { return p == path })
	list = append([]string{path}, list...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	a.Preferences().SetStringList(recentKey, list)
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
		recent,
		fyne.NewMenuItem("Open Sample Profile", func() { w.Open("", "") }),
		fyne.NewMenuItem("Compare with…", w.showCompareDialog),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Export Flame Graph…", w.showExportDialog),
	)
	view := fyne.NewMenu("View",
		fyne.NewMenuItem("Back", w.graph.Back),
		fyne.NewMenuItem("Forward", w.graph.Forward),
		fyne.NewMenuItem("Zoom Out", w.graph.ZoomOut),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Toggle Root at Bottom", func() { w.flameToggle.SetChecked(!w.flameToggle.Checked) }),
		fyne.NewMenuItem("Toggle Inverted", func() { w.invertCheck.SetChecked(!w.invertCheck.Checked) }),
	)
	return fyne.NewMainMenu(file, view)
}

func (w *MainWindow) showOpenDialog() { w.pickFile(func(path string) { w.Open(path, "") }) }

// pickFile asks for a profile file, starting in the open profile's folder,
// and hands its path to open.
func (w *MainWindow) pickFile(open func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		open(path)
	}, w.win)
	if w.profilePath != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(w.profilePath))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// showExportDialog saves the current view of the flame graph as PNG or SVG,
// chosen by the file name's extension.
func (w *MainWindow) showExportDialog() {
	if w.graph.Tree() == nil {
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if wc == nil {
			return
		}
		defer wc.Close()
		if err := w.exportTo(wc, wc.URI().Path()); err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		w.status.SetText("Exported " + wc.URI().Path())
	}, w.win)
	base := "flamegraph"
	if w.profile != nil && w.profile.Source != assets.SampleName {
		base = strings.TrimSuffix(filepath.Base(w.profile.Source), filepath.Ext(w.profile.Source))
	}
	d.SetFileName(base + ".svg")
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// exportTo writes the graph's current view to wc, as SVG unless path ends in .png.
func (w *MainWindow) exportTo(wc fyne.URIWriteCloser, path string) error {
	pic := w.picture()
	var err error
	if strings.EqualFold(filepath.Ext(path), ".png") {
		err = pic.WritePNG(wc)
	} else {
		err = pic.WriteSVG(wc)
	}
	if err != nil {
		return fmt.Errorf("exporting %s: %w", path, err)
	}
	return nil
}

// picture is the current view of the flame graph as an exportable picture.
func (w *MainWindow) picture() *render.Picture {
	v := w.graph.View()
	v.ScrollY = 0
	width := int(w.graph.Size().Width)
	if width < 400 {
		width = 1200
	}
	return &render.Picture{
		Tree:      w.graph.Tree(),
		View:      v,
		Title:     strings.TrimPrefix(w.win.Title(), "flamelens — ") + " — " + w.graph.Tree().SampleType.Name,
		Width:     width,
		Theme:     w.graph.theme,
		Highlight: w.graph.highlight,
		Diff:      w.graph.diff,
	}
}
