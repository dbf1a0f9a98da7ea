package sessiontest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session"
)

// SessionCase is a saved session that every front end opens — the
// commands given it as SOURCE, the window by File > Open — and must show
// the same view of, with go tool pprof's numbers, or refuse with the same
// words.
type SessionCase struct {
	Name string
	// File is the session as saved, its paths names in the testdata
	// folder; Raw, when not "", is the file's text instead ("TESTDATA"
	// standing for the folder): what no window writes.
	File session.File
	Raw  string
	// Refused is what every front end says of the file, or "" when it
	// opens.
	Refused string
	// Pprof is the same view as go tool pprof's flags: its -top is the
	// session's function table, root-first; its insights the view's.
	Pprof Case
	// Sandwich is the function of the session's last step, a sandwich:
	// written as a pprof profile, its samples through the function.
	Sandwich string
}

// SessionCases is the table of saved sessions. dir is the testdata
// folder, as the test sees it.
func SessionCases(dir string) []SessionCase {
	const (
		before = "json-gogcoff.cpu.pprof"
		after  = "json-gogc10.cpu.pprof"
		object = "encoding/json.(*decodeState).object"
	)
	in := func(name string) string { return filepath.Join(dir, name) }
	ns := "nanoseconds"
	abs, err := filepath.Abs(dir)
	if err != nil {
		panic(err)
	}
	raw := func(text string) string { return strings.ReplaceAll(text, "TESTDATA", filepath.ToSlash(abs)) }
	return []SessionCase{
		{Name: "inverted comparison", File: session.File{Source: in(after), DiffBase: in(before), Inverted: true},
			Pprof: Case{File: in(after), DiffBase: in(before), Unit: ns}},
		{Name: "focused and inverted", File: session.File{Source: in(after), Inverted: true,
			Steps: []session.FileStep{{Kind: "filter", Filter: map[string]string{"focus": "Unmarshal"}}}},
			Pprof: Case{File: in(after), Filters: model.Filters{Focus: "Unmarshal"}, Unit: ns}},
		{Name: "sandwich last", File: session.File{Source: in("json.cpu.pprof"),
			Steps: []session.FileStep{{Kind: "sandwich", Func: object, Function: object}}},
			Pprof:    Case{File: in("json.cpu.pprof"), Filters: model.Filters{ShowFrom: "^" + regexp.QuoteMeta(object) + "$"}, Unit: ns},
			Sandwich: object},
		{Name: "sandwich of a comparison", File: session.File{Source: in(after), DiffBase: in(before),
			Steps: []session.FileStep{{Kind: "sandwich", Func: object, Function: object}}},
			Pprof:    Case{File: in(after), DiffBase: in(before), Filters: model.Filters{ShowFrom: "^" + regexp.QuoteMeta(object) + "$"}, Unit: ns},
			Sandwich: object},
		{Name: "bogus granularity", Raw: raw(`{"flamelens_session": 1, "source": "TESTDATA/` + after + `", "granularity": "bogus"}`),
			Refused: `unknown granularity "bogus"`},
		{Name: "unknown step", Raw: raw(`{"flamelens_session": 1, "source": "TESTDATA/` + after + `", "steps": [{"kind": "zoom"}]}`),
			Refused: `unknown kind "zoom"`},
		{Name: "unknown filter", Raw: raw(`{"flamelens_session": 1, "source": "TESTDATA/` + after + `", "steps": [{"kind": "filter", "filter": {"focs": "x"}}]}`),
			Refused: `unknown filter "focs"`},
	}
}

// Write saves the session in a new folder and returns its path.
func (c SessionCase) Write(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "case"+session.SessionExt)
	if c.Raw == "" {
		if err := c.File.WriteFile(path); err != nil {
			tb.Fatal(err)
		}
		return path
	}
	if err := os.WriteFile(path, []byte(c.Raw), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// CheckRefusal checks that a front end refused the session with the case's words.
func (c SessionCase) CheckRefusal(tb testing.TB, said string) {
	tb.Helper()
	if !strings.Contains(said, c.Refused) {
		tb.Errorf("said %q, want %q", said, c.Refused)
	}
}

// CheckProto checks a pprof profile a front end wrote of the session's
// view: go tool pprof -top on it is the view's own function table, a
// sandwich's the samples through its function (pprof's -show_from).
func (c SessionCase) CheckProto(tb testing.TB, data []byte) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "view.pb.gz")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	c.Pprof.CheckRows(tb, pproftest.Top(tb, path, c.Pprof.Unit))
}

// reportRow is a Markdown report's table row: | `name` | before | after | change | cum change |.
var reportRow = regexp.MustCompile("^\\| `([^`]+)` \\| [^|]+ \\| [^|]+ \\| ([^|]+) \\|")

// CheckReport checks a comparison's Markdown report (flamelens report,
// the window's Copy Comparison Summary): its largest regression and
// improvement are go tool pprof -top -diff_base's largest flat changes
// each way, with pprof's values, root-first whatever way the graph was
// drawn.
func (c SessionCase) CheckReport(tb testing.TB, markdown string) {
	tb.Helper()
	rep := pproftest.TopOf(tb, c.Pprof.Files(), c.Pprof.Unit, c.Pprof.Flags()...)
	var most, least pproftest.Row
	for _, r := range rep.Rows {
		if r.Flat > most.Flat {
			most = r
		}
		if r.Flat < least.Flat {
			least = r
		}
	}
	var firsts []string
	section := ""
	sc := bufio.NewScanner(strings.NewReader(markdown))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "**Largest") {
			section = line
		}
		if m := reportRow.FindStringSubmatch(line); m != nil && section != "" {
			firsts = append(firsts, m[1]+" "+strings.TrimSpace(m[2]))
			section = ""
		}
	}
	want := []string{signedRow(most, c.Pprof.Unit), signedRow(least, c.Pprof.Unit)}
	if strings.Join(firsts, "\n") != strings.Join(want, "\n") {
		tb.Errorf("the report's largest regression and improvement are\n%s\nwant pprof's\n%s\nin\n%s", strings.Join(firsts, "\n"), strings.Join(want, "\n"), markdown)
	}
}

func signedRow(r pproftest.Row, unit string) string {
	v := model.FormatValue(r.Flat, unit)
	if r.Flat > 0 {
		v = "+" + v
	}
	return model.EscapeControl(r.Name) + " " + v
}

// WantFindings are the insights of the session's view, root-first: what
// the session layer finds on the view pprof's flags describe.
func (c SessionCase) WantFindings(tb testing.TB) []insights.Finding {
	tb.Helper()
	p := c.Pprof
	l, _, err := session.Open(context.Background(), session.Source{Path: p.File, More: p.More, DiffBase: p.DiffBase, Base: p.Base, Normalize: p.Normalize})
	if err != nil {
		tb.Fatal(err)
	}
	idx, err := l.Info().SampleIndex(p.SampleIndex)
	if err != nil {
		tb.Fatal(err)
	}
	spec := session.Spec{SampleIndex: idx}
	if !p.Filters.IsZero() && c.Sandwich == "" {
		spec.Steps = []session.Step{{Kind: session.StepFilter, Filter: p.Filters}}
	}
	if c.Sandwich != "" {
		spec.Steps = []session.Step{{Kind: session.StepSandwich, Func: c.Sandwich, Function: c.Sandwich}}
	}
	findings, _, err := session.Insights(l, spec, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return findings
}

// CheckFindings checks a front end's findings of the session's view
// against WantFindings: the same rules, values and frames, in order.
func (c SessionCase) CheckFindings(tb testing.TB, got []insights.Finding) {
	tb.Helper()
	key := func(fs []insights.Finding) string {
		if len(fs) == 0 {
			return "none"
		}
		data, _ := json.Marshal(fs)
		return string(data)
	}
	if want := c.WantFindings(tb); key(got) != key(want) {
		tb.Errorf("findings\n%s\nwant, root-first,\n%s", key(got), key(want))
	}
}
