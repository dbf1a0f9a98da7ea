package ui

import (
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// A fleet in one window: three files merged, grouped by source (the Tags
// dialog's "Group by this label"), one source compared with the rest from
// its frame's menu.
func TestMergedWindowGroupedAndComparedByInstance(t *testing.T) {
	files := []string{"../testdata/json.cpu.pprof", "../testdata/json-gogc10.cpu.pprof", "../testdata/json-gogcoff.cpu.pprof"}
	w := openTest(t, Options{Source: files[0], More: files[1:]})
	if !strings.Contains(w.header.Text, "Merged: 3 sources") {
		t.Errorf("header %q does not say the sources merged", w.header.Text)
	}
	var sourceRow tagRow
	for _, r := range tagRows(w.shown.open.loaded.Tags(w.shown.sampleIndex), w.shown.view.Main.AbsTotal, "nanoseconds") {
		if r.key == model.SourceLabel && r.val == "" {
			sourceRow = r
		}
	}
	if sourceRow.key == "" {
		t.Fatal("the Tags dialog has no source label")
	}
	w.filters.add(groupStep(sourceRow))
	w.wait()
	tr := w.shown.view.Main
	kids := tr.Children(model.Root)
	if len(kids) != 3 {
		t.Fatalf("grouped by source: %d root frames, want 3", len(kids))
	}
	want := pproftest.TopReport(t, files[1], "nanoseconds").Total
	var instance model.NodeID
	for _, n := range kids {
		if tr.Name(n) == "json-gogc10.cpu.pprof" {
			instance = n
		}
	}
	if instance == 0 || tr.Total[instance] != want {
		t.Fatalf("frame json-gogc10.cpu.pprof holds %d, the file alone %d", tr.Total[instance], want)
	}
	items := w.frameMenu(w.graph, instance)
	if !strings.HasPrefix(items[0].Label, "Compare source=json-gogc10.cpu.pprof with the rest") {
		t.Fatalf("the frame's menu starts with %q", items[0].Label)
	}
	items[0].Action()
	w.wait()
	w.wait()
	c := w.shown.open.loaded.Comparison()
	if c == nil {
		t.Fatal("no comparison open")
	}
	newT := w.shown.view.CmpNew
	if newT.Total[model.Root] != want {
		t.Errorf("NEW totals %d, the instance alone %d", newT.Total[model.Root], want)
	}
	// BASE (the two others) is scaled to NEW's total.
	if got := newT.OtherTotal[model.Root]; got < want*99/100 || got > want*101/100 {
		t.Errorf("BASE totals %d, want about NEW's %d (normalized)", got, want)
	}
	if len(w.filters.Steps()) != 0 {
		t.Errorf("the grouping step carried over: %v", w.filters.Steps())
	}
}
