package ui

import (
	"context"
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// fileDialogs are the window's file pickers: they open in the folder of
// the profile shown, say what failed in a dialog and what was done in the
// status bar.
type fileDialogs struct {
	win         fyne.Window
	say         report
	profilePath func() string // the open profile's file; "" for none
	// chooser is the desktop's file chooser, asked first for a file to
	// open (on work's lanes); Fyne's dialog where there is none.
	chooser *desktopChooser
	work    *async
}

// pick says what a file picker is for: its title and its button.
type pick struct{ title, confirm string }

// The pickers' titles say what the file picked becomes.
var (
	pickOpen    = pick{"Open a profile (to type its path instead: File > Open Path…, Ctrl+Shift+O)", "Open"}
	pickMerge   = pick{"Merge a profile into the one open", "Merge"}
	pickCompare = pick{"Compare with… — pick BASE, the run before; the profile open is NEW", "Open as BASE"}
	pickBefore  = pick{"Compare Runs — pick BEFORE's runs (several files)", "Use as BEFORE"}
	pickAfter   = pick{"Compare Runs — pick AFTER's runs (several files)", "Use as AFTER"}
)

// pickFile asks for a profile file, starting in the open profile's folder,
// and hands its path to open: in the desktop's own file chooser where the
// session has one, else in Fyne's dialog, which lists profile files only.
func (fd fileDialogs) pickFile(what pick, open func(path string)) {
	fd.pick(what, false, func(paths []string) { open(paths[0]) }, func() { fd.fynePickFile(what, open) })
}

// pickRuns asks for a set of runs: several profile files in the desktop's
// own chooser where the session has one, else a folder in Fyne's folder
// dialog (Fyne's dialogs pick one file only).
func (fd fileDialogs) pickRuns(what pick, use func(paths []string)) {
	fd.pick(what, true, use, func() { fd.pickFolder(func(dir string) { use([]string{dir}) }) })
}

// pick asks the desktop's chooser for one file or several and hands what
// was chosen to use, or calls fallback where the session has no chooser.
func (fd fileDialogs) pick(what pick, multiple bool, use func(paths []string), fallback func()) {
	if fd.work == nil || !fd.chooser.usable() {
		fallback()
		return
	}
	folder := ""
	if l := fd.location(); l != nil {
		folder = l.Path()
	}
	parent := windowHandle(fd.win)
	fd.work.run(laneNone, func(context.Context) func() {
		paths, err := fd.chooser.open(parent, what, folder, multiple)
		return func() {
			switch {
			case errors.Is(err, errNoPortal):
				fd.chooser.off = true // not asked again in this window
				fallback()
			case err != nil:
				fd.say.fail(err)
			case len(paths) > 0:
				use(paths)
			}
		}
	})
}

// pickFolder asks for a folder in Fyne's folder dialog.
func (fd fileDialogs) pickFolder(use func(dir string)) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		switch {
		case err != nil:
			fd.say.fail(err)
		case dir != nil:
			use(dir.Path())
		}
	}, fd.win)
	if l := fd.location(); l != nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// fynePickFile is pickFile in Fyne's file dialog.
func (fd fileDialogs) fynePickFile(what pick, open func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			fd.say.fail(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		open(path)
	}, fd.win)
	d.SetTitleText(what.title)
	d.SetConfirmText(what.confirm)
	d.SetFilter(profileFiles{})
	if l := fd.location(); l != nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// location is the folder of the profile shown, where the file dialogs
// open (a session file saved there names the profile by a relative path
// that still holds when the folder is shared); nil when it is not a
// folder of this machine (the sample, a URL).
func (fd fileDialogs) location() fyne.ListableURI {
	path := fd.profilePath()
	if path == "" {
		return nil
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		return nil
	}
	return l
}

// pickSaveFile asks where to save, offering name, and hands the file to
// save; done (followed by the path) goes to the status bar after, and an
// error to a dialog.
func (fd fileDialogs) pickSaveFile(name string, save func(fyne.URIWriteCloser) error, done string) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			fd.say.fail(err)
			return
		}
		if wc == nil {
			return
		}
		defer wc.Close()
		if err := save(wc); err != nil {
			fd.say.fail(err)
			return
		}
		fd.say.say(done + wc.URI().Path())
	}, fd.win)
	d.SetFileName(name)
	if l := fd.location(); l != nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}
