package session

import (
	"context"
	"errors"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session/fetch"
)

// Opened is a source opened for viewing: its first view, from what could
// be read soonest, and what was loaded.
type Opened struct {
	Info        *model.Info // what the profile (NEW, compared) says of itself
	Loaded      Loaded      // zero while Whole reads the whole profile
	SampleIndex int         // the sample type asked for, resolved
	View        View        // the first view
	// Read is what the profiles read from files or URLs say of themselves
	// (warnings) and the copies of those fetched; none for profiles in
	// memory.
	Read Read
	// Whole reads the whole profile when the first view came from its
	// streamed stacks alone; nil when Loaded is whole already.
	Whole *Whole
}

// OpenView opens src for the view req asks for. A plain profile file with
// no step is streamed: its first view is an outline of its stacks' tree
// (View), and Whole reads the rest once that is on screen. Anything else
// is read in full first.
func OpenView(ctx context.Context, src Source, req Request, views *Views) (*Opened, error) {
	if err := src.Validate(); err != nil {
		return nil, err
	}
	if base, _ := src.Compared(); base != "" || len(req.Steps) > 0 || fetch.IsRemote(src.Path) || len(src.More) > 0 {
		l, read, err := Open(ctx, src)
		if err != nil {
			return nil, err
		}
		o, err := ViewOf(l, req, views)
		if err != nil {
			return nil, err
		}
		o.Read = read
		return o, nil
	}
	st, err := OpenStacks(ctx, src.Path, req.SampleSpec, req.Granularity, src.Fetch)
	if err != nil {
		return nil, err
	}
	s := st.Stacks
	o := &Opened{Info: st.Info, SampleIndex: s.SampleIndex, Read: Read{Profiles: []*model.Info{st.Info}}} // a file: no copy
	if p := st.Whole; p != nil {
		// Not a stream after all (folded stacks, a legacy format): read in
		// full already. A comparison (two counts a line) gets its view.
		o.Loaded = One(p)
		if o.Loaded.Comparison() != nil {
			o.View, err = views.View(o.Loaded, req.spec(s.SampleIndex))
			return o, err
		}
		o.View = TreeView(s.Tree())
		views.Keep(o.Loaded, o.View.Main)
		return o, nil
	}
	o.View = FirstView(s)
	o.Whole = &Whole{path: src.Path, fetch: src.Fetch, stacks: s, views: views, Outline: o.View.Main,
		treeDone: make(chan struct{}), done: make(chan struct{})}
	return o, nil
}

// ViewOf is the view req asks for of a source already loaded (the
// embedded sample, a live capture).
func ViewOf(l Loaded, req Request, views *Views) (*Opened, error) {
	idx, err := l.Info().SampleIndex(req.SampleSpec)
	if err != nil {
		return nil, err
	}
	v, err := views.View(l, req.spec(idx))
	if err != nil {
		return nil, err
	}
	return &Opened{Info: l.Info(), Loaded: l, SampleIndex: idx, View: v}, nil
}

// Whole is a profile being read in full while the flame graph of its
// streamed stacks is shown: first the whole tree of those stacks (in
// place of the outline the first frame was drawn from), then the profile
// itself, for what needs its samples (filters, labels, the call graph).
type Whole struct {
	path   string
	fetch  fetch.Options
	stacks *model.Stacks
	views  *Views
	// Outline is the tree the first view shows until Tree's is built.
	Outline *model.Tree

	treeDone, done chan struct{}
	tree           *model.Tree
	loaded         Loaded
	err            error
}

// BuildTree builds the whole tree of the streamed stacks. Run it off the
// UI goroutine once the first view is on screen: on two cores, building
// alongside the first frame would slow both.
func (w *Whole) BuildTree() {
	w.tree = w.stacks.Tree()
	close(w.treeDone)
}

// ReadProfile reads the whole profile, after BuildTree; ctx cancels it
// (close the window, and the read stops). The tree is kept as the
// profile's unfiltered tree, so the views need not build it again.
func (w *Whole) ReadProfile(ctx context.Context) {
	defer close(w.done)
	<-w.treeDone
	p, err := OpenProfile(ctx, w.path, w.fetch)
	if err != nil {
		w.err = err
		return
	}
	w.loaded = One(p)
	w.views.Keep(w.loaded, w.tree)
}

// Tree waits for BuildTree's tree.
func (w *Whole) Tree(ctx context.Context) (*model.Tree, error) {
	select {
	case <-w.treeDone:
		return w.tree, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Loaded waits for ReadProfile's profile.
func (w *Whole) Loaded(ctx context.Context) (Loaded, error) {
	select {
	case <-w.done:
		return w.loaded, w.err
	case <-ctx.Done():
		return Loaded{}, ctx.Err()
	}
}

// Await is l, or, while the whole profile is still read (l is zero), the
// whole profile once it is.
func Await(ctx context.Context, l Loaded, whole *Whole) (Loaded, error) {
	switch {
	case !l.IsZero():
		return l, nil
	case whole == nil:
		return Loaded{}, errors.New("the profile could not be read in full: only its flame graph is shown")
	}
	return whole.Loaded(ctx)
}
