package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/rymdport/portal/filechooser"

	"github.com/flamelens/flamelens/model/pproftest"
)

// File > Compare Runs…: two sets of runs typed as a folder and a glob,
// counted as they are typed, shown compared with each side's runs
// merged (totals pprof's of the runs merged); a side that names no run
// holds Compare back and loses nothing.
func TestCompareRunsDialog(t *testing.T) {
	dir := t.TempDir()
	before, after, empty := filepath.Join(dir, "before"), filepath.Join(dir, "after"), filepath.Join(dir, "empty")
	for _, d := range []string{before, after, empty} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	beforeRuns := pproftest.CopyTestdata(t, before, "json-gogcoff.cpu.pprof", "json.cpu.pprof")
	afterRuns := pproftest.CopyTestdata(t, after, "json-gogc10.cpu.pprof", "json.cpu.pprof")

	w := openTest(t, Options{})
	w.menus.do.compareRuns()
	d := w.runs
	if d == nil || d.form == nil {
		t.Fatal("File > Compare Runs… shows no dialog")
	}
	d.before.SetText(empty)
	d.after.SetText(filepath.Join(after, "*.pprof"))
	if d.before.Validate() == nil || !strings.Contains(d.before.Validate().Error(), "has no profiles") || d.count.Text != "2 runs after" {
		t.Fatalf("before %v, runs %q", d.before.Validate(), d.count.Text)
	}
	d.form.Submit()
	w.wait()
	if w.compare.comparing() {
		t.Fatal("a side with no runs was compared")
	}
	d.before.SetText(before)
	if d.count.Text != "2 runs before · 2 runs after" {
		t.Errorf("runs: %q", d.count.Text)
	}
	d.form.Submit()
	w.wait()
	if !w.compare.comparing() {
		t.Fatal("not comparing after Compare")
	}
	tree := w.shown.view.CmpNew
	if want := pproftest.TopOf(t, afterRuns, "nanoseconds").Total; tree.AbsTotal != want {
		t.Errorf("NEW total %d, pprof's of the after runs merged %d", tree.AbsTotal, want)
	}
	if want := pproftest.TopOf(t, beforeRuns, "nanoseconds").Total; tree.OtherAbsTotal != want {
		t.Errorf("BASE total %d, pprof's of the before runs merged %d", tree.OtherAbsTotal, want)
	}
	awaitRunStats(t, w)
	if st := w.shown.runs.cum.Before.SampleType.Name; st != "cpu" {
		t.Errorf("the runs are compared by %s, the view by cpu", st)
	}

	// A side's runs picked as several files in the desktop's chooser.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nowhere") // a session bus is said to be there
	var asked *filechooser.OpenFileOptions
	w.files.chooser.openFile = func(parent, title string, opt *filechooser.OpenFileOptions) ([]string, error) {
		asked = opt
		var uris []string
		for _, run := range afterRuns {
			abs, _ := filepath.Abs(run)
			uris = append(uris, "file://"+abs)
		}
		return uris, nil
	}
	w.menus.do.compareRuns()
	test.Tap(w.runs.afterFolder)
	w.wait()
	if asked == nil || !asked.Multiple || w.runs.count.Text != "2 runs after" || !strings.Contains(w.runs.after.Text, ", ") {
		t.Errorf("the desktop's chooser was asked %+v; the dialog says %q of %q", asked, w.runs.count.Text, w.runs.after.Text)
	}
	w.Window().Canvas().Overlays().Top().Hide()

	// Another sample type: the statistics are those of the runs' samples.
	w.selectSampleType("samples")
	w.wait()
	awaitRunStats(t, w)
	if st := w.shown.runs.cum.Before.SampleType.Name; st != "samples" {
		t.Errorf("the view shows samples, the runs are compared by %s", st)
	}

	// A saved session of runs reopens as runs.
	saved := filepath.Join(dir, "runs.flamelens")
	if err := w.SaveSession(saved); err != nil {
		t.Fatal(err)
	}
	again := openTest(t, Options{})
	again.OpenSession(saved)
	again.wait()
	awaitRunStats(t, again)
	if rs := again.shown.runs; len(rs.before) != 2 || len(rs.after) != 2 {
		t.Errorf("reopened: runs %+v", rs)
	}
}

// awaitRunStats waits for the statistics of the runs w shows.
func awaitRunStats(t *testing.T, w *MainWindow) {
	t.Helper()
	for i := 0; i < 200 && (w.shown.runs == nil || w.shown.runs.cum == nil && w.shown.runs.err == nil); i++ {
		w.wait()
	}
	if rs := w.shown.runs; rs == nil || rs.cum == nil {
		t.Fatalf("no statistics of the runs: %+v", rs)
	}
}

// Two sets of real runs compared in the window: the Diff table gives
// each function's intervals and p, its rows of no significant change
// dimmed; the graph colours only significant changes; a frame's tooltip
// gives both medians and p; the numbers are flamelens compare's.
func TestCompareRunsStatistics(t *testing.T) {
	dir := t.TempDir()
	p := pproftest.BuildPatterns(t, dir)
	sets := [2]string{filepath.Join(dir, "gogc-off"), filepath.Join(dir, "gogc-10")}
	work := filepath.Join(dir, "work")
	var runs [2][]string
	for i := range 5 {
		for s, env := range []string{"GOGC=off", "GOGC=10"} {
			p.RunIn(t, work, "alloc", []string{"-steps", "2000"}, env)
			if err := os.MkdirAll(sets[s], 0o755); err != nil {
				t.Fatal(err)
			}
			run := filepath.Join(sets[s], "run-"+string(rune('1'+i))+".pprof")
			if err := os.Rename(filepath.Join(work, "cpu.pprof"), run); err != nil {
				t.Fatal(err)
			}
			runs[s] = append(runs[s], run)
		}
	}
	w := openTest(t, Options{})
	w.CompareRuns(runs[0], runs[1])
	w.wait()
	awaitRunStats(t, w) // the statistics come after the comparison
	rs := w.shown.runs
	// The total's verdict (whether the total held depends on the cores
	// free: the collector's workers use a second one).
	if w.compare.label.Text != "5 vs 5 runs" || !strings.HasPrefix(w.compare.verdict.Text, "total ") ||
		!strings.Contains(w.compare.verdict.Text, " (p=") || !w.compare.verdict.Visible() {
		t.Errorf("the bar says %q, %q", w.compare.label.Text, w.compare.verdict.Text)
	}
	// The Diff table: intervals, p with a mark, the rest dimmed.
	d := w.side.diff
	d.column.SetSelected("cum")
	if !slices.Equal(d.table.order[1:], diffRunColumns) {
		t.Fatalf("the diff table shows %v", d.table.order)
	}
	significant, dimmed := 0, 0
	for row := range d.rows {
		c, ok := d.runChange(row)
		if !ok {
			continue
		}
		if p := d.cell(row, 6); c.Significant != strings.HasSuffix(p, "*") {
			t.Errorf("%s: p %q, significant %v", d.rows[row].Name, p, c.Significant)
		}
		if c.Significant {
			significant++
		}
		if d.table.dim(row) {
			dimmed++
		}
		if want := c.Before.RangeString() + "/" + c.After.RangeString(); d.cell(row, 5) != want {
			t.Errorf("%s: ± %q, want %q", d.rows[row].Name, d.cell(row, 5), want)
		}
	}
	if significant == 0 || dimmed == 0 {
		t.Errorf("%d rows significant, %d dimmed: want some of each", significant, dimmed)
	}
	// The graph: frames of no significant change are neutral, and a
	// frame's tooltip gives the change across the runs.
	ds := w.graph.diff
	if ds == nil || ds.Runs == nil || !ds.Runs.Tested {
		t.Fatal("the graph is not coloured by the runs' statistics")
	}
	b := boxOf(t, w.graph, "main.allocate") // in every run: wide on any machine
	tip := w.graph.TooltipText(b)
	if !strings.Contains(tip, "\nruns, total: ") || !strings.Contains(tip, "(p=") {
		t.Errorf("tooltip %q", tip)
	}
	// The same numbers as flamelens compare's.
	want := rs.cum.Result.Funcs
	for _, c := range want {
		if got := w.compare.runs.changes.Total[c.Name]; got.P != c.P || got.Before.Median != c.Before.Median {
			t.Errorf("%s: window %+v, compare %+v", c.Name, got, c)
		}
	}
}

// A tooltip wider than the graph wraps, and its background covers every
// row its lines wrap into (the runs' lines made the last rows of a frame's
// tooltip spill past it on a laptop).
func TestWrappedTooltipCoversItsRows(t *testing.T) {
	test.NewTempApp(t)
	long := strings.Repeat("runs, total: 999.39ms/s ±2% → 855.13ms/s ±9% ", 3)
	tip := newTooltip()
	test.NewTempWindow(t, tip)
	tip.SetText("main.allocate\n" + long + "\n" + long)
	narrow := fyne.MeasureText(long, theme.TextSize(), fyne.TextStyle{}).Width / 2.5 // each long line: 3 rows
	tip.showAt(fyne.NewPos(0, 0), fyne.NewSize(narrow, 2000))
	rows := widget.NewLabel(strings.TrimSuffix(strings.Repeat("row\n", 7), "\n")) // 1 + 3 + 3
	if got, want := tip.Size().Height, rows.MinSize().Height; got < want {
		t.Errorf("the tooltip is %.0f tall, its 7 rows need %.0f", got, want)
	}
}
