package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/flamelens/flamelens/listing"
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
	w.work.run(laneSource, func(ctx context.Context) func() {
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
func (w *MainWindow) highlightLine(r listing.Routine, line listing.LineCost) {
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
		if w.source.function != "" {
			w.refreshSource()
		}
	}, w.win)
}

// showSelectedSource shows the source of the frame selected in the flame
// graph, else of the function last picked in a table or the jump list.
func (w *MainWindow) showSelectedSource() { w.showSelected(modeSource) }

// showSelected shows the selected frame's function (else the function last
// picked in a table or the jump list) in the source pane as m asks.
func (w *MainWindow) showSelected(m paneMode) {
	if t := w.graph.Tree(); t != nil {
		if n := w.graph.Selected(); n > 0 {
			w.showFunction(t.Funcs[t.Fn[n]].Function, m)
			return
		}
	}
	if w.side.picked != "" {
		w.showFunction(w.functionOf(w.side.picked), m)
		return
	}
	w.status.SetText("Select a frame or a function first: Ctrl+U shows its source, Ctrl+Shift+U its machine code")
}

// showFunction shows function in the source pane as m asks: its source
// or its machine code.
func (w *MainWindow) showFunction(function string, m paneMode) {
	if m == modeAsm {
		w.showAssembly(function, false)
		return
	}
	w.showSource(function)
}

// refreshSource shows the pane's function again, in the view shown; a
// function no longer in it closes the pane.
func (w *MainWindow) refreshSource() {
	if w.source.mode == modeAsm {
		w.showAssembly(w.source.function, true)
		return
	}
	w.listSource(w.source.function, true)
}

// showAssembly shows function's machine code in the source pane, from the
// profiled program, with the costs of the view shown beside each
// instruction; what stands in the way (no program, another build) is said
// in the pane, with a button to pick the program.
func (w *MainWindow) showAssembly(function string, quietly bool) {
	if w.shown.info == nil || function == "" {
		return
	}
	l, spec, whole, sources, programs, info := w.shown.loaded, w.spec(), w.shown.whole, w.shown.sources, w.shown.programs, w.shown.info
	given := w.app.Preferences().String(programKeyPart + w.shown.profilePath)
	if given == "" {
		given = w.opts.Binary
	}
	w.busy("Decoding the machine code of " + function + "…")
	w.work.run(laneSource, func(ctx context.Context) func() {
		l, err := session.Await(ctx, l, whole)
		var a *session.AsmListing
		var noProgram error
		if err == nil {
			f, prog, ferr := programs.Find(info, given)
			if ferr != nil {
				noProgram = ferr
			} else {
				a, err = w.views.Disassembly(l, spec, function, f, prog)
			}
		}
		if a != nil {
			for _, r := range a.Routines {
				for _, in := range r.Insts {
					sourceLine(sources, function, in.Path, in.Line) // read here, off the UI goroutine
				}
			}
		}
		return func() {
			switch {
			case err != nil && quietly:
				w.status.idle("")
				w.source.box.Hide()
			case err != nil:
				w.done(err)
			case noProgram != nil:
				w.status.idle("")
				w.source.showAsmError(function, noProgram)
			default:
				w.status.idle("")
				w.source.showAsm(a, sources)
				w.status.SetText(fmt.Sprintf("Machine code of %s from %s: click an instruction to find its line's frames", function, a.Program))
			}
		}
	})
}

// pickProgram asks for the program the open profile sampled, remembers
// it for the profile's location and shows the machine code again.
func (w *MainWindow) pickProgram() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		w.app.Preferences().SetString(programKeyPart+w.shown.profilePath, r.URI().Path())
		if w.source.function != "" {
			w.showAssembly(w.source.function, false)
		}
	}, w.win)
}

// prepareListing derives the view's stacks at line granularity in the
// background, once the whole profile is read, so that the first source
// listing asked for takes milliseconds, not the seconds a large profile's
// line stacks take.
func (w *MainWindow) prepareListing() {
	l, spec := w.shown.loaded, w.spec()
	if l.IsZero() || l.Comparison() != nil {
		return
	}
	w.work.run(laneNone, func(ctx context.Context) func() {
		w.views.PrepareListing(l, spec) //nolint:errcheck // a listing asked for says what failed
		return nil
	})
}
