package output

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/runstats"
	"github.com/flamelens/flamelens/session"
)

// RunsFormats are the formats a comparison of runs is written in.
var RunsFormats = []string{"text", "markdown", "json"}

// WriteRuns writes the comparison of two sets of runs in format (one of
// RunsFormats): the total, then the first n functions (0: all) in
// runstats.SortBySignificance's order.
func WriteRuns(w io.Writer, c *session.RunsComparison, format string, n int) error {
	funcs := c.Result.Funcs
	if n > 0 && n < len(funcs) {
		funcs = funcs[:n]
	}
	switch format {
	case "json":
		return writeJSON(w, runsJSON(c, funcs))
	case "markdown":
		return writeRunsMarkdown(w, c, funcs)
	}
	return writeRunsText(w, c, funcs)
}

// RunValue writes a normalized value of c for people: in the sample
// type's unit, per second ("350ms/s") or as a share ("12.50%").
func RunValue(c *session.RunsComparison, v float64) string {
	switch c.Normalize {
	case session.NormalizeTotal:
		return strconv.FormatFloat(v*100, 'f', 2, 64) + "%"
	case session.NormalizeSeconds:
		return runValue(v, c.Before.SampleType.Unit) + "/s"
	}
	return runValue(v, c.Before.SampleType.Unit)
}

// runValue writes v in unit as a table column does (times never past
// seconds: "200.40s/s", not "3.34mins/s"), trailing zeros dropped.
func runValue(v float64, unit string) string {
	n := int64(math.Round(v))
	s := model.NewColumn(n, unit).Format(n)
	if i := strings.IndexByte(s, '.'); i >= 0 && !strings.HasPrefix(s, "<") {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		digits := strings.TrimRight(s[i+1:j], "0")
		if digits == "" {
			s = s[:i] + s[j:]
		} else {
			s = s[:i+1] + digits + s[j:]
		}
	}
	return s
}

// runsNotes are the lines that say what the numbers are and how they were
// tested, for the text and Markdown headers.
func runsNotes(c *session.RunsComparison) []string {
	r := c.Result
	measure := "cum"
	if c.Options.Flat {
		measure = "flat"
	}
	per := map[session.Normalize]string{session.NormalizeSeconds: "per second of profile", session.NormalizeTotal: "as a share of each run's total",
		session.NormalizeNone: "per run"}[c.Normalize]
	notes := []string{
		fmt.Sprintf("%s, functions' %s, %s; medians of the runs (%d before, %d after) ± their %.0f%% confidence interval",
			c.Before.SampleType, measure, per, c.Before.Len(), c.After.Len(), r.Options.Confidence*100),
	}
	if !r.Enough {
		notes = append(notes, fmt.Sprintf("significance needs %d+ runs on each side: medians only, nothing tested", runstats.MinRuns))
	} else {
		notes = append(notes, fmt.Sprintf("p: Mann–Whitney U test (benchstat's); ~: no significant change (false discovery rate %.0f%%, Benjamini–Hochberg over the functions tested), or under the noise floor of %s of the total",
			r.Options.Alpha*100, strconv.FormatFloat(r.Options.Threshold*100, 'f', -1, 64)+"%"))
	}
	for _, side := range []struct {
		name string
		runs *session.Runs
	}{{"before", c.Before}, {"after", c.After}} {
		for _, f := range side.runs.Failed {
			notes = append(notes, fmt.Sprintf("%s: left out: %v", side.name, f.Err))
		}
	}
	return notes
}

// runsCells are a change's cells: before ± , after ±, change, share of
// the total, p and n.
func runsCells(c *session.RunsComparison, ch runstats.Change) []string {
	p := "-"
	if ch.Tested {
		p = strconv.FormatFloat(ch.P, 'f', 3, 64)
	}
	n := fmt.Sprintf("%d+%d", ch.Before.N, ch.After.N)
	if ch.Before.N == ch.After.N {
		n = strconv.Itoa(ch.Before.N)
	}
	return []string{
		RunValue(c, ch.Before.Median), "± " + ch.Before.RangeString(),
		RunValue(c, ch.After.Median), "± " + ch.After.RangeString(),
		ch.ChangeString(c.Result.Enough), fmt.Sprintf("%+.2f%%", ch.OfTotalPct), p, n,
	}
}

var runsHeader = []string{"before", "±", "after", "±", "change", "of total", "p", "n"}

func writeRunsText(w io.Writer, c *session.RunsComparison, funcs []runstats.Change) error {
	bw := bufio.NewWriter(w)
	for _, note := range runsNotes(c) {
		fmt.Fprintf(bw, "# %s\n", note)
	}
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(name string, cells []string) {
		fmt.Fprintf(tw, "%s\t  %s\n", strings.Join(cells, "\t"), name)
	}
	row("name", runsHeader)
	row("total", runsCells(c, c.Result.Total))
	for _, ch := range funcs {
		row(model.EscapeControl(ch.Name), runsCells(c, ch))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

func writeRunsMarkdown(w io.Writer, c *session.RunsComparison, funcs []runstats.Change) error {
	bw := bufio.NewWriter(w)
	t := c.Result.Total
	verdict := "no significant change"
	switch {
	case !c.Result.Enough:
		verdict = fmt.Sprintf("not tested: %d+ runs a side are needed", runstats.MinRuns)
	case t.Significant:
		verdict = "significant"
	}
	fmt.Fprintf(bw, "### %s %s → %s (%s, %s)\n\n", c.Before.SampleType.Name, RunValue(c, t.Before.Median), RunValue(c, t.After.Median),
		t.ChangeString(c.Result.Enough), verdict)
	significant := 0
	for _, ch := range c.Result.Funcs {
		if ch.Significant {
			significant++
		}
	}
	if c.Result.Enough {
		fmt.Fprintf(bw, "%d of %d functions changed significantly.\n\n", significant, len(c.Result.Funcs))
	}
	for _, note := range runsNotes(c) {
		fmt.Fprintf(bw, "- %s\n", note)
	}
	fmt.Fprintf(bw, "\n| function | before | after | change | of total | p | n |\n|---|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, ch runstats.Change) {
		cells := runsCells(c, ch)
		mark := ""
		if ch.Significant {
			mark = " **"
		}
		fmt.Fprintf(bw, "| %s | %s %s | %s %s |%s%s%s | %s | %s | %s |\n", name, cells[0], cells[1], cells[2], cells[3],
			mark, cells[4], strings.TrimSpace(mark), cells[5], cells[6], cells[7])
	}
	row("**total**", t)
	for _, ch := range funcs {
		row("`"+mdEscape(ch.Name)+"`", ch)
	}
	return bw.Flush()
}

// RunsJSON is flamelens compare -format json.
type RunsJSON struct {
	SampleType   string  `json:"sample_type"`
	Unit         string  `json:"unit"`
	Measure      string  `json:"measure"`
	Normalize    string  `json:"normalize"`
	Alpha        float64 `json:"alpha"`
	Confidence   float64 `json:"confidence"`
	ThresholdPct float64 `json:"threshold_pct"`
	// Tested is false when a side has fewer than 3 runs: medians only.
	Tested    bool         `json:"tested"`
	Before    RunSetJSON   `json:"before"`
	After     RunSetJSON   `json:"after"`
	Total     ChangeJSON   `json:"total"`
	Functions []ChangeJSON `json:"functions"`
	Omitted   int          `json:"omitted"` // functions not listed (-n)
}

// RunSetJSON is one side's runs.
type RunSetJSON struct {
	Runs   []string     `json:"runs"`
	Failed []FailedJSON `json:"failed,omitempty"`
}

// FailedJSON is a run left out.
type FailedJSON struct {
	Source string `json:"source"`
	Error  string `json:"error"`
}

// ChangeJSON is the total's or a function's change: its statistics (each
// side's values given) and the change as a share of BEFORE's total.
type ChangeJSON struct {
	Name string `json:"name"`
	session.RunStats
	OfTotalPct float64 `json:"of_total_pct"`
}

func runsJSON(c *session.RunsComparison, funcs []runstats.Change) RunsJSON {
	r := c.Result
	out := RunsJSON{SampleType: c.Before.SampleType.String(), Unit: c.Unit, Measure: "cum", Normalize: string(c.Normalize),
		Alpha: r.Options.Alpha, Confidence: r.Options.Confidence, ThresholdPct: r.Options.Threshold * 100, Tested: r.Enough,
		Before: runSetJSON(c.Before), After: runSetJSON(c.After), Omitted: len(r.Funcs) - len(funcs)}
	if c.Options.Flat {
		out.Measure = "flat"
	}
	change := func(ch runstats.Change, before, after []float64) ChangeJSON {
		stats := session.StatsOf(ch)
		stats.Before.Values, stats.After.Values = before, after
		return ChangeJSON{Name: ch.Name, RunStats: stats, OfTotalPct: ch.OfTotalPct}
	}
	out.Total = change(r.Total, c.Values(c.Before, ""), c.Values(c.After, ""))
	out.Functions = make([]ChangeJSON, 0, len(funcs))
	for _, ch := range funcs {
		out.Functions = append(out.Functions, change(ch, c.Values(c.Before, ch.Name), c.Values(c.After, ch.Name)))
	}
	return out
}

func runSetJSON(r *session.Runs) RunSetJSON {
	out := RunSetJSON{Runs: r.Sources}
	for _, f := range r.Failed {
		out.Failed = append(out.Failed, FailedJSON{Source: f.Source, Error: f.Err.Error()})
	}
	return out
}
