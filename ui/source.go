package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// newSources is the source finder of the profile at path: the folders of
// -source_path and -trim_path, and those the user chose for this profile
// before.
func (w *MainWindow) newSources(path string, info *model.Info) *session.Sources {
	dirs := w.opts.SourcePath
	if chosen := w.app.Preferences().String(sourcePathKeyPart + path); chosen != "" {
		dirs = strings.Join(nonEmpty(chosen, dirs), string(os.PathListSeparator))
	}
	return &session.Sources{Paths: session.SourcePaths{SourcePath: dirs, TrimPath: w.opts.TrimPath}, Taken: info.Taken()}
}

func nonEmpty(list ...string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// showSource opens function's annotated source under the graphs, for the
// view shown (its filters and steps), once the whole profile is read.
func (w *MainWindow) showSource(function string) { w.listSource(function, false) }

// listSource lists function's source; quietly (the view changed under an
// open listing) a function no longer in the view closes the pane instead
// of saying so in a dialog.
func (w *MainWindow) listSource(function string, quietly bool) {
	if w.shown.info == nil || function == "" {
		return
	}
	l, spec, whole, sources := w.shown.loaded, w.spec(), w.shown.whole, w.shown.sources
	w.busy("Reading the source of " + function + "…")
	w.work.run(laneView, func(ctx context.Context) func() {
		l, err := session.Await(ctx, l, whole)
		var listing *session.Listing
		if err == nil {
			listing, err = w.views.SourceListing(l, spec, function)
		}
		if err == nil {
			for _, r := range listing.Routines {
				sources.Find(r) //nolint:errcheck // read here, off the UI goroutine; the pane says what failed
			}
		}
		return func() {
			if err != nil && quietly {
				w.status.idle("")
				w.source.box.Hide()
				return
			}
			w.done(err)
			if err != nil {
				return
			}
			w.source.show(listing, sources)
			w.status.SetText(fmt.Sprintf("Source of %s: %d file(s) — click a line to find its frames, a call to follow it", function, len(listing.Routines)))
		}
	})
}

// functionOf is the function of the frame named name in the view shown.
func (w *MainWindow) functionOf(name string) string {
	if t := w.shown.view.Main; t != nil {
		if f, ok := t.FuncByName(name); ok && t.Funcs[f].Function != "" {
			return t.Funcs[f].Function
		}
	}
	return name
}

// highlightLine highlights the frames of a source line in the graphs: at
// line granularity the line's own frames; at a coarser one the function
// and what the line calls.
func (w *MainWindow) highlightLine(r model.Routine, line model.LineCost) {
	for _, g := range w.graphs() {
		t := g.Tree()
		if t == nil {
			continue
		}
		marks := make([]bool, len(t.Funcs))
		for i, f := range t.Funcs {
			switch {
			case f.Line != 0:
				marks[i] = f.Function == r.Function && f.Line == line.Line && filepath.Clean(f.File) == filepath.Clean(r.Path)
			case f.Function == r.Function:
				marks[i] = true
			default:
				for _, c := range line.Calls {
					if f.Function == c.Function {
						marks[i] = true
					}
				}
			}
		}
		g.SetHighlight(marks)
	}
	w.status.SetText(fmt.Sprintf("Line %d of %s: cum %s — its frames are highlighted; Esc clears", line.Line, r.Function,
		model.PprofValue(line.Cum, w.shown.view.Main.SampleType.Unit)))
}

// clearHighlight takes the highlight off the graphs.
func (w *MainWindow) clearHighlight() {
	for _, g := range w.graphs() {
		g.SetHighlight(nil)
	}
}

// pickSourceFolder asks for a folder to find the open profile's sources
// in, remembers it for the profile's location and lists the source again.
func (w *MainWindow) pickSourceFolder() {
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		key := sourcePathKeyPart + w.shown.profilePath
		prev := w.app.Preferences().String(key)
		w.app.Preferences().SetString(key, strings.Join(nonEmpty(dir.Path(), prev), string(os.PathListSeparator)))
		w.shown.sources = w.newSources(w.shown.profilePath, w.shown.info)
		if l := w.source.listing; l != nil {
			w.showSource(l.Function)
		}
	}, w.win)
}

// showSelectedSource shows the source of the frame selected in the flame
// graph, else of the function last picked in a table or the jump list.
func (w *MainWindow) showSelectedSource() {
	if t := w.graph.Tree(); t != nil {
		if n := w.graph.Selected(); n > 0 {
			w.showSource(t.Funcs[t.Fn[n]].Function)
			return
		}
	}
	if w.side.picked != "" {
		w.showSource(w.functionOf(w.side.picked))
		return
	}
	w.status.SetText("Select a frame or a function first: Ctrl+U shows its source")
}
