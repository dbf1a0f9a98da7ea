package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/assets"
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
				if w.shown.open.loaded.Comparison() != nil {
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

// TestWindowOpensWhatTheCommandsOpen opens the table of saved sessions the
// commands are tested with (sessiontest.SessionCases): the window's
// function table, its pprof export, its Insights tab and its comparison
// summary have the numbers the commands print for the same file, and a
// file the commands refuse is refused with the same words, what was open
// kept.
func TestWindowOpensWhatTheCommandsOpen(t *testing.T) {
	for _, tc := range sessiontest.SessionCases("../testdata") {
		t.Run(tc.Name, func(t *testing.T) {
			w := openTest(t, Options{})
			path := tc.Write(t)
			w.OpenSession(path)
			w.wait()
			if tc.Refused != "" {
				tc.CheckRefusal(t, strings.Join(overlayText(w), "\n"))
				if w.shown.open.info.Source != assets.SampleName {
					t.Errorf("the window opened %s anyway", w.shown.open.info.Source)
				}
				return
			}
			tc.Pprof.Check(t, sessiontest.Rows(w.shown.view.Table), w.shown.view.Main.AbsTotal)
			var proto bytes.Buffer
			if err := w.export.exportTo(&proto, "view.pb.gz", "", w.export.defaultSize()); err != nil {
				t.Fatal(err)
			}
			tc.CheckProto(t, proto.Bytes())
			tc.CheckFindings(t, w.side.insights.findings)
			if tc.Pprof.Comparing() {
				w.menus.do.copySummary()
				w.wait()
				tc.CheckReport(t, w.app.Clipboard().Content())
			}
		})
	}
}
