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
)

// pickFile asks for a profile file, starting in the open profile's folder,
// and hands its path to open: in the desktop's own file chooser where the
// session has one, else in Fyne's dialog, which lists profile files only.
func (fd fileDialogs) pickFile(what pick, open func(path string)) {
	if fd.work == nil || !fd.chooser.usable() {
		fd.fynePickFile(what, open)
		return
	}
	folder := ""
	if l := fd.location(); l != nil {
		folder = l.Path()
	}
	parent := windowHandle(fd.win)
	fd.work.run(laneNone, func(context.Context) func() {
		path, err := fd.chooser.open(parent, what, folder)
		return func() {
			switch {
			case errors.Is(err, errNoPortal):
				fd.chooser.off = true // not asked again in this window
				fd.fynePickFile(what, open)
			case err != nil:
				fd.say.fail(err)
			case path != "":
				open(path)
			}
		}
	})
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
