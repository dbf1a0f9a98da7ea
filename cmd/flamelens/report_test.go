package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/session"
)

// flamelens report: its numbers are flamelens top -diff_base's (rows) and
// pprof's (totals); Markdown with its graph beside it, one HTML page with
// the graph inside, JSON; bad input in one line.
func TestReportCommand(t *testing.T) {
	before, after := testdata("json-gogcoff.cpu.pprof"), testdata("json-gogc10.cpu.pprof")
	out, errOut, code := runCLI("report", "-format", "json", "-diff_base", before, after)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r session.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Totals: pprof's of each file.
	if want := pproftest.TopReport(t, before, "nanoseconds").Total; r.Before.Total != want {
		t.Errorf("before totals %d, pprof %d", r.Before.Total, want)
	}
	if want := pproftest.TopReport(t, after, "nanoseconds").Total; r.After.Total != want {
		t.Errorf("after totals %d, pprof %d", r.After.Total, want)
	}
	if r.Change != r.After.Total-r.Before.Total || r.PerSecond == nil || r.Before.Duration <= 0 {
		t.Errorf("headline %+v", r)
	}
	// Rows: flamelens top -diff_base's flat and cum.
	rows := topOf(t, "-diff_base", before, after)
	if len(r.Regressions) == 0 || len(r.Improvements) == 0 {
		t.Fatalf("no regressions or improvements: %+v", r)
	}
	for i, row := range append(append([]session.ReportRow{}, r.Regressions...), r.Improvements...) {
		want, ok := rows[row.Name]
		if !ok || want[0] != row.FlatDelta || want[1] != row.CumDelta {
			t.Errorf("%s: flat %d cum %d, top -diff_base %v", row.Name, row.FlatDelta, row.CumDelta, want)
		}
		if row.FlatDelta != row.Flat-row.BaseFlat {
			t.Errorf("%s: %d − %d ≠ %d", row.Name, row.Flat, row.BaseFlat, row.FlatDelta)
		}
		if i > 0 && i < len(r.Regressions) && row.FlatDelta > r.Regressions[i-1].FlatDelta {
			t.Errorf("regressions out of order at %s", row.Name)
		}
	}
	if len(r.Findings) == 0 || r.Findings[0].Rule != "gc" {
		t.Errorf("findings %+v, want the gc change first", r.Findings)
	}
}

// TestReportCommandPages: the report as Markdown with its graph written
// beside it, and as one HTML page with the graph inside.
func TestReportCommandPages(t *testing.T) {
	before, after := testdata("json-gogcoff.cpu.pprof"), testdata("json-gogc10.cpu.pprof")
	out, errOut, code := runCLI("report", "-format", "json", "-diff_base", before, after)
	var r session.Report
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil || len(r.Regressions) == 0 {
		t.Fatalf("exit %d: %s %v", code, errOut, err)
	}
	dir := t.TempDir()
	md := filepath.Join(dir, "report.md")
	if _, errOut, code := runCLI("report", "-o", md, "-diff_base", before, after); code != 0 {
		t.Fatalf("markdown: exit %d: %s", code, errOut)
	}
	text, _ := os.ReadFile(md)
	for _, want := range []string{"### Total cpu grew +1.31% (21.3s → 21.58s)", "| total cpu | 21.3s | 21.58s | +280ms (+1.31%) |",
		"**Largest regressions**", "| `" + r.Regressions[0].Name + "` |", "**What changed**", "![differential flame graph: red grew, blue shrank](report.png)"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("markdown lacks %q:\n%s", want, text)
		}
	}
	f, err := os.Open(filepath.Join(dir, "report.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != output.ReportWidth {
		t.Errorf("report.png: %v, %v", err, img)
	}

	// HTML: one page, the graph inside, nothing loaded from elsewhere.
	out, _, code = runCLI("report", "-format", "html", "-diff_base", before, after)
	if code != 0 || !strings.Contains(out, `src="data:image/png;base64,`) || !strings.Contains(out, "<h2>Total cpu grew &#43;1.31% (21.3s → 21.58s)</h2>") ||
		strings.Contains(out, `src="http`) || strings.Contains(out, "<script") || strings.Contains(out, "<link") {
		t.Errorf("html report: exit %d\n%.600s", code, out)
	}
}

// TestReportCommandRefuses what it cannot sum up, in one line.
func TestReportCommandRefuses(t *testing.T) {
	before, after := testdata("json-gogcoff.cpu.pprof"), testdata("json-gogc10.cpu.pprof")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", after}, 2, "give the one before with -diff_base"},
		{[]string{"report", "-format", "pdf", "-diff_base", before, after}, 2, `unknown -format "pdf"`},
		{[]string{"report", "-diff_base", "nope.pprof", after}, 1, "nope.pprof"},
	} {
		_, errOut, code := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want exit %d with %q in one line", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

// The headline says which way the total went, and "unchanged" when it
// did not move (a run compared with itself), rather than "grew +0.00%".
func TestReportHeadline(t *testing.T) {
	before, after := testdata("json-gogcoff.cpu.pprof"), testdata("json-gogc10.cpu.pprof")
	for _, tc := range []struct{ before, after, want string }{
		{before, after, "### Total cpu grew +1.31% (21.3s → 21.58s)\n"},
		{after, before, "### Total cpu dropped -1.30% (21.58s → 21.3s)\n"},
		{after, after, "### Total cpu unchanged (21.58s → 21.58s)\n"},
	} {
		out, errOut, code := runCLI("report", "-diff_base", tc.before, tc.after)
		if code != 0 || !strings.HasPrefix(out, tc.want) {
			t.Errorf("exit %d %s; report starts %q, want %q", code, errOut, out[:min(len(out), 60)], tc.want)
		}
	}
}
