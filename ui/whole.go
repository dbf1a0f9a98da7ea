package ui

import (
	"context"

	"fyne.io/fyne/v2/dialog"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// replaceOutline puts the whole tree in place of the outline the first
// frame was drawn from, keeping what is zoomed and selected; it runs on the
// UI goroutine.
func (w *MainWindow) replaceOutline(outline, full *model.Tree) {
	if w.shown.view.Main != outline {
		return // another view has replaced it already
	}
	w.shown.view.Main, w.shown.view.Detail = full, full
	w.graph.ReplaceTree(full, func(n model.NodeID) model.NodeID { return full.Find(outline.PathOf(n)) })
	w.searchBar.refresh() // the matches are frames of the new tree
}

// awaitWhole reads the rest of a streamed profile in the background, once
// its first view is shown: the whole tree replaces the outline when it is
// built, and the whole profile the streamed one when it is read. Closing
// the window stops the read.
func (w *MainWindow) awaitWhole(whole *session.Whole) {
	w.work.run(laneNone, func(ctx context.Context) func() {
		whole.BuildTree()
		w.readWhole(whole, ctx)
		return nil
	})
	w.work.run(laneNone, func(ctx context.Context) func() {
		full, err := whole.Tree(ctx)
		if err != nil {
			return nil
		}
		return func() { w.replaceOutline(whole.Outline, full) }
	})
	w.work.run(laneNone, func(ctx context.Context) func() {
		l, err := whole.Loaded(ctx)
		if ctx.Err() != nil {
			return nil
		}
		return func() {
			if w.shown.open.whole != whole {
				return // another profile has been opened since
			}
			w.shown.open.whole = nil
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			w.shown.open.loaded = l
			w.code.prepare()
		}
	})
}
