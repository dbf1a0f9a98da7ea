package output

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/runstats"
	"github.com/flamelens/flamelens/session"
)

// reportLine is one row of a report's headline table.
type reportLine struct{ What, Before, After, Change string }

// headline is the report's first table: totals, durations, per second.
func headline(r *session.Report) []reportLine {
	unit := r.Type.Unit
	lines := []reportLine{{"total " + r.Type.Name, model.FormatValue(r.Before.Total, unit), model.FormatValue(r.After.Total, unit),
		render.Signed(r.Change, unit) + " (" + r.Percent + ")"}}
	if r.Before.Duration > 0 || r.After.Duration > 0 {
		lines = append(lines, reportLine{"duration", r.Before.Duration.Round(10e6).String(), r.After.Duration.Round(10e6).String(), ""})
	}
	if p := r.PerSecond; p != nil {
		lines = append(lines, reportLine{"per second of profile", model.FormatValue(int64(p.Before), unit) + "/s",
			model.FormatValue(int64(p.After), unit) + "/s", p.Percent})
	}
	if runs := r.Runs; runs != nil {
		c, t := runs.Comparison, runs.Total.Change()
		lines = append(lines, reportLine{fmt.Sprintf("median of the runs (%d before, %d after)", runs.Before, runs.After),
			RunValue(c, t.Before.Median) + " ± " + t.Before.RangeString(), RunValue(c, t.After.Median) + " ± " + t.After.RangeString(),
			t.ChangeString(runs.Tested) + ", " + t.Verdict(runs.Tested)})
	}
	return lines
}

// rowSignificance is a report row's significance across runs, "" for a
// report of two profiles.
func rowSignificance(r *session.Report, row session.ReportRow) string {
	if r.Runs == nil {
		return ""
	}
	if row.Stats == nil {
		return "–"
	}
	return row.Stats.Change().Verdict(r.Runs.Tested)
}

// mdEscape makes s safe inside a Markdown table cell or code span.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "`", "'", "\n", " ").Replace(model.EscapeControl(s))
}

// writeReportMarkdown writes r as Markdown ready to paste into a pull
// request; image, if not "", is the differential flame graph's file name,
// shown at the end.
func writeReportMarkdown(w io.Writer, r *session.Report, image string) error {
	bw := bufio.NewWriter(w)
	unit := r.Type.Unit
	fmt.Fprintf(bw, "### %s\n\n", reportTitle(r))
	fmt.Fprintf(bw, "| | before | after | change |\n|---|---:|---:|---:|\n")
	for _, l := range headline(r) {
		fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", l.What, l.Before, l.After, l.Change)
	}
	rows := func(title string, rows []session.ReportRow) {
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(bw, "\n**%s** (flat, as `go tool pprof -top -diff_base`)\n\n", title)
		header, rule := "| function | before | after | change | cum change |", "|---|---:|---:|---:|---:|"
		if r.Runs != nil {
			header, rule = header+" across the runs |", rule+"---:|"
		}
		fmt.Fprintf(bw, "%s\n%s\n", header, rule)
		for _, row := range rows {
			fmt.Fprintf(bw, "| `%s` | %s | %s | %s | %s |", mdEscape(row.Name), model.FormatValue(row.BaseFlat, unit),
				model.FormatValue(row.Flat, unit), render.Signed(row.FlatDelta, unit), render.Signed(row.CumDelta, unit))
			if r.Runs != nil {
				fmt.Fprintf(bw, " %s |", rowSignificance(r, row))
			}
			fmt.Fprintln(bw)
		}
	}
	rows("Largest regressions", r.Regressions)
	rows("Largest improvements", r.Improvements)
	if len(r.Findings) > 0 {
		fmt.Fprintf(bw, "\n**What changed**\n\n")
		for i, f := range r.Findings {
			fmt.Fprintf(bw, "%d. **%s** — %s [Go docs](%s)\n", i+1, f.Title, f.Sentence, f.Doc)
		}
	}
	if image != "" {
		fmt.Fprintf(bw, "\n![differential flame graph: red grew, blue shrank](%s)\n", image)
	}
	fmt.Fprintf(bw, "\n<sub>before: `%s` · after: `%s` · compared with flamelens</sub>\n", mdEscape(r.Before.Source), mdEscape(r.After.Source))
	return bw.Flush()
}

// reportTitle is the report's headline: "Total cpu dropped -31.20% (…)",
// or "Total cpu unchanged (…)".
func reportTitle(r *session.Report) string {
	totals := fmt.Sprintf("(%s → %s)", model.FormatValue(r.Before.Total, r.Type.Unit), model.FormatValue(r.After.Total, r.Type.Unit))
	switch {
	case r.Change < 0:
		return fmt.Sprintf("Total %s dropped %s %s", r.Type.Name, r.Percent, totals) + runsVerdict(r)
	case r.Change > 0:
		return fmt.Sprintf("Total %s grew %s %s", r.Type.Name, r.Percent, totals) + runsVerdict(r)
	}
	return fmt.Sprintf("Total %s unchanged %s", r.Type.Name, totals) + runsVerdict(r)
}

// runsVerdict ends the title of a report of two sets of runs: whether the
// change held across them.
func runsVerdict(r *session.Report) string {
	runs := r.Runs
	if runs == nil {
		return ""
	}
	t := runs.Total.Change()
	n := fmt.Sprintf("%d + %d runs", runs.Before, runs.After)
	switch {
	case !runs.Tested:
		return fmt.Sprintf(" — %s: too few to test (%d+ a side)", n, runstats.MinRuns)
	case t.Significant:
		return fmt.Sprintf(" — significant across %s (p=%.3f)", n, t.P)
	case !t.Tested:
		return fmt.Sprintf(" — within the noise floor across %s", n)
	}
	return fmt.Sprintf(" — not significant across %s (p=%.3f)", n, t.P)
}

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"value":  model.FormatValue,
	"signed": render.Signed,
	"rowsig": func(session.ReportRow) string { return "" }, // set per report
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.2em}td,th{padding:.25em .7em;border-bottom:1px solid #ddd}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:13px}
.grew{color:#b3261e}.shrank{color:#1f5fd0}img{max-width:100%;border:1px solid #ddd}small{color:#666}
</style></head><body>
<h2>{{.Title}}</h2>
<table><tr><th></th><th class="n">before</th><th class="n">after</th><th class="n">change</th></tr>
{{range .Headline}}<tr><td>{{.What}}</td><td class="n">{{.Before}}</td><td class="n">{{.After}}</td><td class="n">{{.Change}}</td></tr>
{{end}}</table>
{{$unit := .Unit}}
{{range .Tables}}{{if .Rows}}<h3>{{.Title}}</h3>
<table><tr><th>function</th><th class="n">before</th><th class="n">after</th><th class="n">change</th><th class="n">cum change</th>{{if $.Runs}}<th class="n">across the runs</th>{{end}}</tr>
{{range .Rows}}<tr><td><code>{{.Name}}</code></td><td class="n">{{value .BaseFlat $unit}}</td><td class="n">{{value .Flat $unit}}</td>
<td class="n {{if gt .FlatDelta 0}}grew{{else}}shrank{{end}}">{{signed .FlatDelta $unit}}</td><td class="n">{{signed .CumDelta $unit}}</td>{{if $.Runs}}<td class="n">{{rowsig .}}</td>{{end}}</tr>
{{end}}</table>{{end}}{{end}}
{{if .Findings}}<h3>What changed</h3><ol>
{{range .Findings}}<li><b>{{.Title}}</b> — {{.Sentence}} <a href="{{.Doc}}">Go docs</a></li>
{{end}}</ol>{{end}}
{{if .Image}}<p><img alt="differential flame graph: red grew, blue shrank" src="{{.Image}}"></p>{{end}}
<p><small>before: <code>{{.Before}}</code> · after: <code>{{.After}}</code> · compared with flamelens</small></p>
</body></html>
`))

// writeReportHTML writes r as one self-contained HTML page, the
// differential flame graph (PNG bytes, if any) inside it.
func writeReportHTML(w io.Writer, r *session.Report, png []byte) error {
	type table struct {
		Title string
		Rows  []session.ReportRow
	}
	data := struct {
		Title         string
		Unit          string
		Headline      []reportLine
		Tables        []table
		Findings      []insights.Finding
		Image         template.URL
		Before, After string
		Runs          bool
	}{
		Title: reportTitle(r),
		Unit:  r.Type.Unit, Headline: headline(r), Findings: r.Findings, Before: r.Before.Source, After: r.After.Source,
		Tables: []table{{"Largest regressions", r.Regressions}, {"Largest improvements", r.Improvements}},
		Runs:   r.Runs != nil,
	}
	if len(png) > 0 {
		data.Image = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	var buf bytes.Buffer
	page, err := reportPage.Clone()
	if err != nil {
		return err
	}
	page.Funcs(template.FuncMap{"rowsig": func(row session.ReportRow) string { return rowSignificance(r, row) }})
	if err := page.Execute(&buf, data); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
