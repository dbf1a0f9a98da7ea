package output_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/session"
	"github.com/google/pprof/profile"
)

func open(t *testing.T, src session.Source) (session.Loaded, session.Spec) {
	t.Helper()
	l, _, err := session.Open(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := l.Info().SampleIndex("")
	if err != nil {
		t.Fatal(err)
	}
	return l, session.Spec{SampleIndex: idx}
}

func write(t *testing.T, name string, l session.Loaded, spec session.Spec, opt output.Options) []byte {
	t.Helper()
	f, err := output.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := output.Write(&buf, f, l, spec, opt); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if buf.Len() == 0 {
		t.Fatalf("%s: nothing written", name)
	}
	return buf.Bytes()
}

func TestForPathPicksTheLongestExtension(t *testing.T) {
	for path, want := range map[string]string{
		"cpu.svg": "svg", "cpu.PNG": "png", "view.pb.gz": "proto", "view.pprof": "proto", "page.html": "html",
		"pr.report.html": "report-html", "pr.md": "report", "x.insights.json": "insights-json", "stacks.folded": "folded",
	} {
		f, ok := output.ForPath(path)
		if !ok || f.Name != want {
			t.Errorf("ForPath(%q) = %v, want %s", path, f, want)
		}
	}
	if f, ok := output.ForPath("pr.report.html", "svg", "png", "html", "proto"); !ok || f.Name != "html" {
		t.Errorf("among the window's formats, a .report.html is %v, want html", f)
	}
	if _, ok := output.ForPath("cpu.jpeg"); ok {
		t.Error("a .jpeg has a format")
	}
	if _, err := output.Lookup("gif"); err == nil || !strings.Contains(err.Error(), "folded, svg, png") {
		t.Errorf("Lookup(gif): %v", err)
	}
}

// TestEveryFormatWrites writes a profile and a comparison in every format
// of the table; where go tool pprof has the same thing, its numbers.
func TestEveryFormatWrites(t *testing.T) {
	const file, base = "../testdata/json-gogc10.cpu.pprof", "../testdata/json-gogcoff.cpu.pprof"
	l, spec := open(t, session.Source{Path: file})
	c, cspec := open(t, session.Source{Path: file, DiffBase: base})
	for _, f := range output.Formats {
		t.Run(f.Name, func(t *testing.T) {
			l, spec := l, spec
			if f.Comparison {
				l, spec = c, cspec
				// One profile is refused with what to give.
				var buf bytes.Buffer
				if err := output.Write(&buf, &f, openOne(t, file), spec, output.Options{}); err == nil || !strings.Contains(err.Error(), "-diff_base") {
					t.Errorf("a report of one profile: %v", err)
				}
			}
			var opt output.Options
			if f.Name == "list" || f.Name == "disasm" {
				opt = output.Options{Functions: regexp.MustCompile(`decodeState\)\.object$`), Sources: &session.Sources{}}
			}
			if f.Name == "disasm" {
				// This profile's program is not at hand: what is missing is said.
				var buf bytes.Buffer
				if err := output.Write(&buf, &f, l, spec, opt); err == nil || !strings.Contains(err.Error(), "profiled program") {
					t.Errorf("disasm without its program: %v", err)
				}
				return // the disasm command's tests hold it to pprof's, on a program built for them
			}
			data := write(t, f.Name, l, spec, opt)
			if f.Graph != output.GraphNo {
				write(t, f.Name, l, spec, output.Options{Graph: true})
			}
			switch f.Name {
			case "folded":
				if got, want := foldedTotal(t, data), pproftest.TopReport(t, file, "nanoseconds").Total; got != want {
					t.Errorf("folded stacks sum to %d, pprof's total %d", got, want)
				}
			case "png":
				if _, err := png.Decode(bytes.NewReader(data)); err != nil {
					t.Error(err)
				}
			case "proto":
				path := filepath.Join(t.TempDir(), "view.pb.gz")
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				got, want := pproftest.Top(t, path, "nanoseconds"), pproftest.Top(t, file, "nanoseconds")
				if len(got) != len(want) || got[0] != want[0] {
					t.Errorf("pprof reads %d functions back, first %+v; want %d, %+v", len(got), got[0], len(want), want[0])
				}
			case "top":
				if want := pproftest.Top(t, file, "nanoseconds")[0]; !strings.Contains(string(data), strconv.FormatInt(want.Flat, 10)+"\t") {
					t.Errorf("top lacks pprof's first row %+v:\n%.400s", want, data)
				}
			case "report-json", "insights-json":
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					t.Error(err)
				}
			case "list":
				if !strings.Contains(string(data), "ROUTINE ======================== encoding/json.(*decodeState).object in ") {
					t.Errorf("list:\n%.600s", data)
				}
			case "report":
				if !strings.Contains(string(data), "**Largest regressions**") {
					t.Errorf("report:\n%s", data)
				}
			}
		})
	}
}

func openOne(t *testing.T, file string) session.Loaded {
	l, _ := open(t, session.Source{Path: file})
	return l
}

// foldedTotal sums the values of folded stacks.
func foldedTotal(t *testing.T, data []byte) int64 {
	var total int64
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue // the header says how names are escaped
		}
		v, err := strconv.ParseInt(line[strings.LastIndexByte(line, ' ')+1:], 10, 64)
		if err != nil {
			t.Fatalf("folded line %q: %v", line, err)
		}
		total += v
	}
	return total
}

// TestInvertedViewsWriteRootFirst: a report, insights and a pprof profile
// of an inverted view are those of the view root-first; a picture is
// drawn inverted.
func TestInvertedViewsWriteRootFirst(t *testing.T) {
	c, spec := open(t, session.Source{Path: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"})
	inverted := spec
	inverted.Inverted = true
	for _, name := range []string{"report", "report-json", "insights", "insights-json", "proto", "top"} {
		if got, want := write(t, name, c, inverted, output.Options{}), write(t, name, c, spec, output.Options{}); !bytes.Equal(got, want) {
			t.Errorf("%s of the inverted view differs from the view's", name)
		}
	}
	if bytes.Equal(write(t, "svg", c, inverted, output.Options{}), write(t, "svg", c, spec, output.Options{})) {
		t.Error("the inverted flame graph is drawn as the upright one")
	}
}

// A sandwich is written as pprof writes -show_from: the samples through
// the function, from it down.
func TestSandwichWritesTheSamplesThroughItsFunction(t *testing.T) {
	const file, fn = "../testdata/json.cpu.pprof", "encoding/json.(*decodeState).object"
	l, spec := open(t, session.Source{Path: file})
	spec.Steps = []session.Step{{Kind: session.StepSandwich, Func: fn, Function: fn}}
	path := filepath.Join(t.TempDir(), "sandwich.pb.gz")
	if err := os.WriteFile(path, write(t, "proto", l, spec, output.Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	got := pproftest.Top(t, path, "nanoseconds")
	want := pproftest.Top(t, file, "nanoseconds", `-show_from=^encoding/json\.\(\*decodeState\)\.object$`)
	if len(got) != len(want) {
		t.Fatalf("%d functions, pprof -show_from %d", len(got), len(want))
	}
	for i := range got {
		// Written from its stacks, the profile keeps no inline marks.
		if g, w := got[i], want[i]; g.Name != w.Name || g.Flat != w.Flat || g.Cum != w.Cum {
			t.Errorf("row %d: %+v, pprof %+v", i, g, w)
		}
	}
}

// The titles say what a picture is of.
func TestTitle(t *testing.T) {
	tree := &model.Tree{SampleType: model.SampleType{Name: "cpu", Unit: "nanoseconds"}, AbsTotal: 1.5e9}
	for _, tc := range []struct {
		src  output.Sources
		diff bool
		want string
	}{
		{output.Sources{New: "cpu.pprof"}, false, "cpu.pprof — cpu — total 1.5s"},
		{output.Sources{New: "new.pprof", Base: "old.pprof"}, true, "new.pprof vs old.pprof — cpu — red grew, blue shrank"},
		{output.Sources{New: "new.pprof", Base: "old.pprof"}, false, "new.pprof vs old.pprof — cpu"},
	} {
		if got := output.Title(tree, tc.src, tc.diff); got != tc.want {
			t.Errorf("Title = %q, want %q", got, tc.want)
		}
	}
}

// Top of a profile with no samples is a header that says so.
func TestTopOfNoSamples(t *testing.T) {
	p := model.NewProfile("hand-made", "", &profile.Profile{SampleType: []*profile.ValueType{{Type: "cpu", Unit: "nanoseconds"}}})
	s, err := model.CollectStacks(p, 0, model.Functions)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := output.WriteTop(&out, &p.Info, s, output.TopOptions{}); err != nil || !strings.Contains(out.String(), "# showing 0 of 0 functions") {
		t.Errorf("top of an empty profile: %v\n%s", err, out.String())
	}
}

// A report's picture is the comparison's differential flame graph as an
// export draws it, from the one derivation that gave the report its
// numbers: the HTML page's image, the Markdown report's image file and a
// PNG export of the same comparison at the report's size are one picture.
func TestReportPictureIsTheComparisonsFlameGraph(t *testing.T) {
	l, spec := open(t, session.Source{Path: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"})
	page := string(write(t, "report-html", l, spec, output.Options{}))
	m := regexp.MustCompile(`data:image/png;base64,([^"]+)`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no picture")
	}
	inPage, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	var inFile []byte
	md := string(write(t, "report", l, spec, output.Options{ImageFile: func(png []byte) (string, error) { inFile = png; return "report.png", nil }}))
	if !strings.Contains(md, "report.png") {
		t.Errorf("the Markdown report does not show its picture:\n%s", md)
	}
	exported := write(t, "png", l, spec, output.Options{Width: output.ReportWidth, Height: output.ReportHeight})
	if !bytes.Equal(inPage, exported) || !bytes.Equal(inFile, exported) {
		t.Errorf("the report's pictures (%d and %d bytes) are not the comparison's flame graph (%d bytes)", len(inPage), len(inFile), len(exported))
	}
}
