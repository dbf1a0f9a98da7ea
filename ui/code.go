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

// report is how a part tells the user what it does: the status bar's
// message and busy state, and an error in a dialog.
type report struct {
	busy func(msg string) // work has started: msg says what
	idle func(msg string) // work has ended: msg, if any, says how
	say  func(msg string) // a message, work or not
	fail func(err error)  // work failed: said in a dialog
}

// done ends work: idle, and err said if not nil.
func (r report) done(err error) {
	r.idle("")
	if err != nil {
		r.fail(err)
	}
}

// viewed is what is open and the view asked of it, as a part reads it on
// the UI goroutine and hands it to its background work.
type viewed struct {
	open open
	spec session.Spec
	view session.View // the view shown
}

// codePart is the source pane's controller: it lists a function's
// source or machine code for the view shown, in a lane of its own (a
// listing never cancels a load), finds the profile's source files and
// program where the user said, and reports through callbacks. It knows
// nothing else of the window.
type codePart struct {
	pane  *codePane
	work  *async
	views *session.Views
	prefs fyne.Preferences
	win   fyne.Window // for its dialogs
	say   report
	// paths are -source_path and -trim_path; binary is -binary.
	paths  session.SourcePaths
	binary string

	// current is the view shown; graphs the flame graphs a source line's
	// frames are highlighted in; selected the function selected in the
	// graph or picked in a table, "" for none.
	current  func() viewed
	graphs   func() []*FlameGraph
	selected func() string

	// What the open profile's sources and program are found from.
	profilePath string
	sources     *session.Sources
	programs    *session.Programs
}

// wire hooks the pane's buttons up to the part.
func (sp *codePart) wire(openEditor func(path string, line int64)) {
	p := sp.pane
	p.onLine = sp.highlightLine
	p.onCallee = sp.showSource
	p.openEditor = openEditor
	p.pickFolder = sp.pickSourceFolder
	p.onClose = func() { p.hide(); sp.clearHighlight() }
	p.onMode = sp.showFunction
	p.pickProgram = sp.pickProgram
}

// opened starts over for a newly opened profile (path "" for the sample):
// the pane closes, and its sources and program are looked for afresh; a
// listing asked for before is of the profile replaced, and dropped.
func (sp *codePart) opened(path string, info *model.Info) {
	sp.work.drop(laneSource)
	sp.pane.hide()
	sp.profilePath = path
	sp.sources = sp.newSources(info)
	sp.programs = &session.Programs{}
}

// newSources is the source finder of the open profile: the folders of
// -source_path and -trim_path, and those the user chose for this profile
// before.
func (sp *codePart) newSources(info *model.Info) *session.Sources {
	dirs := sp.paths.SourcePath
	if chosen := sp.prefs.String(sourcePathKeyPart + sp.profilePath); chosen != "" {
		dirs = strings.Join(nonEmpty(chosen, dirs), string(os.PathListSeparator))
	}
	return &session.Sources{Paths: session.SourcePaths{SourcePath: dirs, TrimPath: sp.paths.TrimPath}, Taken: info.Taken()}
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
func (sp *codePart) showSource(function string) { sp.listSource(function, false) }

// listSource lists function's source; quietly (the view changed under an
// open listing) a function no longer in the view closes the pane instead
// of saying so in a dialog.
func (sp *codePart) listSource(function string, quietly bool) {
	v := sp.current()
	if v.open.info == nil || function == "" {
		return
	}
	sources := sp.sources
	sp.say.busy("Reading the source of " + function + "…")
	sp.work.run(laneSource, func(ctx context.Context) func() {
		l, err := v.open.await(ctx)
		var listing *session.Listing
		if err == nil {
			listing, err = sp.views.SourceListing(l, v.spec, function)
		}
		if err == nil {
			for _, r := range listing.Routines {
				sources.Find(r) //nolint:errcheck // read here, off the UI goroutine; the pane says what failed
			}
		}
		return func() {
			if err != nil && quietly {
				sp.say.idle("")
				sp.pane.hide()
				return
			}
			sp.say.done(err)
			if err != nil {
				return
			}
			sp.pane.show(listing, sources)
			sp.say.say(fmt.Sprintf("Source of %s: %d file(s) — click a line to find its frames, a call to follow it", function, len(listing.Routines)))
		}
	})
}

// functionOf is the function of the frame named name in tree t.
func functionOf(t *model.Tree, name string) string {
	if t != nil {
		if f, ok := t.FuncByName(name); ok && t.Funcs[f].Function != "" {
			return t.Funcs[f].Function
		}
	}
	return name
}

// highlightLine highlights the frames of a source line in the graphs: at
// line granularity the line's own frames; at a coarser one the function
// and what the line calls.
func (sp *codePart) highlightLine(r listing.Routine, line listing.LineCost) {
	for _, g := range sp.graphs() {
		if t := g.Tree(); t != nil {
			g.SetHighlight(lineMarks(t, r, line))
		}
	}
	unit := ""
	if t := sp.current().view.Main; t != nil {
		unit = t.SampleType.Unit
	}
	sp.say.say(fmt.Sprintf("Line %d of %s: cum %s — its frames are highlighted; Esc clears", line.Line, r.Function, model.PprofValue(line.Cum, unit)))
}

// lineMarks marks the frames of t that a source line stands for.
func lineMarks(t *model.Tree, r listing.Routine, line listing.LineCost) []bool {
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
	return marks
}

// clearHighlight takes the highlight off the graphs.
func (sp *codePart) clearHighlight() {
	for _, g := range sp.graphs() {
		g.SetHighlight(nil)
	}
}

// pickSourceFolder asks for a folder to find the open profile's sources
// in, remembers it for the profile's location and lists the source again.
func (sp *codePart) pickSourceFolder() {
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		key := sourcePathKeyPart + sp.profilePath
		prev := sp.prefs.String(key)
		sp.prefs.SetString(key, strings.Join(nonEmpty(dir.Path(), prev), string(os.PathListSeparator)))
		if info := sp.current().open.info; info != nil {
			sp.sources = sp.newSources(info)
		}
		if sp.pane.function != "" {
			sp.refresh()
		}
	}, sp.win)
}

// showSelected shows the selected frame's function (else the function last
// picked in a table or the jump list) in the source pane as m asks.
func (sp *codePart) showSelected(m paneMode) {
	if f := sp.selected(); f != "" {
		sp.showFunction(f, m)
		return
	}
	sp.say.say("Select a frame or a function first: Ctrl+U shows its source, Ctrl+Shift+U its machine code")
}

// showFunction shows function in the source pane as m asks: its source
// or its machine code.
func (sp *codePart) showFunction(function string, m paneMode) {
	if m == modeAsm {
		sp.showAssembly(function, false)
		return
	}
	sp.showSource(function)
}

// refresh shows the pane's function again, in the view shown, if the pane
// is open; a function no longer in it closes the pane.
func (sp *codePart) refresh() {
	if !sp.pane.box.Visible() || sp.pane.function == "" {
		return
	}
	if sp.pane.mode == modeAsm {
		sp.showAssembly(sp.pane.function, true)
		return
	}
	sp.listSource(sp.pane.function, true)
}

// showAssembly shows function's machine code in the source pane, from the
// profiled program, with the costs of the view shown beside each
// instruction; what stands in the way (no program, another build) is said
// in the pane, with a button to pick the program.
func (sp *codePart) showAssembly(function string, quietly bool) {
	v := sp.current()
	if v.open.info == nil || function == "" {
		return
	}
	sources, programs, info := sp.sources, sp.programs, v.open.info
	given := sp.prefs.String(programKeyPart + sp.profilePath)
	if given == "" {
		given = sp.binary
	}
	sp.say.busy("Decoding the machine code of " + function + "…")
	sp.work.run(laneSource, func(ctx context.Context) func() {
		l, err := v.open.await(ctx)
		var a *session.AsmListing
		var noProgram error
		if err == nil {
			f, prog, ferr := programs.Find(info, given)
			if ferr != nil {
				noProgram = ferr
			} else {
				a, err = sp.views.Disassembly(l, v.spec, function, f, prog)
			}
		}
		if a != nil {
			for _, r := range a.Routines {
				for _, in := range r.Insts {
					sourceLine(sources, function, in.Path, in.Line) // read here, off the UI goroutine
				}
			}
		}
		return func() { sp.showAsmResult(function, a, sources, err, noProgram, quietly) }
	})
}

// showAsmResult shows what showAssembly found, on the UI goroutine.
func (sp *codePart) showAsmResult(function string, a *session.AsmListing, sources *session.Sources, err, noProgram error, quietly bool) {
	switch {
	case err != nil && quietly:
		sp.say.idle("")
		sp.pane.hide()
	case err != nil:
		sp.say.done(err)
	case noProgram != nil:
		sp.say.idle("")
		sp.pane.showAsmError(function, noProgram)
	default:
		sp.say.idle("")
		sp.pane.showAsm(a, sources)
		sp.say.say(fmt.Sprintf("Machine code of %s from %s: click an instruction to find its line's frames", function, a.Program))
	}
}

// pickProgram asks for the program the open profile sampled, remembers
// it for the profile's location and shows the machine code again.
func (sp *codePart) pickProgram() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		sp.prefs.SetString(programKeyPart+sp.profilePath, r.URI().Path())
		if sp.pane.function != "" {
			sp.showAssembly(sp.pane.function, false)
		}
	}, sp.win)
}

// prepare derives the view's stacks at line granularity in the
// background, once the whole profile is read, so that the first source
// listing asked for takes milliseconds, not the seconds a large profile's
// line stacks take.
func (sp *codePart) prepare() {
	v := sp.current()
	l := v.open.loaded
	if l.IsZero() || l.Comparison() != nil {
		return
	}
	sp.work.run(laneNone, func(ctx context.Context) func() {
		sp.views.PrepareListing(l, v.spec) //nolint:errcheck // a listing asked for says what failed
		return nil
	})
}
