package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session"
)

// windowState is what a session file must bring back, for comparing.
type windowState struct {
	sampleType, granularity, search, view, compareView string
	steps                                              []session.Step
	zoom                                               []string
	inverted                                           bool
	total                                              int64
}

func stateOf(w *MainWindow) windowState {
	s := windowState{sampleType: sampleNameOf(w.shown.view), granularity: w.shown.granularity.String(), search: w.searchBar.entry.Text,
		view: w.tools.viewSwitch.Selected, steps: w.filters.Steps(), inverted: w.shown.inverted, total: w.shown.view.Main.Total[model.Root]}
	if w.shown.view.Comparing() {
		s.compareView = w.compare.view.Selected
	}
	t := w.graph.Tree()
	for n := w.graph.View().Focus; n > model.Root; n = t.Parent[n] {
		s.zoom = append([]string{t.Name(n)}, s.zoom...)
	}
	return s
}

func sameState(a, b windowState) bool {
	return a.sampleType == b.sampleType && a.granularity == b.granularity && a.search == b.search && a.view == b.view &&
		a.compareView == b.compareView && slices.Equal(a.steps, b.steps) && slices.Equal(a.zoom, b.zoom) &&
		a.inverted == b.inverted && a.total == b.total
}

// A session file brings a window back as it was: sources (relative to the
// file), sample type, granularity, filter and function steps, zoom,
// search; and for a comparison, the comparison's view, inversion and the
// call graph.
func TestSessionFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	paths := pproftest.CopyTestdata(t, dir, "json.cpu.pprof", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof")

	for _, tc := range []struct {
		name  string
		opts  Options
		setUp func(w *MainWindow)
		set   func(s windowState) bool // the set-up took
	}{
		{"one profile, filtered, merged, zoomed, searched", Options{Source: paths[0]}, func(w *MainWindow) {
			w.selectSampleType("samples")
			w.wait()
			w.filters.add(session.FilterStep("focus", "Unmarshal"))
			w.wait()
			w.filters.add(session.FuncStep(session.StepMerge, model.Func{Name: "encoding/json.(*decodeState).value", Function: "encoding/json.(*decodeState).value"}))
			w.wait()
			w.graph.ZoomTo(boxOf(t, w.graph, "encoding/json.(*decodeState).object").Node)
			w.searchBar.entry.SetText("array")
			w.wait()
		}, func(s windowState) bool {
			return s.sampleType == "samples" && len(s.steps) == 2 && len(s.zoom) > 3 && s.search == "array"
		}},
		{"a comparison, side by side, inverted, call graph", Options{Source: paths[2], DiffBase: paths[1]}, func(w *MainWindow) {
			w.compare.view.SetSelected(viewSideBySide)
			w.tools.invertCheck.SetChecked(true)
			w.wait()
			w.tools.viewSwitch.SetSelected(viewGraph)
			w.wait()
		}, func(s windowState) bool { return s.inverted && s.compareView == viewSideBySide && s.view == viewGraph }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := openTest(t, tc.opts)
			w.win.Resize(w.win.Canvas().Size().AddWidthHeight(400, 300))
			tc.setUp(w)
			before := stateOf(w)
			if !tc.set(before) {
				t.Fatalf("the set-up did not take: %+v", before)
			}
			file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+session.SessionExt)
			if err := w.SaveSession(file); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(file)
			if !strings.Contains(string(data), `"source": "`) || strings.Contains(string(data), dir) {
				t.Errorf("the session file's paths are not relative to it:\n%s", data)
			}
			// Another window opens the file, as `flamelens FILE` does.
			w2 := newMainWindow(test.NewTempApp(t), Options{Source: file}, &uiQueue{})
			t.Cleanup(w2.Window().Close)
			w2.win.Resize(w.win.Canvas().Size())
			w2.wait()
			if after := stateOf(w2); !sameState(before, after) {
				t.Errorf("reopened:\n%+v\nsaved:\n%+v", after, before)
			}
		})
	}
}

// A file that is not a session, or of another version, or with a step
// this flamelens does not know, says so and what was open stays.
func TestSessionFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ body, want string }{
		{`{"flamelens_session": 2, "source": "a.pprof"}`, "of a version this flamelens reads"},
		{`{"flamelens_session": 1, "source": "a.pprof", "steps": [{"kind": "twist"}]}`, `unknown kind "twist"`},
		{`{"flamelens_session": 1}`, "names no source"},
		{`{"flamelens_session": 1, "source": "a.pprof", "colour": "red"}`, "not a flamelens session"},
	} {
		path := filepath.Join(dir, "bad"+session.SessionExt)
		if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := session.ReadFile(path); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming the file and %q", tc.body, err, tc.want)
		}
	}
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.OpenSession(filepath.Join(dir, "bad"+session.SessionExt))
	w.wait()
	if !strings.Contains(w.header.Text, "json.cpu.pprof") {
		t.Errorf("what was open was lost: %q", w.header.Text)
	}
}
