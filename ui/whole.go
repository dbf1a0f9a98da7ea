package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/dialog"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
	"github.com/flamelens/flamelens/session/fetch"
)

// wholeProfile is a profile file parsed in full in the background, while
// the window already shows the flame graph of its streamed stacks: the
// first frame comes sooner, and what needs the whole profile (filters,
// tags, the call graph) waits for it.
type wholeProfile struct {
	done chan struct{} // closed when p and err are set
	p    *model.Profile
	err  error
	// tree is the whole call tree of the streamed stacks, built before the
	// profile is read (treeDone is closed then); the first frame is drawn
	// from outline, an outline of it.
	tree     *model.Tree
	treeDone chan struct{}
	outline  *model.Tree
}

// openWhole reads the whole profile; tests hold it back.
var openWhole = session.OpenProfile

// streamable reports whether src is opened as a stream first: a plain
// profile file with no comparison and no filter to apply.
func streamable(src source, steps []session.Step) bool {
	return src.Path != "" && !fetch.IsRemote(src.Path) && src.base() == "" && src.loaded == nil && len(steps) == 0
}

// loadStreamed reads src's stacks as a stream for the first view, then
// starts reading the whole profile. (OpenStacks reads a file it cannot
// stream in full, and says what is wrong with one it cannot read.)
// The profile returned is nil while the whole one is read (whole).
func (w *MainWindow) loadStreamed(ctx context.Context, src source, sampleIndex string) (*model.Info, *model.Profile, int, session.View, *wholeProfile, error) {
	st, err := session.OpenStacks(ctx, src.Path, sampleIndex, src.Fetch)
	if err != nil {
		return nil, nil, 0, session.View{}, nil, err
	}
	s := st.Stacks
	if p := st.Whole; p != nil {
		// Not a stream after all (folded stacks, a legacy format): read
		// in full already. A comparison (folded stacks with two counts a
		// line) gets the comparison's view.
		if p.Comparison() != nil {
			d, err := w.views.View(p, session.Spec{SampleIndex: s.SampleIndex})
			return st.Info, p, s.SampleIndex, d, nil, err
		}
		d := session.TreeView(s.Tree())
		w.views.Keep(p, d.Main)
		return st.Info, p, s.SampleIndex, d, nil, nil
	}
	// The first frame is drawn from an outline of the tree; the whole
	// tree, then the whole profile, are made once it is on screen rather
	// than alongside it: on two cores, they would slow each other down.
	d := session.FirstView(s)
	outline := d.Main
	whole := &wholeProfile{done: make(chan struct{}), treeDone: make(chan struct{}), outline: outline}
	// Not ctx, which ends with the load: the window's, which ends when it closes.
	w.work.run(laneNone, func(ctx context.Context) func() {
		defer close(whole.done)
		whole.tree = s.Tree()
		close(whole.treeDone)
		whole.p, whole.err = openWhole(ctx, src.Path, src.Fetch)
		return nil
	})
	return st.Info, nil, s.SampleIndex, d, whole, nil
}

// replaceOutline puts the whole tree in place of the outline the first
// frame was drawn from, keeping what is zoomed and selected; it runs on the
// UI goroutine.
func (w *MainWindow) replaceOutline(outline, full *model.Tree) {
	if w.view.Main != outline {
		return // another view has replaced it already
	}
	w.view.Main, w.view.Detail = full, full
	w.graph.ReplaceTree(full, func(n model.NodeID) model.NodeID { return full.Find(outline.PathOf(n)) })
	if w.searchBar.entry.Text != "" {
		w.search() // the matches are frames of the new tree
	}
}

// awaitWhole puts the whole tree in the outline's place once it is built,
// then the whole profile in the streamed one's place once it is parsed;
// the tree is kept as the profile's unfiltered tree. It is called once the
// first view is shown.
func (w *MainWindow) awaitWhole(whole *wholeProfile) {
	w.work.run(laneNone, func(ctx context.Context) func() {
		select {
		case <-whole.treeDone:
			return func() { w.replaceOutline(whole.outline, whole.tree) }
		case <-ctx.Done():
			return nil
		}
	})
	w.work.run(laneNone, func(ctx context.Context) func() {
		select {
		case <-whole.done:
		case <-ctx.Done():
			return nil
		}
		if whole.err == nil {
			w.views.Keep(whole.p, whole.tree)
		}
		return func() {
			if w.whole != whole {
				return // another profile has been opened since
			}
			w.whole = nil
			if whole.err != nil {
				dialog.ShowError(whole.err, w.win)
				return
			}
			w.profile = whole.p
		}
	})
}

// wholeOf returns p, the open profile, or, while it is still being read in
// full (p is nil), the whole profile once it is. It runs off the UI
// goroutine; p and whole are w.profile and w.whole as read on it.
func wholeOf(ctx context.Context, p *model.Profile, whole *wholeProfile) (*model.Profile, error) {
	switch {
	case p != nil:
		return p, nil
	case whole == nil:
		return nil, errors.New("the profile could not be read in full: only its flame graph is shown")
	}
	select {
	case <-whole.done:
		return whole.p, whole.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
