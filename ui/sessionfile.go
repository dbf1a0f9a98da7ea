package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2/dialog"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// sessionState is the window's state as a session value.
func (w *MainWindow) sessionState() (session.State, error) {
	if w.shown.open.info == nil || w.shown.open.loaded.IsZero() {
		return session.State{}, errors.New("nothing is open to save, or it is still being read")
	}
	reopenable := w.shown.read.Reopenable
	st := session.State{Source: session.Source{Path: reopenable(w.shown.open.info), More: w.shown.more},
		Request:  session.Request{SampleSpec: sampleNameOf(w.shown.view), Granularity: w.shown.granularity, Steps: w.filters.Steps()},
		Inverted: w.shown.inverted, Search: w.searchBar.entry.Text, Module: w.side.insights.module.Text}
	if w.shown.profilePath == "" {
		return st, errors.New("the built-in sample is not a file: save a session of a profile opened from a file or URL")
	}
	if c := w.shown.open.loaded.Comparison(); c != nil {
		st.Source.Path = reopenable(&c.New.Info)
		if c.Mode == model.SubtractBase {
			st.Source.Base = reopenable(&c.Base.Info)
		} else {
			st.Source.DiffBase = reopenable(&c.Base.Info)
		}
		st.Source.Normalize = c.Normalize
		st.CompareView = w.compare.view.Selected
	}
	if rs := w.shown.runs; rs != nil { // two sets of runs: each side's runs, merged again
		st.Source.Path, st.Source.More = rs.after[0], rs.after[1:]
		st.Source.DiffBase, st.Source.BaseMore, st.Source.Base = rs.before[0], rs.before[1:], ""
	}
	if w.tools.viewSwitch.Selected == viewGraph {
		st.View = "graph"
	}
	if t := w.graph.Tree(); t != nil {
		for n := w.graph.View().Focus; n > model.Root; n = t.Parent[n] {
			st.Zoom = append([]string{t.Name(n)}, st.Zoom...)
		}
	}
	return st, nil
}

// SaveSession writes the window's state to path.
func (w *MainWindow) SaveSession(path string) error {
	f, err := w.sessionState()
	if err != nil {
		return err
	}
	return f.WriteFile(path)
}

// OpenSession reads a session file and shows what it saved: its profiles
// loaded with its sample type, granularity and steps, then its zoom,
// views and search. A file that does not check out is refused whole, in a
// dialog, and what is open stays.
func (w *MainWindow) OpenSession(path string) {
	st, err := session.ReadState(path)
	if err != nil {
		dialog.ShowError(err, w.win)
		return
	}
	w.openSessionState(st)
}

// openSessionState shows what a saved session holds.
func (w *MainWindow) openSessionState(st session.State) {
	onChanged := w.tools.granularity.OnChanged
	w.tools.granularity.OnChanged = nil // set for the load, not a reload
	w.tools.granularity.SetSelectedIndex(slices.Index(model.Granularities, st.Request.Granularity))
	w.tools.granularity.OnChanged = onChanged
	w.side.insights.module.SetText(st.Module)
	src := st.Source
	src.Fetch = w.opts.Fetch
	if err := src.Validate(); err != nil {
		dialog.ShowError(err, w.win)
		return
	}
	restore := func() {
		if st.CompareView != "" && w.shown.view.Comparing() {
			w.compare.view.SetSelected(st.CompareView)
		}
		w.graph.ZoomToPath(st.Zoom)
		if st.View == "graph" {
			w.tools.viewSwitch.SetSelected(viewGraph)
		} else {
			w.tools.viewSwitch.SetSelected(viewFlame)
		}
		if st.Search != "" {
			w.searchBar.entry.SetText(st.Search)
		}
		w.status.SetText(fmt.Sprintf("Opened the session of %s", filepath.Base(st.Source.Path)))
	}
	after := restore
	if st.Inverted {
		// The inverted view is derived from the one loaded; the zoom is
		// a path in it.
		after = func() {
			onInvert := w.tools.invertCheck.OnChanged
			w.tools.invertCheck.OnChanged = nil // checked here, derived below
			w.tools.invertCheck.SetChecked(true)
			w.tools.invertCheck.OnChanged = onInvert
			w.shown.inverted = true
			w.deriveThen(restore)
		}
	}
	w.load(source{Source: src, after: after}, st.Request.SampleSpec, st.Request.Steps)
}
