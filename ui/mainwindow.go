// Package ui is flamelens's window: Fyne widgets over the model and the
// renderer. It is the only package that imports fyne; it does not import
// fyne's app package, so it is tested headless with fyne.io/fyne/v2/test.
package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/rymdport/portal/filechooser"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
	"github.com/flamelens/flamelens/session/fetch"
)

// Options are what the command line passes to the window.
type Options struct {
	// Source is the path to open; "" opens the embedded sample profile.
	Source string
	// More are further files or URLs merged with Source into one
	// profile (flamelens -merge a b c), each sample labelled with its
	// source.
	More []string `json:",omitempty"`
	// SampleIndex selects the sample type as -sample_index does; "" for the default.
	SampleIndex string
	// Granularity is what frames stand for at first (-lines, -files, …).
	Granularity model.Granularity
	// SourcePath and TrimPath say where source files are looked for, as
	// pprof's -source_path and -trim_path.
	SourcePath, TrimPath string
	// Filters are pprof's filters from the command line: the first step
	// of the filter stack.
	Filters model.Filters
	// DiffBase or Base name a profile to compare Source with, as pprof's
	// -diff_base and -base; Normalize scales it to Source's total first.
	DiffBase, Base string
	Normalize      bool
	// BaseMore are further runs merged with DiffBase: with More, two sets
	// of runs compared, their statistics beside (File > Compare Runs…).
	BaseMore []string
	// Fetch is how URLs are fetched (-seconds, -timeout, -max_response_mb).
	Fetch fetch.Options
	// View is "graph" to start on the call graph; else the flame graph.
	View string
	// Binary is the profiled program, for machine code (-binary); ""
	// looks where the profile says.
	Binary string
	// Module names the user's code (-module): import path prefixes,
	// comma-separated; "" works it out from the profile.
	Module string `json:",omitempty"`
	// Version is the program's version line, for Help > About.
	Version string
	// Screen is the screen's size in Fyne units, which the window keeps
	// within; zero when unknown.
	Screen fyne.Size `json:"-"`
	// OnOpenError, if not nil, is told (on the UI goroutine) when what
	// these options ask to open cannot be opened, besides the dialog.
	OnOpenError func(error) `json:"-"`
}

// source is what Options ask to open, described for the session layer.
func (o Options) source() session.Source {
	return session.Source{Path: o.Source, More: o.More, DiffBase: o.DiffBase, Base: o.Base, BaseMore: o.BaseMore, Normalize: o.Normalize, Fetch: o.Fetch}
}

// MainWindow is one flamelens window showing one profile.
type MainWindow struct {
	app fyne.App
	win fyne.Window

	header    *hoverLabel      // one line; the whole of it on hover
	tools     toolbar          // the controls above the graph
	tips      *tipLayer        // tooltips over the window's content
	side      *sidePane        // the function table and details
	split     *container.Split // the graph beside the side pane
	status    *statusBar
	graph     *FlameGraph // the main flame graph
	panes     *graphPanes // the flame graph pane or the call graph pane
	graphPane *graphPane  // the call graph pane
	searchBar *searchBar
	filters   *filterStack
	compare   *compareBar
	live      *livePanel
	pyro      *pyroscopeBar // the range chart of a Pyroscope query
	codePane  *codePane     // a function's annotated source, under the graphs
	code      *codePart     // what the source pane lists, and its work
	files     fileDialogs   // the file pickers
	export    *exporter     // File > Export
	openPath  *openPath     // File > Open Path…, the last shown
	runs      *runsDialog   // File > Compare Runs…, the last shown
	editor    editor        // opens source files in the user's editor
	layout    windowLayout  // the window's size and side pane, kept between starts
	menus     *menus        // the menu bar and keyboard shortcuts
	// modifiers reports the keyboard modifiers held; replaced in tests.
	modifiers func() fyne.KeyModifier

	queue *uiQueue // a test's stand-in for the UI goroutine; nil in a real window

	// work runs background work and brings its results back; everything
	// else is touched on the UI goroutine only.
	work     *async
	stopLoad context.CancelFunc // cancels the load under way; nil when none
	// readWhole reads the whole profile behind a streamed first view.
	readWhole func(*session.Whole, context.Context)

	opts  Options       // what the window was opened with: fetch options, version, screen size
	shown shown         // what is open and how it is viewed
	views session.Views // derives views, keeping the last filtered tree
	// loadFailed is whether the last load read nothing (set off the UI
	// goroutine, as the load ends).
	loadFailed atomic.Bool
	help       *helpDialog  // the keyboard help
	typed      func(r rune) // what a rune typed over a graph does
	escape     func()       // what Esc does wherever it is pressed
	say        report       // how the window's parts tell the user what they do
}

// toolbar is the controls above the graph that choose what it shows.
type toolbar struct {
	typeSelect  *widget.Select     // the sample type
	granularity *widget.Select     // what a frame stands for: functions, lines, …
	flameToggle *widget.Check      // root at the bottom
	invertCheck *widget.Check      // inverted (bottom-up)
	sideShow    *widget.Button     // shows or hides the side pane
	viewSwitch  *widget.RadioGroup // flame graph or call graph
}

// shown is what a window shows: the profile open and the view of it.
type shown struct {
	open        open
	profilePath string   // the file the profile (NEW, in a comparison) came from; "" for the sample
	more        []string // the sources merged with it (flamelens -merge), if any
	sampleIndex int
	granularity model.Granularity
	inverted    bool
	view        session.View
	read        session.Read // what reading it gave: warnings, fetched copies
	runs        *runSets     // the sets of runs compared, if the comparison is of runs
}

// open is what a window has open: what the profile says of itself, the
// profile or comparison once read in full, and, while it is still read in
// full (its flame graph drawn from its streamed stacks already), the
// reading. One handle, so no caller has to combine the three.
type open struct {
	info   *model.Info    // nil until a profile is open
	loaded session.Loaded // zero while the profile is read in full
	whole  *session.Whole // the reading in full; nil when none goes on
}

// await is the profile or comparison open, once read in full.
func (o open) await(ctx context.Context) (session.Loaded, error) {
	return session.Await(ctx, o.loaded, o.whole)
}

// NewMainWindow creates the window and starts loading opts.Source in the
// background. Call ShowAndRun (or Show) on Window() to display it.
func NewMainWindow(a fyne.App, opts Options) *MainWindow {
	return newMainWindow(a, opts, nil)
}

// newMainWindow delivers background results through queue when it is not
// nil (tests), else through fyne.Do.
func newMainWindow(a fyne.App, opts Options, queue *uiQueue) *MainWindow {
	w := &MainWindow{app: a, win: a.NewWindow("flamelens"), queue: queue, modifiers: currentModifiers}
	// Background results run on the UI goroutine: through fyne.Do, or in
	// tests a queue that wait drains on the test's goroutine.
	do := fyne.Do
	if queue != nil {
		do = queue.add
	}
	w.work = newAsync(do)
	w.readWhole = (*session.Whole).ReadProfile
	if queue != nil && queue.readWhole != nil {
		w.readWhole = queue.readWhole
	}
	w.opts = opts
	var steps []session.Step
	if !opts.Filters.IsZero() {
		steps = append(steps, session.Step{Kind: session.StepFilter, Filter: opts.Filters})
	}
	desc := opts.source()
	// A file or the built-in sample starts loading before the widgets are
	// made, on the other core; read by the time they are, it is in the
	// window's first frame.
	var early applyEarly
	if desc.Validate() == nil && !session.IsSessionFile(opts.Source) && len(desc.More) == 0 &&
		!slices.ContainsFunc(desc.Paths(), fetch.IsRemote) && !fetch.IsRemote(source{Source: desc}.base()) {
		early = w.startLoad(source{Source: desc, failed: opts.OnOpenError}, opts.SampleIndex, steps, w.work.runEarly)
	}
	w.build()
	if early != nil {
		// A file that cannot be read is said in a dialog once the window
		// shows: a dialog made before then does not take its clicks.
		if !early(firstFrameWait, func() bool { return !w.loadFailed.Load() }) && !w.loadFailed.Load() {
			w.status.busy("Loading " + source{Source: desc}.name() + "…")
		}
		w.showViewChoice(opts.View)
		return w
	}
	if err := desc.Validate(); err != nil {
		// The command line checks this first; a window asked for by
		// another start says it too, and opens the sample.
		dialog.ShowError(err, w.win)
		if opts.OnOpenError != nil {
			opts.OnOpenError(err)
		}
		desc = session.Source{Path: opts.Source, Fetch: opts.Fetch}
	}
	if session.IsSessionFile(opts.Source) {
		w.OpenSession(opts.Source) // flamelens saved.flamelens
	} else if ps, ok := incompleteQuery(desc); ok {
		// pyroscope://HOST:PORT without a service or type: the picker
		// lists the server's and opens what is picked.
		w.status.SetText("Pick what to open from Pyroscope at " + hostOf(ps.Server))
		w.showPyroscopePicker(ps)
	} else {
		w.load(source{Source: desc, failed: opts.OnOpenError}, opts.SampleIndex, steps)
	}
	w.showViewChoice(opts.View)
	return w
}

// firstFrameWait is how long a new window waits, its widgets made, for
// the profile it started loading before showing itself: a profile read by
// then is in the first frame; a longer read shows "Loading…" first.
var firstFrameWait = 300 * time.Millisecond

// showViewChoice selects the flame graph or, for "graph", the call graph.
func (w *MainWindow) showViewChoice(view string) {
	if view == "graph" {
		w.tools.viewSwitch.SetSelected(viewGraph)
	} else {
		w.tools.viewSwitch.SetSelected(viewFlame)
	}
}

// uiQueue holds results of background work until the test's goroutine,
// standing in for the UI goroutine, runs them.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
	// readWhole, if not nil, stands in for reading the whole profile
	// behind a streamed first view: a test holds it back.
	readWhole func(*session.Whole, context.Context)
}

func (q *uiQueue) add(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

// run runs what is queued and reports whether there was anything.
func (q *uiQueue) run() bool {
	q.mu.Lock()
	fns := q.fns
	q.fns = nil
	q.mu.Unlock()
	for _, f := range fns {
		f()
	}
	return len(fns) > 0
}

func (w *MainWindow) build() {
	w.help = &helpDialog{win: w.win}
	w.escape = func() { // the keyboard help if open, else the graph's Esc: clear the highlight, else zoom out
		if w.help.open != nil {
			w.help.open.Hide()
			return
		}
		w.graph.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	}
	w.typed = func(r rune) {
		if w.win.Canvas().Overlays().Top() != nil {
			return // a dialog is up: what is typed is its, not a search behind it
		}
		typedOverGraph(r, w.help, w.searchBar)
	}
	w.say = report{busy: func(msg string) { w.status.busy(msg) }, idle: func(msg string) { w.status.idle(msg) },
		say: func(msg string) { w.status.SetText(msg) }, fail: func(err error) { dialog.ShowError(err, w.win) }}
	w.tips = newTipLayer()
	w.header = newHoverLabel("", w.tips)
	w.status = newStatusBar(w.tips, w.work, func() {
		if w.stopLoad != nil {
			w.stopLoad() // Cancel: the load's request is cancelled and what was open stays
		}
	})

	w.buildGraphs()
	w.buildPanels()
	top := w.buildToolbar()
	w.buildParts()
	graphs := container.NewVSplit(w.panes.box, w.codePane.box)
	w.codePane.split = graphs
	graphs.Offset = 0.5
	// The comparison's bar and legend are about the graph: above it, so the
	// side pane's tables keep their rows on a laptop.
	w.split = container.NewHSplit(container.NewBorder(container.NewVBox(w.pyro.box, w.compare.box), nil, nil, nil, graphs), w.side.box)
	w.split.Offset = 0.58
	w.win.SetContent(container.NewStack(container.NewBorder(top, w.status.box, nil, nil, w.split), w.tips.layer))

	w.layout = windowLayout{win: w.win, split: w.split, side: w.side.box, prefs: w.app.Preferences(), screen: w.opts.Screen}
	w.menus = &menus{win: w.win, prefs: w.app.Preferences(), version: w.opts.Version, do: w.commands()}
	w.menus.install()
	w.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		switch {
		case len(uris) >= 2: // two files at once: the first is BASE
			w.Compare(uris[0].Path(), uris[1].Path(), model.DiffBase, false)
		case len(uris) == 1 && w.modifiers()&fyne.KeyModifierShift != 0 && w.shown.profilePath != "":
			w.Compare(uris[0].Path(), w.shown.profilePath, model.DiffBase, false) // Shift+drop: compare with it
		case len(uris) == 1:
			w.Open(uris[0].Path(), "")
		}
	})
	themes(w.app).add(w)
	notice := checkAppPreferences(w.app) // before any setting is read or written
	applyTheme(w.app)
	w.tools.flameToggle.SetChecked(w.app.Preferences().Bool(rootAtBottomKey))
	w.side.insights.showLegend()
	w.layout.restore()
	w.win.SetOnClosed(w.closed)
	if notice != "" {
		dialog.ShowInformation("Settings reset", notice, w.win)
	}
}

// buildToolbar makes the controls above the graph and returns their two
// rows with the bars under them.
func (w *MainWindow) buildToolbar() fyne.CanvasObject {
	w.tools.typeSelect = widget.NewSelect(nil, w.selectSampleType)
	w.tools.typeSelect.PlaceHolder = "sample type"
	w.tools.granularity = newGranularitySelect(w.opts.Granularity, w.selectGranularity)
	w.tools.flameToggle = widget.NewCheck("Root at bottom", func(on bool) {
		o := render.Icicle
		if on {
			o = render.Flame
		}
		w.graph.SetOrientation(o)
		w.app.Preferences().SetBool(rootAtBottomKey, on)
	})
	w.tools.invertCheck = widget.NewCheck("Inverted (bottom-up)", func(on bool) {
		if on != w.shown.inverted {
			w.shown.inverted = on
			w.deriveThen(nil)
		}
	})
	back := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { w.graph.Back() })
	forward := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { w.graph.Forward() })
	reset := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), func() { w.graph.ZoomOut() })
	// Two rows above the graph on any screen: the header with the tools,
	// then the view switch with the search. The filter bar opens on demand;
	// the comparison and live bars, and the filter chips, appear when they
	// have something to show, wrapping onto more rows only where they must.
	filterShow := widget.NewButtonWithIcon("Filters", theme.ContentAddIcon(), func() { w.filters.toggleBar(w.win.Canvas()) })
	w.tools.sideShow = widget.NewButtonWithIcon("", theme.ViewRestoreIcon(), func() { w.layout.toggleSide() })
	tools := container.NewHBox(back, forward, reset, widget.NewSeparator(), w.tools.typeSelect, w.tools.granularity, filterShow, w.tools.sideShow)
	w.tools.viewSwitch = widget.NewRadioGroup([]string{viewFlame, viewGraph}, func(which string) {
		w.panes.switchTo(which == viewGraph)
		if which == viewGraph {
			w.graphPane.build()
		}
	})
	w.tools.viewSwitch.Horizontal = true
	w.tools.viewSwitch.Required = true
	top := container.NewVBox(container.NewBorder(nil, nil, nil, tools, w.header),
		container.NewBorder(nil, nil, w.tools.viewSwitch, nil, w.searchBar.box),
		w.live.box, w.filters.bar.box, w.filters.chips)
	return top
}

// buildGraphs makes the flame graphs — the main one, BASE's beside it in a
// comparison — with the search and the filter stack that act on them.
func (w *MainWindow) buildGraphs() {
	w.graph = NewFlameGraph()
	w.graph.OnSelect = func(n model.NodeID) {
		w.compare.syncSelect(w.graph, n)
		w.side.showFrame(w.graph.Tree(), n)
	}
	w.graph.OnZoom = func(focus model.NodeID) {
		w.updateHeader()
		w.compare.syncZoom(w.graph, w.compare.baseGraph, focus)
	}
	w.graph.OnMenu = func(n model.NodeID) []*fyne.MenuItem { return w.frameMenu(w.graph, n) }
	w.graph.OnTypedRune = w.typed
	// Esc takes a highlight off every graph (side by side, both), and the
	// status bar's "… highlighted — Esc clears" with it.
	highlightCleared := func() {
		w.code.clearHighlight()
		w.status.SetText("")
	}
	w.graph.OnClearHighlight = highlightCleared
	w.searchBar = newSearchBar(w.work, w.graphs, func() *model.FuzzyIndex { return w.shown.view.Fuzzy },
		func() fyne.KeyModifier { return w.modifiers() },
		func(f fyne.Focusable) { w.win.Canvas().Focus(f) })
	w.searchBar.onEscape = w.escape
	w.filters = newFilterStack(func(f model.Filters) error {
		if w.shown.open.info == nil {
			return errors.New("no profile is open yet")
		}
		return w.shown.open.info.CheckFilters(f)
	}, func([]session.Step) { w.deriveThen(nil) }, w.showTags)
	w.compare = newCompareBar(w.tips, w.graph, w.showComparison)
	w.compare.onSwap = func() { // NEW and BASE the other way round, from where each can be read again
		c := w.shown.open.loaded.Comparison()
		if rs := w.shown.runs; rs != nil {
			w.CompareRuns(rs.after, rs.before)
			return
		}
		if c == nil || len(w.shown.more) > 0 || c.New.Source == c.Base.Source {
			w.status.SetText("Swap needs two profiles from files or URLs, neither merged")
			return
		}
		again := w.shown.read.Reopenable
		w.Compare(again(&c.New.Info), again(&c.Base.Info), c.Mode, c.Normalize)
	}
	base := w.compare.baseGraph
	base.OnSelect = func(n model.NodeID) {
		w.compare.syncSelect(base, n)
		w.side.showFrame(base.Tree(), n)
	}
	base.OnMenu = func(n model.NodeID) []*fyne.MenuItem { return w.frameMenu(base, n) }
	base.OnTypedRune = w.typed
	base.OnClearHighlight = highlightCleared
}

// buildPanels makes the bars and panes around the graphs: the live
// captures, Pyroscope's range chart, and the side pane with its tables,
// details and insights.
func (w *MainWindow) buildPanels() {
	w.live = newLivePanel(w.work, w.opts.Fetch)
	w.live.show = w.showLive
	w.live.sampleType = func() string { return sampleNameOf(w.shown.view) }
	w.live.say = func(msg string) { w.status.SetText(msg) }
	w.live.recent = func(path string, url bool) {
		if url {
			addRecentURL(w.app, path)
		} else {
			addRecent(w.app, path)
		}
	}
	w.pyro = newPyroscopeBar(w.work, w.tips, w.opts.Fetch, func() fyne.KeyModifier { return w.modifiers() })
	w.pyro.open = func(newSource, baseSource string) { // compared with BASE when baseSource is not ""
		w.load(source{Source: session.Source{Path: newSource, DiffBase: baseSource, Fetch: w.opts.Fetch}}, "", w.filters.Steps())
	}
	w.pyro.pick = func(ps fetch.PyroscopeSource) { w.showPyroscopePicker(ps) }
	w.side = newSidePane()
	w.side.work, w.side.say, w.side.graphs = w.work, w.say, w.graphs
	// Esc in a table is the window's: clear the highlight a row gave, else zoom out.
	w.side.table.table.onEscape = w.escape
	w.side.diff.table.onEscape = w.escape
	ins := w.side.insights
	ins.focus = func(names []string) { w.filters.add(session.Step{Kind: session.StepFilter, Filter: focusOn(names)}) }
	ins.work, ins.say, ins.prefs, ins.current, ins.graphs = w.work, w.say, w.app.Preferences(), w.viewed, w.graphs
	ins.setMine = w.side.table.SetMine
	ins.differential = func() bool { return w.compare.differential() }
	ins.reveal = func() {
		if !w.side.box.Visible() {
			w.layout.toggleSide()
		}
		w.side.tabs.Select(w.side.insightsTab)
	}
	w.side.insights.module.SetText(w.opts.Module)
	w.side.onPick = func(name string, reveal bool) {
		w.side.picked = name
		w.side.highlight(name)
		if reveal {
			w.graph.RevealLargest(name)
		}
	}

}

// buildParts makes the parts under and beside the graphs — the call graph
// pane, the file pickers, export, the editor and the source pane — and
// wires them to the window.
func (w *MainWindow) buildParts() {
	w.graphPane = newGraphPane(w.work)
	w.graphPane.shown = func() (bool, session.Loaded, *session.Whole, session.Spec) {
		spec := w.spec()
		spec.Inverted = false
		return w.shown.open.info != nil, w.shown.open.loaded, w.shown.open.whole, spec
	}
	w.graphPane.busy = w.say.busy
	w.graphPane.done = w.say.done
	selectFromGraph := func(name string) { // highlighted everywhere, zoomed to its largest frame
		w.side.highlight(name)
		w.graph.ZoomToLargest(name)
	}
	w.graphPane.onSelect = selectFromGraph
	w.graphPane.showInFlame = func(name string) {
		w.tools.viewSwitch.SetSelected(viewFlame)
		selectFromGraph(name)
	}
	w.graphPane.addStep = w.filters.add
	w.graphPane.showSource = func(name string) { w.code.showSource(functionOf(w.shown.view.Main, name)) }
	w.graphPane.copy = func(s string) { w.app.Clipboard().SetContent(s) }
	w.panes = newGraphPanes(w.graph, w.searchBar.jumpBox, w.graphPane.box)
	w.side.insights.legend = w.panes.legend
	callers := w.panes.callers
	callers.OnSelect = func(n model.NodeID) { w.side.showFrame(callers.Tree(), n) }
	callers.OnMenu = func(n model.NodeID) []*fyne.MenuItem { return w.frameMenu(callers, n) }
	callers.OnTypedRune = w.typed
	w.files = fileDialogs{win: w.win, say: w.say, profilePath: func() string { return w.shown.profilePath },
		chooser: &desktopChooser{openFile: filechooser.OpenFile}, work: w.work}
	w.export = &exporter{graph: w.graph, current: w.viewed, files: w.files}
	w.editor = editor{prefs: w.app.Preferences(), win: w.win, say: w.say}
	w.codePane = newCodePane()
	w.code = &codePart{pane: w.codePane, work: w.work, views: &w.views, prefs: w.app.Preferences(), win: w.win, say: w.say,
		paths: session.SourcePaths{SourcePath: w.opts.SourcePath, TrimPath: w.opts.TrimPath}, binary: w.opts.Binary,
		current: w.viewed,
		graphs:  w.graphs, selected: w.selectedFunction}
	w.code.wire(w.editor.open)
}

// closed ends everything the window started — a load or fetch under way,
// a live session's captures, the whole profile's parse, views being
// derived — and lets go of its profile; it runs when the window closes.
func (w *MainWindow) closed() {
	themes(w.app).remove(w)
	w.layout.save()
	w.live.close()
	w.work.close()
	w.shown = shown{}
	w.views.Forget()
	for _, g := range w.graphs() {
		g.SetTree(nil)
	}
	w.graphPane.view.SetLayout(nil, nil)
}

// Window is the Fyne window, for Show/ShowAndRun.
func (w *MainWindow) Window() fyne.Window { return w.win }

// source is what to load: a source as the session layer describes it, or
// profiles already in memory (live captures) with the URL they came from.
type source struct {
	session.Source
	// loaded and loadedBase are used instead of reading Path and the base.
	loaded, loadedBase *model.Profile
	// after, if not nil, runs once the source is shown (a session file's
	// zoom, views and search); failed, if not nil, when it cannot be.
	after  func()
	failed func(error)
	// runs, for two sets of runs compared (File > Compare Runs…), are
	// the runs merged into each side.
	runs *runSets
}

// runSets are the sets of runs the source compares: those File > Compare
// Runs… named, or both sides' merged runs (a saved session of runs, the
// command line's run sets); nil when it is not two sets of runs.
func (s source) runSets() *runSets {
	if s.runs == nil && s.DiffBase != "" && len(s.BaseMore) > 0 && s.loaded == nil {
		return &runSets{before: append([]string{s.DiffBase}, s.BaseMore...), after: s.Paths()}
	}
	return s.runs
}

// base is the source's BASE, "" when it is not a comparison.
func (s source) base() string { b, _ := s.Compared(); return b }

// Open loads path ("" for the embedded sample) in the background. The
// profile already shown stays until the new one has loaded; on failure an
// error dialog says why and the old profile is kept.
func (w *MainWindow) Open(path, sampleIndex string) {
	if session.IsSessionFile(path) {
		w.OpenSession(path)
		return
	}
	w.load(source{Source: session.Source{Path: path}}, sampleIndex, nil)
}

func (w *MainWindow) load(src source, sampleIndex string, steps []session.Step) {
	w.status.busy("Loading " + src.name() + "…")
	w.startLoad(src, sampleIndex, steps, func(l lane, work func(context.Context) func()) applyEarly {
		w.work.run(l, work)
		return nil
	})
}

// startLoad starts loading src with start (the window's run, or runEarly
// before its widgets are made, when only the work itself may run: what
// it shows waits for the result) and returns what start returns.
func (w *MainWindow) startLoad(src source, sampleIndex string, steps []session.Step,
	start func(lane, func(context.Context) func()) applyEarly) applyEarly {
	name := src.name()
	ctx, cancel := context.WithCancel(w.work.ctx) // Cancel, a newer load or closing the window ends it
	if w.stopLoad != nil {
		w.stopLoad() // a newer load replaces one under way
	}
	w.stopLoad = cancel
	if len(src.More) > 0 {
		src.OnPart = w.partProgress(ctx, src.Paths())
	}
	if src.loaded == nil && (slices.ContainsFunc(src.Paths(), fetch.IsRemote) || fetch.IsRemote(src.base())) {
		w.status.cancel.Show()
		if r, err := fetch.ResolveURL(src.Path, src.Fetch); err == nil && r.Capture > 0 {
			w.status.countDown(ctx, r.Capture)
		}
	}
	g := w.opts.Granularity // before the widgets are made, the window's first
	if w.tools.granularity != nil {
		g = granularityOf(w.tools.granularity)
	}
	req := session.Request{SampleSpec: sampleIndex, Granularity: g, Steps: steps}
	return start(laneView, func(context.Context) func() {
		defer cancel()
		start := time.Now()
		o, err := openSource(ctx, src, req, &w.views)
		w.loadFailed.Store(err != nil)
		cancelled := err != nil && errors.Is(ctx.Err(), context.Canceled) // before the deferred cancel
		return func() {
			w.status.idle("")
			switch {
			case cancelled:
				w.status.SetText("Cancelled: " + name)
				return
			case err != nil:
				dialog.ShowError(err, w.win)
				if src.failed != nil {
					src.failed(err)
				}
				return
			}
			w.shown = shown{open: open{info: o.Info, loaded: o.Loaded, whole: o.Whole}, profilePath: src.Path, more: src.More,
				sampleIndex: o.SampleIndex, granularity: req.Granularity, read: o.Read, runs: src.runSets()}
			w.code.opened(src.Path, o.Info)
			w.filters.show(steps)
			w.tools.invertCheck.SetChecked(false)
			w.showView(o.View)
			w.pyro.follow(src.Path, src.base())
			w.status.SetText(fmt.Sprintf("Loaded %s in %s", name, time.Since(start).Round(time.Millisecond)))
			if warnings := readWarnings(o.Read.Profiles); len(warnings) > 0 {
				// Lines passed over: said in the status bar, in full on hover.
				w.status.SetText(w.status.Text + " — warning: " + strings.Join(warnings, "; "))
			}
			if o.Whole != nil {
				w.awaitWhole(o.Whole)
			} else {
				w.code.prepare()
			}
			if strings.HasPrefix(src.Path, "https+insecure://") || strings.HasPrefix(src.base(), "https+insecure://") {
				w.status.SetText(w.status.Text + " — warning: TLS certificate not checked (https+insecure)")
			}
			rememberRead(w.app, src, o.Read)
			w.menus.refresh() // the recent files
			if src.after != nil {
				src.after()
			}
		}
	})
}

// viewed is what is open and the view shown, for the window's parts.
func (w *MainWindow) viewed() viewed {
	return viewed{open: w.shown.open, spec: w.spec(), view: w.shown.view}
}

// selectedFunction is the function of the frame selected in the flame
// graph, else the one last picked in a table or the jump list; "" for none.
func (w *MainWindow) selectedFunction() string {
	if t := w.graph.Tree(); t != nil {
		if n := w.graph.Selected(); n > 0 {
			return t.Funcs[t.Fn[n]].Function
		}
	}
	if w.side.picked != "" {
		return functionOf(w.shown.view.Main, w.side.picked)
	}
	return ""
}

// partProgress is a merge's OnPart: the status bar says which of paths
// are read, which failed and which are still being read or captured,
// until ctx (the load) ends.
func (w *MainWindow) partProgress(ctx context.Context, paths []string) func(model.Part) {
	var mu sync.Mutex
	done := map[string]error{}
	names := model.PartNames(paths)
	return func(part model.Part) {
		mu.Lock()
		done[part.Source] = part.Err
		var read, failed, waiting []string
		for i, path := range paths {
			err, ok := done[path]
			switch {
			case !ok:
				waiting = append(waiting, names[i])
			case err != nil:
				failed = append(failed, names[i])
			default:
				read = append(read, names[i])
			}
		}
		mu.Unlock()
		msg := fmt.Sprintf("Loading %d sources: %d read", len(paths), len(read))
		if len(failed) > 0 {
			msg += fmt.Sprintf(", %d failed (%s)", len(failed), strings.Join(failed, ", "))
		}
		if len(waiting) > 0 {
			msg += "; waiting for " + strings.Join(waiting, ", ")
		}
		w.work.post(func() {
			if ctx.Err() == nil {
				w.status.busy(msg + "…")
			}
		})
	}
}

// wait blocks until all background work has finished and, with a test
// queue, its results have been applied, including work those results start.
func (w *MainWindow) wait() {
	for {
		w.work.wg.Wait()
		if w.queue == nil || !w.queue.run() {
			return
		}
	}
}

// openSource opens src through the session layer: from its file or URL,
// or, for the embedded sample and live captures, from memory.
func openSource(ctx context.Context, src source, req session.Request, views *session.Views) (*session.Opened, error) {
	var l session.Loaded
	switch {
	case src.loadedBase != nil:
		_, mode := src.Compared()
		var err error
		if l, err = session.Compare(src.loadedBase, src.loaded, mode, src.Normalize); err != nil {
			return nil, err
		}
	case src.loaded != nil:
		l = session.One(src.loaded)
	case src.Path == "":
		p, err := model.Parse(assets.SampleName, assets.SampleProfile)
		if err != nil {
			return nil, err
		}
		l = session.One(p)
	default:
		return session.OpenView(ctx, src.Source, req, views)
	}
	return session.ViewOf(l, req, views)
}

// StartLive captures url every interval in a live session (see livePanel.start).
func (w *MainWindow) StartLive(rawURL string, seconds int, every time.Duration) {
	if err := w.live.start(rawURL, seconds, every); err != nil {
		w.status.SetText(err.Error())
	}
}

// StopLive ends the live session; its captures stay on the strip.
func (w *MainWindow) StopLive() { w.live.end() }

// showLive shows a live capture p, or p compared with the capture base.
func (w *MainWindow) showLive(url string, p, base *model.Profile, mode model.DiffMode) {
	src := source{Source: session.Source{Path: url}, loaded: p}
	if base != nil {
		src = source{Source: session.Comparing(url, url, mode, false, w.opts.Fetch), loaded: p, loadedBase: base}
	}
	w.load(src, sampleNameIn(sampleNameOf(w.shown.view), p), w.filters.Steps())
}

// Undo removes the last step of the filter stack (Ctrl+Z).
func (w *MainWindow) Undo() { w.filters.undo() }

// deriveThen is derive, then after (if not nil) once the view is shown.
func (w *MainWindow) deriveThen(after func()) {
	if w.shown.open.info == nil {
		return
	}
	l, spec, whole := w.shown.open.loaded, w.spec(), w.shown.open.whole
	steps := spec.Steps
	w.status.busy("Building view…")
	w.work.run(laneView, func(ctx context.Context) func() {
		l, err := session.Await(ctx, l, whole)
		var d session.View
		if err == nil {
			d, err = w.views.View(l, spec)
		}
		return func() {
			w.status.idle("")
			if err != nil {
				dialog.ShowError(err, w.win)
				w.filters.show(steps[:max(0, len(steps)-1)])
				return
			}
			w.showView(d)
			if after != nil {
				after()
			}
		}
	})
}

// showView displays a derived view; it runs on the UI goroutine.
func (w *MainWindow) showView(d session.View) {
	w.shown.view = d
	p := w.shown.open.info
	title := "flamelens — " + p.Source
	if !p.Fetched.IsZero() {
		title += takenAt(p.Fetched) // captures of one URL told apart
	}
	w.win.SetTitle(title)
	var names []string
	for _, st := range p.SampleTypes() {
		names = append(names, st.Name)
	}
	w.tools.typeSelect.OnChanged = nil // setting the selection must not reload
	w.tools.typeSelect.SetOptions(names)
	w.tools.typeSelect.SetSelectedIndex(w.shown.sampleIndex)
	w.tools.typeSelect.OnChanged = w.selectSampleType

	w.side.show(d)
	switch {
	case d.Comparing():
		w.showComparison()
	default:
		w.compare.hide()
		w.panes.show(d)
		w.side.insights.showLegend()
	}
	w.updateHeader()
	w.side.insights.refresh()
	w.searchBar.refresh() // the new view's frames
	w.code.refresh()      // its lines or instructions in the new view
	if w.tools.viewSwitch.Selected == viewGraph {
		w.graphPane.build()
	}
}

func (w *MainWindow) updateHeader() {
	if w.shown.view.Main == nil {
		return
	}
	h := model.HeaderOf(w.shown.open.info, w.shown.view.Main.SampleType, w.shown.view.Main.AbsTotal)
	// What is read first comes first: on a narrow window the line is cut,
	// and the whole of it shows on hover (the file is in the title too).
	parts := []string{"Type: " + h.SampleType.Name}
	if t := w.shown.view.CmpNew; t != nil {
		// A comparison's header gives both runs' totals and the change.
		unit := t.SampleType.Unit
		delta := t.Total[model.Root] - t.OtherTotal[model.Root]
		parts = append(parts, "NEW: "+model.FormatValue(t.Total[model.Root], unit), "BASE: "+model.FormatValue(t.OtherTotal[model.Root], unit),
			fmt.Sprintf("change: %s (%s of BASE)", render.Signed(delta, unit), model.Percent(delta, t.OtherTotal[model.Root])))
	} else {
		parts = append(parts, "Total: "+model.FormatValue(h.Total, h.SampleType.Unit),
			"Shown: "+model.Percent(w.shown.view.Main.Total[model.Root], w.shown.view.Main.AbsTotal))
	}
	if w.shown.inverted {
		parts[len(parts)-1] += " (inverted)"
	}
	if t, focus := w.graph.Tree(), w.graph.View().Focus; t != nil && focus != model.Root {
		parts = append(parts, "Zoomed: "+t.Name(focus)+" ("+model.Percent(t.Total[focus], t.AbsTotal)+")")
	}
	if h.Duration > 0 {
		parts = append(parts, "Duration: "+h.Duration.Round(10*time.Millisecond).String())
	}
	if !h.Time.IsZero() {
		parts = append(parts, "Time: "+h.Time.Format("2006-01-02 15:04:05 MST"))
	}
	if note := w.shown.open.info.PartsNote(); note != "" {
		parts = append(parts, "Merged: "+note) // before the file names, which run long
	}
	parts = append(parts, "File: "+h.File)
	w.header.SetText(strings.Join(parts, "   "))
}

// frameMenu is the right-click menu of node n in graph g.
func (w *MainWindow) frameMenu(g *FlameGraph, n model.NodeID) []*fyne.MenuItem {
	t := g.Tree()
	if t == nil || n == model.Root {
		return []*fyne.MenuItem{fyne.NewMenuItem("Zoom out", g.ZoomOut)}
	}
	f := t.Funcs[t.Fn[n]]
	name := f.Name
	fn := func(kind session.StepKind) func() {
		return func() { w.filters.add(session.FuncStep(kind, f)) }
	}
	// pprof's filters match function names and files, not a line's name.
	match := name
	if f.Function != "" {
		match = f.Function
	}
	filter := func(kind string) func() {
		return func() { w.filters.add(session.FilterStep(kind, session.ExactName(match))) }
	}
	source := fyne.NewMenuItem("Show source (Ctrl+U)", func() { w.code.showSource(f.Function) })
	source.Disabled = f.Function == ""
	asm := fyne.NewMenuItem("Show machine code (Ctrl+Shift+U)", func() { w.code.showAssembly(f.Function, false) })
	asm.Disabled = f.Function == ""
	var label []*fyne.MenuItem
	if key, value, ok := session.LabelFrame(w.filters.Steps(), f); ok && w.shown.open.loaded.Comparison() == nil {
		label = []*fyne.MenuItem{fyne.NewMenuItem(fmt.Sprintf("Compare %s=%s with the rest", key, value), func() { w.compareLabel(key, value) }),
			fyne.NewMenuItemSeparator()}
	}
	return append(label, []*fyne.MenuItem{
		fyne.NewMenuItem("Copy name", func() { w.app.Clipboard().SetContent(name) }),
		fyne.NewMenuItem("Zoom to frame", func() { g.ZoomTo(n) }),
		source,
		asm,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Focus on function (merge call sites)", fn(session.StepFocus)),
		fyne.NewMenuItem("Show callers and callees", fn(session.StepSandwich)),
		fyne.NewMenuItem("Merge into caller", fn(session.StepMerge)),
		fyne.NewMenuItem("Collapse recursion", fn(session.StepCollapse)),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Keep stacks through it (-focus)", filter("focus")),
		fyne.NewMenuItem("Drop stacks through it (-ignore)", filter("ignore")),
		fyne.NewMenuItem("Hide it (-hide)", filter("hide")),
		fyne.NewMenuItem("Show from here (-show_from)", filter("show_from")),
	}...)
}

// compareLabel opens the comparison of the samples whose label key has
// value (NEW) with all the others (BASE, scaled to NEW's total): one
// instance of a merged fleet against the rest. The label frames' steps
// are left out; the other steps carry over.
func (w *MainWindow) compareLabel(key, value string) {
	loaded := w.shown.open.loaded
	var steps []session.Step
	for _, st := range w.filters.Steps() {
		if st.Kind == session.StepFilter {
			st.Filter.TagRoot, st.Filter.TagLeaf, st.Filter.TagBuckets = "", "", ""
			if st.Filter.IsZero() {
				continue
			}
		}
		steps = append(steps, st)
	}
	w.status.busy(fmt.Sprintf("Comparing %s=%s with the rest…", key, value))
	w.work.run(laneNone, func(context.Context) func() {
		one, rest, err := session.LabelAgainstRest(loaded, key, value)
		return func() {
			w.status.idle("")
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			src := source{Source: session.Comparing(one.Source, rest.Source, model.DiffBase, false, w.opts.Fetch), loaded: one, loadedBase: rest}
			w.load(src, "", steps)
		}
	})
}

// graphs are the flame graphs on screen, each with its own tree.
func (w *MainWindow) graphs() []*FlameGraph {
	return []*FlameGraph{w.graph, w.panes.callers, w.compare.baseGraph}
}

// spec is the view the window shows of the open profile.
func (w *MainWindow) spec() session.Spec {
	return session.Spec{SampleIndex: w.shown.sampleIndex, Granularity: w.shown.granularity, Steps: w.filters.Steps(), Inverted: w.shown.inverted}
}

// selectGranularity rebuilds the view with frames at another granularity,
// keeping the filter stack, the search and the comparison.
func (w *MainWindow) selectGranularity(g model.Granularity) {
	if w.shown.open.info == nil || g == w.shown.granularity {
		return
	}
	w.shown.granularity = g
	w.deriveThen(nil)
}

// selectSampleType rebuilds the view for another sample type of the open
// profile, keeping the filter stack.
func (w *MainWindow) selectSampleType(name string) {
	if w.shown.open.info == nil {
		return
	}
	idx, err := w.shown.open.info.SampleIndex(name)
	if err != nil || idx == w.shown.sampleIndex {
		return
	}
	w.shown.sampleIndex = idx
	w.deriveThen(nil)
}

// sampleNameOf is the sample type's name of view v, kept across captures;
// "" when nothing is shown.
func sampleNameOf(v session.View) string {
	if v.Main == nil {
		return ""
	}
	return v.Main.SampleType.Name
}

// sampleNameIn is name if p has a sample type of that name, else "" (p's
// default).
func sampleNameIn(name string, p *model.Profile) string {
	for _, st := range p.SampleTypes() {
		if st.Name == name {
			return name
		}
	}
	return ""
}

// commands are what the window's menus and shortcuts do.
func (w *MainWindow) commands() commands {
	check := func(c *widget.Check) toggle {
		return toggle{on: func() bool { return c.Checked }, flip: func() { c.SetChecked(!c.Checked) }}
	}
	prefs := w.app.Preferences()
	return commands{
		open: func() { w.files.pickFile(pickOpen, func(path string) { w.Open(path, "") }) },
		openPath: func() {
			folder := ""
			if l := w.files.location(); l != nil {
				folder = l.Path()
			} else if wd, err := os.Getwd(); err == nil {
				folder = wd
			}
			w.openPath = showOpenPath(w.win, folder, w.say, func(path string) { w.Open(path, "") })
		},
		openURL: func() { showURLDialog(w.win, w.app.Preferences(), recentURLs(w.app), w.OpenURL, w.StartLive) },
		openPyroscope: func() { // the picker at the query shown, or at the last server
			ps := w.pyro.shown
			if w.pyro.axis.Server == "" {
				ps = fetch.PyroscopeSource{}
			}
			w.showPyroscopePicker(ps)
		},
		openSample: func() { w.Open("", "") },
		openRecent: func(path string) { w.Open(path, "") },
		compare: func() { // File > Compare with…: a BASE for the profile open
			if w.shown.open.loaded.IsZero() || w.shown.open.loaded.Comparison() != nil {
				return
			}
			if w.shown.profilePath == "" {
				dialog.ShowInformation("Compare", "Open a profile from a file first: it is the NEW side of the comparison.", w.win)
				return
			}
			newPath, more := w.shown.profilePath, w.shown.more
			w.files.pickFile(pickCompare, func(base string) {
				src := session.Comparing(newPath, base, model.DiffBase, false, w.opts.Fetch)
				src.More = more // a merged NEW stays merged
				w.load(source{Source: src}, "", w.filters.Steps())
			})
		},
		compareRuns: func() { // File > Compare Runs…: two sets of runs, each merged
			w.runs = showRunsDialog(w.win, w.opts.Fetch, func(after bool, use func([]string)) {
				what := map[bool]pick{false: pickBefore, true: pickAfter}[after]
				w.files.pickRuns(what, use)
			}, w.CompareRuns)
		},
		copySummary: func() { copySummary(w.viewed(), w.side.insights.modules(), w.work, w.say, w.app.Clipboard()) },
		merge: func() {
			if w.shown.profilePath == "" || w.shown.open.loaded.Comparison() != nil {
				dialog.ShowInformation("Merge", "Open a profile from a file or a URL first (not a comparison): the file chosen is merged into it.", w.win)
				return
			}
			w.files.pickFile(pickMerge, w.Merge)
		},
		export: w.export.showDialog,
		saveSession: func() { // File > Save Session…: the window's state to a .flamelens file
			if _, err := w.sessionState(); err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			base := strings.TrimSuffix(filepath.Base(w.shown.profilePath), filepath.Ext(w.shown.profilePath))
			w.files.pickSaveFile(base+session.SessionExt, func(wc fyne.URIWriteCloser) error { return w.SaveSession(wc.URI().Path()) },
				"Saved the session to ")
		},
		back:           w.graph.Back,
		forward:        w.graph.Forward,
		zoomOut:        w.graph.ZoomOut,
		search:         func() { w.searchBar.start(0) },
		undo:           w.Undo,
		rootAtBottom:   check(w.tools.flameToggle),
		inverted:       check(w.tools.invertCheck),
		sidePane:       toggle{on: w.side.box.Visible, flip: w.layout.toggleSide},
		filterBar:      toggle{on: func() bool { return w.filters.bar.box.Visible() }, flip: func() { w.filters.toggleBar(w.win.Canvas()) }},
		colourByOrigin: toggle{on: func() bool { return prefs.Bool(colourByOriginKey) }, flip: w.side.insights.toggleColourByOrigin},
		showSource:     func() { w.code.showSelected(modeSource) },
		showAsm:        func() { w.code.showSelected(modeAsm) },
		editorCommand:  w.editor.showDialog,
		insights:       w.side.insights.showFirst,
		help:           w.help.show,
		escape:         func(*fyne.KeyEvent) { w.escape() },
		typed:          w.typed,
		setTheme:       func(choice string) { setTheme(w.app, choice) },
	}
}

// name is what the status bar calls src while it loads.
func (src source) name() string {
	switch {
	case src.Path == "":
		return assets.SampleName
	case len(src.More) > 0:
		return fmt.Sprintf("%d sources", len(src.Paths()))
	case fetch.IsPyroscope(src.Path) && src.loaded == nil:
		return pyroscopeName(src.Path, src.base())
	case src.base() != "" && src.loaded == nil:
		return src.Path + " and " + src.base()
	case src.loaded != nil && !src.loaded.Fetched.IsZero():
		return src.Path + takenAt(src.loaded.Fetched) // a live capture
	}
	return src.Path
}

// readWarnings are what reading passed over, and the sources left out of
// a merge.
func readWarnings(read []*model.Info) []string {
	var warnings []string
	for _, r := range read {
		warnings = append(warnings, r.Warnings...)
		for _, part := range r.Parts {
			if part.Err != nil {
				warnings = append(warnings, fmt.Sprintf("left out %v", part.Err))
			}
		}
	}
	return warnings
}

// rememberRead puts what src read among the recent files and URLs, and a
// fetched profile's saved copy among the files (to reopen or compare it
// later); a live capture is recorded when taken.
func rememberRead(a fyne.App, src source, read session.Read) {
	for _, path := range append([]string{src.base()}, src.Paths()...) {
		switch {
		case src.loaded != nil:
		case fetch.IsRemote(path):
			addRecentURL(a, path)
		case path != "":
			addRecent(a, path)
		}
	}
	for _, c := range read.Copies {
		if c.Path != "" {
			addRecent(a, c.Path)
		}
	}
}
