package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
	"github.com/flamelens/flamelens/session/fetch"
)

// CompareRuns shows two sets of runs compared: each side's runs merged
// (AFTER as NEW, BEFORE as BASE), as flamelens report -diff_base shows them,
// and, once computed, each function's change tested across the runs as
// flamelens compare tests it.
func (w *MainWindow) CompareRuns(before, after []string) {
	src := session.Source{Path: after[0], More: after[1:], DiffBase: before[0], BaseMore: before[1:], Fetch: w.opts.Fetch}
	w.load(source{Source: src, runs: &runSets{before: before, after: after}}, "", w.filters.Steps())
}

// runSets are the two sets of runs a window shows compared, and their
// statistics for the view shown, computed off the UI goroutine.
type runSets struct {
	before, after []string
	// request is the view the statistics were asked for; flat and cum are
	// nil until they are computed, err set if they could not be.
	request   string
	flat, cum *session.RunsComparison
	err       error
}

// runsRequest is the view of each run the statistics are computed for:
// the sample type, granularity and steps shown.
func (w *MainWindow) runsRequest() session.Request {
	req := session.Request{Granularity: w.shown.granularity, Steps: w.filters.Steps()}
	if types := w.shown.open.info.SampleTypes(); w.shown.sampleIndex < len(types) {
		req.SampleSpec = types[w.shown.sampleIndex].Name
	}
	return req
}

// showRunStats gives the comparison bar, the graph and the diff table the
// statistics of the runs shown, computing them first (in laneRuns) when
// the view shown is not the one they were computed for.
func (w *MainWindow) showRunStats() {
	rs := w.shown.runs
	if rs == nil {
		w.compare.setRuns(runsShown{})
		w.side.diff.SetRuns(nil)
		return
	}
	shown := runsShown{caption: fmt.Sprintf("%d vs %d runs", len(rs.after), len(rs.before)), // NEW vs BASE, as for two profiles
		tip: "NEW, merged: " + strings.Join(rs.after, ", ") + "\nBASE, merged: " + strings.Join(rs.before, ", ")}
	req := w.runsRequest()
	if key := fmt.Sprint(req); key != rs.request {
		rs.request, rs.flat, rs.cum, rs.err = key, nil, nil, nil
		opt := w.opts.Fetch
		w.work.run(laneRuns, func(ctx context.Context) func() {
			flat, cum, err := compareRunSets(ctx, rs.before, rs.after, req, opt)
			return func() {
				if w.shown.runs != rs || rs.request != key {
					return // another comparison, or view, since
				}
				rs.flat, rs.cum, rs.err = flat, cum, err
				if w.shown.view.Comparing() {
					w.showComparison()
				}
			}
		})
	}
	switch {
	case rs.err != nil:
		shown.verdict = "not tested: " + rs.err.Error()
	case rs.cum == nil:
		shown.verdict = "testing the change across the runs…"
	default:
		r := rs.cum.Result
		shown.verdict = "total " + r.Total.ChangeString(r.Enough) + ", " + r.Total.Verdict(r.Enough)
		shown.changes = &render.RunChanges{Self: rs.flat.Result.ByName(), Total: r.ByName(), Tested: r.Enough,
			Value: func(v float64) string { return output.RunValue(rs.cum, v) }}
	}
	w.compare.setRuns(shown)
	w.side.diff.SetRuns(shown.changes)
}

// compareRunSets reads both sets of runs for req and compares them by
// flat and by cum.
func compareRunSets(ctx context.Context, before, after []string, req session.Request, opt fetch.Options) (flat, cum *session.RunsComparison, err error) {
	b, a, err := session.OpenRunSets(ctx, before, after, req, opt)
	if err != nil {
		return nil, nil, err
	}
	return session.CompareFlatAndCum(b, a, session.RunsOptions{})
}

// runsDialog is File > Compare Runs…: the two sets of runs, each a
// folder, a glob or a comma-separated list, with the runs each names
// counted as it is typed, and Compare held back while either names none
// (the entry says why).
type runsDialog struct {
	form          *dialog.FormDialog
	before, after *widget.Entry
	// count says how many runs each side names.
	count                     *widget.Label
	beforeFolder, afterFolder *widget.Button
	counts                    [2]string
}

// showRunsDialog asks for the two sets of runs and calls compare with
// their runs. pick, if not nil, lets a side's runs be chosen (several
// files, or a folder) for BEFORE (after false) or AFTER.
func showRunsDialog(win fyne.Window, opt fetch.Options, pick func(after bool, use func(paths []string)), compare func(before, after []string)) *runsDialog {
	d := &runsDialog{before: widget.NewEntry(), after: widget.NewEntry(), count: widget.NewLabel("")}
	expand := func(spec string) ([]string, error) { return session.ExpandRuns(spec, 0, opt, time.Now()) }
	side := func(i int, e *widget.Entry, what string) {
		e.SetPlaceHolder("a folder of profiles, a glob (runs/" + strings.ToLower(what) + "-*.pprof) or files, comma-separated")
		e.Validator = func(s string) error {
			paths, err := expand(s)
			d.counts[i] = ""
			if err == nil {
				d.counts[i] = runsCount(len(paths)) + " " + strings.ToLower(what)
			}
			d.count.SetText(strings.Join(slices.DeleteFunc(slices.Clone(d.counts[:]), func(s string) bool { return s == "" }), " · "))
			return err
		}
	}
	side(0, d.before, "BEFORE")
	side(1, d.after, "AFTER")
	choose := func(e *widget.Entry, after bool, label string) *widget.Button {
		return widget.NewButton(label, func() { pick(after, func(paths []string) { e.SetText(strings.Join(paths, ", ")) }) })
	}
	buttons := container.NewHBox(d.count, layout.NewSpacer())
	if pick != nil {
		d.beforeFolder, d.afterFolder = choose(d.before, false, "Before…"), choose(d.after, true, "After…")
		buttons.Add(d.beforeFolder)
		buttons.Add(d.afterFolder)
	}
	runs := widget.NewFormItem("Runs", buttons)
	runs.HintText = "each side's runs are merged; 3+ runs a side (6 to 10 is better) to test what changed, as flamelens compare does"
	items := []*widget.FormItem{widget.NewFormItem("Before", d.before), widget.NewFormItem("After", d.after), runs}
	d.form = dialog.NewForm("Compare Runs", "Compare", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		before, err1 := expand(d.before.Text)
		after, err2 := expand(d.after.Text)
		if err1 != nil || err2 != nil {
			return // not reached: the form holds Compare back until both name runs
		}
		compare(before, after)
	}, win)
	submit := func(string) { d.form.Submit() }
	d.before.OnSubmitted, d.after.OnSubmitted = submit, submit
	d.form.Resize(fyne.NewSize(820, 300))
	d.form.Show()
	win.Canvas().Focus(d.before)
	return d
}

// runsCount says how many runs a side names: "1 run", "8 runs".
func runsCount(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}
