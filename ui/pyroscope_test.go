package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session/fetch"
	"github.com/flamelens/flamelens/session/fetch/pyroscopetest"
)

// dragChart drags across the range chart from from to to (times before
// now), as a mouse would.
func dragChart(w *MainWindow, from, to time.Duration) {
	c := w.pyro.chart
	if c.Size().Width == 0 {
		// The test canvas lays out the bar, shown since, when resized.
		size := w.win.Canvas().Size()
		w.win.Resize(size.AddWidthHeight(1, 0))
		w.win.Resize(size)
	}
	now := time.Now()
	x := func(ago time.Duration) float32 {
		return float32(c.series.X(now.Add(-ago), int(c.Size().Width)))
	}
	x0, x1 := x(from), x(to)
	c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x0+5, 20)}, Dragged: fyne.NewDelta(5, 0)})
	c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x1, 20)}, Dragged: fyne.NewDelta(x1-x0-5, 0)})
	c.DragEnd()
	w.wait()
}

// spanLabels are the ranges marked on the chart.
func spanLabels(w *MainWindow) string {
	var labels []string
	for _, s := range w.pyro.chart.series.Spans {
		labels = append(labels, s.Label)
	}
	return strings.Join(labels, ",")
}

// A Pyroscope server in the window: the picker lists what the server has
// and opens it; the chart above the graph draws the series; dragging on
// it shows a range, Shift+dragging compares two; the picker compares two
// label sets. Every total is pprof's of the pushed files.
func TestPyroscopeInTheWindow(t *testing.T) {
	srv, fleet := pyroscopetest.PushFleet(t, "../testdata")
	total := func(keep func(pyroscopetest.Pushed) bool) int64 {
		return pproftest.TopOf(t, pyroscopetest.Paths(fleet, keep), "nanoseconds").Total
	}
	all := total(func(pyroscopetest.Pushed) bool { return true })
	pushed := fleetTotals{all: all,
		v1:     total(func(p pyroscopetest.Pushed) bool { return p.Version == "v1" }),
		v2:     total(func(p pyroscopetest.Pushed) bool { return p.Version == "v2" }),
		v1late: total(func(p pyroscopetest.Pushed) bool { return p.Ago == 35*time.Minute }),
		latest: total(func(p pyroscopetest.Pushed) bool { return p.Ago == 5*time.Minute })}

	// A server alone: the picker, filled from the server.
	w := newMainWindow(test.NewTempApp(t), Options{Source: srv.Source}, &uiQueue{})
	t.Cleanup(w.Window().Close)
	w.win.Resize(fyne.NewSize(1400, 900))
	w.wait()
	p := w.pyro.picker
	if p == nil {
		t.Fatal("pyroscope://HOST:PORT alone opened no picker")
	}
	if p.service.Selected != "checkout" || len(p.service.Options) != 1 {
		t.Errorf("services %v, picked %q; want checkout", p.service.Options, p.service.Selected)
	}
	if p.typ.Selected != pyroscopetest.CPUType {
		t.Errorf("profile type %q (of %v), want %s", p.typ.Selected, p.typ.Options, pyroscopetest.CPUType)
	}
	if !strings.Contains(p.names.Text, "instance, version") {
		t.Errorf("label names hint %q", p.names.Text)
	}
	p.submit()
	w.wait()
	main := w.shown.view.Main
	if main == nil || main.Total[model.Root] != all {
		t.Fatalf("the last hour shows %v, the pushed files total %d", main, all)
	}
	if !w.pyro.box.Visible() || !strings.Contains(w.pyro.label.Text, "checkout") {
		t.Fatalf("no range chart for the query (label %q)", w.pyro.label.Text)
	}
	// The chart's series adds up to the profile's total.
	var sum float64
	for _, pt := range w.pyro.chart.series.Points {
		sum += pt.Value
	}
	if int64(sum) != all {
		t.Errorf("the chart's points add up to %.0f, the profile totals %d", sum, all)
	}
	if spanLabels(w) != "" {
		t.Errorf("the whole range shown, yet the chart marks %q", spanLabels(w))
	}

	checkChartDrags(t, w, pushed)
	checkLabelSets(t, w, pushed)
}

// fleetTotals are the totals of the pushed profiles: all, v1's, v2's, the
// ones 35 minutes ago (v1) and the latest.
type fleetTotals struct{ all, v1, v2, v1late, latest int64 }

// checkChartDrags: a drag over the range chart shows that range, a
// Shift+drag compares it as BASE, and Whole range shows the query again.
func checkChartDrags(t *testing.T, w *MainWindow, pushed fleetTotals) {
	t.Helper()
	all, v1, v2, latest := pushed.all, pushed.v1, pushed.v2, pushed.latest
	// Drag over the last 20 minutes: v2's profiles.
	dragChart(w, 20*time.Minute, 0)
	if got := w.shown.view.Main.Total[model.Root]; got != v2 {
		t.Errorf("the dragged range shows %d, v2's pushes total %d", got, v2)
	}
	if spanLabels(w) != "shown" {
		t.Errorf("after a drag the chart marks %q", spanLabels(w))
	}
	// Shift+drag over 50 to 25 minutes ago: BASE, v1's profiles.
	w.modifiers = func() fyne.KeyModifier { return fyne.KeyModifierShift }
	dragChart(w, 50*time.Minute, 25*time.Minute)
	w.modifiers = func() fyne.KeyModifier { return 0 }
	cmp := w.shown.view.CmpNew
	if cmp == nil {
		t.Fatal("Shift+drag opened no comparison")
	}
	if cmp.Total[model.Root] != v2 || cmp.OtherTotal[model.Root] != v1 {
		t.Errorf("NEW %d and BASE %d, want v2's %d and v1's %d", cmp.Total[model.Root], cmp.OtherTotal[model.Root], v2, v1)
	}
	if spanLabels(w) != "NEW,BASE" || !strings.Contains(w.pyro.label.Text, "two ranges compared") {
		t.Errorf("chart marks %q, bar says %q", spanLabels(w), w.pyro.label.Text)
	}
	if !strings.Contains(w.compare.label.Text, "–") {
		t.Errorf("the comparison bar names the sources %q, not by their ranges", w.compare.label.Text)
	}
	// A plain drag now moves NEW and keeps BASE.
	dragChart(w, 7*time.Minute, 0)
	if cmp := w.shown.view.CmpNew; cmp == nil || cmp.Total[model.Root] != latest || cmp.OtherTotal[model.Root] != v1 {
		t.Errorf("NEW moved to the last 7 minutes: got %v, want NEW %d BASE %d", cmp, latest, v1)
	}
	// Whole range: the query alone again.
	w.pyro.whole.OnTapped()
	w.wait()
	if w.shown.view.CmpNew != nil || w.shown.view.Main.Total[model.Root] != all || spanLabels(w) != "" {
		t.Errorf("Whole range: comparing %v, total %d, marks %q", w.shown.view.CmpNew != nil, w.shown.view.Main.Total[model.Root], spanLabels(w))
	}

}

// checkLabelSets: two label sets picked (Query…) are compared, shown again
// in the picker, and kept over a range dragged.
func checkLabelSets(t *testing.T, w *MainWindow, pushed fleetTotals) {
	t.Helper()
	v1, v2, v1late := pushed.v1, pushed.v2, pushed.v1late
	// Two label sets, from the picker (Query…).
	w.pyro.query.OnTapped()
	w.wait()
	p := w.pyro.picker
	p.labels.SetText(`version="v2"`)
	p.against.SetText(`version="v1"`)
	p.submit()
	w.wait()
	cmp := w.shown.view.CmpNew
	if cmp == nil || cmp.Total[model.Root] != v2 || cmp.OtherTotal[model.Root] != v1 {
		t.Fatalf("v2 against v1: %v, want NEW %d BASE %d", cmp, v2, v1)
	}
	if !strings.Contains(w.pyro.label.Text, `compared with version="v1"`) {
		t.Errorf("bar says %q", w.pyro.label.Text)
	}
	// Query… shows the two label sets.
	w.pyro.query.OnTapped()
	w.wait()
	if p := w.pyro.picker; p.labels.Text != `version="v2"` || p.against.Text != `version="v1"` {
		t.Errorf("Query… while comparing shows labels %q against %q", p.labels.Text, p.against.Text)
	}
	w.pyro.picker.dialog.Hide()
	// A drag keeps the two label sets, over the range dragged.
	dragChart(w, 38*time.Minute, 0)
	if cmp := w.shown.view.CmpNew; cmp == nil || cmp.Total[model.Root] != v2 || cmp.OtherTotal[model.Root] != v1late {
		t.Errorf("v2 against v1 in the last 38 minutes: %v, want NEW %d BASE %d", cmp, v2, v1late)
	}
}

// The picker says what is wrong in plain words: a server not there, a
// range with nothing in it, a query not finished.
func TestPyroscopePickerSaysWhatIsWrong(t *testing.T) {
	srv, _ := pyroscopetest.PushFleet(t, "../testdata")
	w := openTest(t, Options{})
	closed, err := fetch.ParsePyroscope("pyroscope://127.0.0.1:1", fetch.PyroscopeQuery{})
	if err != nil {
		t.Fatal(err)
	}
	p := w.showPyroscopePicker(closed)
	w.wait()
	if !strings.Contains(p.message.Text, "unreachable") {
		t.Errorf("a closed port: %q", p.message.Text)
	}
	p.server.SetText(srv.Source)
	p.rng.SetSelected(customRange)
	p.from.SetText("2020-01-01 00:00")
	p.to.SetText("2020-01-01 06:00")
	p.list()
	w.wait()
	if !strings.Contains(p.message.Text, "no services with profiles") {
		t.Errorf("an empty range: %q", p.message.Text)
	}
	p.submit()
	if !strings.Contains(p.message.Text, "Pick a service") {
		t.Errorf("opened without a service: %q", p.message.Text)
	}
	p.from.SetText("yesterday")
	p.submit()
	if !strings.Contains(p.message.Text, `-from "yesterday": not a time`) {
		t.Errorf("a bad time: %q", p.message.Text)
	}
	if !strings.Contains(w.header.Text, "sample") {
		t.Errorf("what was open was lost: %q", w.header.Text)
	}
}
