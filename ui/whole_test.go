package ui

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session"
)

// openHeldBack opens path with the whole profile's read held back until
// release is called, and returns once the first view is shown.
func openHeldBack(t *testing.T, path string) (w *MainWindow, release func()) {
	t.Helper()
	gate := make(chan struct{})
	release = sync.OnceFunc(func() { close(gate) })
	held := func(whole *session.Whole, ctx context.Context) {
		<-gate
		whole.ReadProfile(ctx)
	}
	t.Cleanup(release)
	w = newMainWindow(test.NewTempApp(t), Options{Source: path}, &uiQueue{readWhole: held})
	t.Cleanup(w.Window().Close)
	// The first view is drawn from an outline of the tree, then the whole
	// tree (of the streamed stacks still) replaces it.
	for deadline := time.Now().Add(10 * time.Second); w.shown.view.Main == nil || w.shown.view.Main.Partial; {
		if time.Now().After(deadline) {
			t.Fatal("no first view while the whole profile was held back")
		}
		w.queue.run()
		time.Sleep(5 * time.Millisecond)
	}
	return w, release
}

// TestStreamedFirstViewThenWholeProfile holds back the whole profile's
// parse: the flame graph and table come from the streamed stacks first,
// and a filter and the tags asked for meanwhile wait for the whole profile.
func TestStreamedFirstViewThenWholeProfile(t *testing.T) {
	const path = "../testdata/labels.cpu.pprof"
	w, release := openHeldBack(t, path)
	if w.shown.open.whole == nil || !w.shown.open.loaded.IsZero() {
		t.Fatal("the first view did not come from the streamed stacks")
	}
	full, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := full.SampleIndex("")
	want, err := model.BuildTree(full, idx)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.shown.view.Main; got.Total[model.Root] != want.Total[model.Root] || got.Len() != want.Len() || !slices.Equal(got.Self, want.Self) {
		t.Errorf("streamed tree: %d nodes, total %d; whole profile's: %d nodes, total %d",
			got.Len(), got.Total[model.Root], want.Len(), want.Total[model.Root])
	}
	if !reflect.DeepEqual(w.shown.view.Table, want.Functions()) {
		t.Error("the streamed view's function table differs from the whole profile's")
	}
	shown := w.shown.view.Main

	// Asked for before the whole profile is read: the tags wait for it.
	w.showTags()
	release()
	w.wait()
	if w.shown.open.whole != nil || w.shown.open.loaded.IsZero() || len(w.shown.open.loaded.Tags(w.shown.sampleIndex)) == 0 {
		t.Fatal("the whole profile did not replace the streamed one")
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("the tags dialog did not open once the whole profile was read")
	}
	// The streamed tree is the whole profile's unfiltered tree: kept, not rebuilt.
	w.filters.replace(nil)
	w.wait()
	if w.shown.view.Main != shown {
		t.Error("the unfiltered view was rebuilt instead of reusing the streamed tree")
	}
	w.filters.add(session.Step{Kind: session.StepFilter, Filter: model.Filters{Focus: "encoding/json"}})
	w.wait()
	if total := w.shown.view.Main.Total[model.Root]; len(w.filters.steps) != 1 || total == 0 || total >= shown.Total[model.Root] {
		t.Errorf("the focus filter did not apply: %d steps, total %d of %d", len(w.filters.steps), total, shown.Total[model.Root])
	}
}

// TestFilterAskedBeforeWholeProfileWaits adds a filter while the whole
// profile is still being read: it applies once the profile is there.
func TestFilterAskedBeforeWholeProfileWaits(t *testing.T) {
	w, release := openHeldBack(t, "../testdata/json.cpu.pprof")
	shown := w.shown.view.Main
	w.filters.add(session.Step{Kind: session.StepFilter, Filter: model.Filters{Focus: "Unmarshal"}})
	release()
	w.wait()
	if total := w.shown.view.Main.Total[model.Root]; len(w.filters.steps) != 1 || total == 0 || total >= shown.Total[model.Root] {
		t.Errorf("the focus filter did not apply: %d steps, total %d of %d", len(w.filters.steps), total, shown.Total[model.Root])
	}
	if w.Window().Canvas().Overlays().Top() != nil {
		t.Error("an error dialog was shown")
	}
}

// TestFoldedFileNeedsNoWholeRead opens folded stacks, which the stream
// does not read: the profile is whole from the start.
func TestFoldedFileNeedsNoWholeRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stacks.folded")
	if err := os.WriteFile(path, []byte("main;serve;decode 7\nmain;serve 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := openTest(t, Options{Source: path})
	if w.shown.open.whole != nil || w.shown.open.loaded.IsZero() || w.shown.view.Main.Total[model.Root] != 9 {
		t.Errorf("folded file: whole pending %v, profile read %v, total %d", w.shown.open.whole != nil, !w.shown.open.loaded.IsZero(), w.shown.view.Main.Total[model.Root])
	}
}

// TestFirstFrameFromAnOutline: a streamed profile's first frame is drawn
// from an outline of its tree, which the whole tree then replaces,
// keeping what was zoomed and selected.
func TestFirstFrameFromAnOutline(t *testing.T) {
	raw := pproftest.Generate(pproftest.Spec{Samples: 50_000, Stacks: 40_000, Funcs: 4_000, MaxDepth: 40, Seed: 3})
	path := filepath.Join(t.TempDir(), "gen.pb.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	w := openTest(t, Options{Source: path})
	if w.graph.Tree().Partial || w.shown.view.Main.Partial {
		t.Fatal("the outline was not replaced by the whole tree")
	}
	full := w.shown.view.Main

	s := full.Stacks()
	outline := s.Outline(s.AbsTotal / model.MaxFirstViewPixels)
	if outline.Len() >= full.Len() {
		t.Fatalf("outline of %d nodes for a tree of %d", outline.Len(), full.Len())
	}
	g := NewFlameGraph()
	g.Resize(fyne.NewSize(800, 600))
	g.SetTree(outline)
	deep := model.NodeID(outline.Len() - 1)
	g.ZoomTo(outline.Parent[deep])
	g.Select(deep)
	g.ReplaceTree(full, func(n model.NodeID) model.NodeID { return full.Find(outline.PathOf(n)) })
	if g.Tree() != full || !slices.Equal(full.PathOf(g.View().Focus), outline.PathOf(outline.Parent[deep])) ||
		!slices.Equal(full.PathOf(g.Selected()), outline.PathOf(deep)) {
		t.Errorf("focus %v, selected %v after the swap", full.PathOf(g.View().Focus), full.PathOf(g.Selected()))
	}
	g.Back()
	if g.View().Focus != model.Root {
		t.Errorf("history lost: back to %d", g.View().Focus)
	}
}

// TestYoursOnlyOnceAStreamedProfileIsRead: a profile opened from a file
// (streamed: an outline first, then the whole tree) gets "Yours only" once
// whose code is what is worked out, as the same file opened otherwise
// does; the whole tree replacing the outline meanwhile must not lose it.
func TestYoursOnlyOnceAStreamedProfileIsRead(t *testing.T) {
	w, release := openHeldBack(t, "../testdata/json.cpu.pprof")
	release()
	w.wait()
	if w.side.table.yours.Disabled() || w.side.table.mine == nil {
		t.Error("Yours only stays greyed on a profile opened from a file")
	}
	colours := 0
	for _, g := range w.graphs() {
		if g.Tree() != nil && len(g.originsOf()) > 0 {
			colours++
		}
	}
	if colours == 0 {
		t.Error("the graph was not told whose code its frames are")
	}
}
