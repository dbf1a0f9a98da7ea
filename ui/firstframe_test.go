package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// A window starts reading its profile before it makes its widgets: read
// by the time they are made, the profile is in the window before it is
// ever shown, with nothing left to deliver; read later, the window says
// "Loading…" and shows it when it comes.
func TestWindowShowsItsProfileInItsFirstFrame(t *testing.T) {
	defer func(d time.Duration) { firstFrameWait = d }(firstFrameWait)

	firstFrameWait = time.Minute // however slow the machine: the read is waited for
	queue := &uiQueue{}
	w := newMainWindow(test.NewTempApp(t), Options{Source: "../testdata/sort.cpu.pprof"}, queue)
	t.Cleanup(w.Window().Close)
	if w.shown.view.Main == nil || !strings.Contains(w.header.Text, "Type: cpu") {
		t.Fatalf("the profile is not in the window as it is made: header %q", w.header.Text)
	}
	if w.graph.Tree() == nil {
		t.Error("the flame graph has no tree to draw in the first frame")
	}
	if queue.run() {
		t.Error("the load left work to deliver after the window was made")
	}

	firstFrameWait = 0 // the read takes longer than the window waits
	w = newMainWindow(test.NewTempApp(t), Options{Source: "../testdata/sort.cpu.pprof"}, &uiQueue{})
	t.Cleanup(w.Window().Close)
	if w.shown.view.Main == nil && !strings.HasPrefix(w.status.Text, "Loading sort.cpu.pprof") {
		t.Errorf("status %q while the profile loads", w.status.Text)
	}
	w.wait()
	if w.shown.view.Main == nil || !strings.Contains(w.header.Text, "Type: cpu") {
		t.Errorf("the profile read later is not shown: header %q", w.header.Text)
	}
}
