package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/session/sessiontest"
)

// TestWindowShowsWhatTheCommandsPrint opens the window on the table of
// flag combinations the headless commands are tested with: its function
// table has pprof's numbers for each, as top does, and the combinations
// top refuses are refused with the same words, the sample shown instead.
func TestWindowShowsWhatTheCommandsPrint(t *testing.T) {
	for _, tc := range sessiontest.Cases("../testdata") {
		t.Run(tc.Name, func(t *testing.T) {
			w := openTest(t, Options{Source: tc.File, More: tc.More, DiffBase: tc.DiffBase, Base: tc.Base, Normalize: tc.Normalize,
				SampleIndex: tc.SampleIndex, Filters: tc.Filters})
			if tc.Usage != "" {
				if said := overlayText(w); !slices.Contains(said, tc.Usage) {
					t.Errorf("the window said %q, want %q", said, tc.Usage)
				}
				if w.shown.loaded.Comparison() != nil {
					t.Error("the window compared anyway")
				}
				return
			}
			tc.Check(t, sessiontest.Rows(w.shown.view.Table), w.shown.view.Main.AbsTotal)
			if want := tc.Comparing(); w.compare.comparing() != want {
				t.Errorf("comparing: %v, want %v", w.compare.comparing(), want)
			}
		})
	}
}

// overlayText is the text of the labels in the window's top overlay (a
// dialog), one after another.
func overlayText(w *MainWindow) []string {
	top := w.Window().Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *widget.Label:
			out = append(out, o.Text)
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(o).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	return out
}
