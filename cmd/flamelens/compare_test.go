package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/runstats"
	"github.com/flamelens/flamelens/session"
	"github.com/google/pprof/profile"
)

// runSets are real runs of testdata/patterns' alloc pattern (garbage
// collection pressure), five a set: under GOGC=off, under GOGC=10, and
// two sets of the same program as it is. The sets' runs are interleaved
// (off 1, gc10 1, same 1, again 1, off 2, ...) so that the machine's
// drift falls on every set alike, as benchstat advises.
type runSets struct{ off, gc10, same, again string }

const runsPerSet = 5

func makeRunSets(t *testing.T) runSets {
	t.Helper()
	dir := t.TempDir()
	p := pproftest.BuildPatterns(t, dir)
	sets := runSets{filepath.Join(dir, "gogc-off"), filepath.Join(dir, "gogc-10"), filepath.Join(dir, "same"), filepath.Join(dir, "again")}
	envs := map[string][]string{sets.off: {"GOGC=off"}, sets.gc10: {"GOGC=10"}, sets.same: nil, sets.again: nil}
	work := filepath.Join(dir, "work")
	for i := range runsPerSet {
		for _, set := range []string{sets.off, sets.gc10, sets.same, sets.again} {
			p.RunIn(t, work, "alloc", []string{"-steps", "3000"}, envs[set]...)
			if err := os.MkdirAll(set, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(work, "cpu.pprof"), filepath.Join(set, fmt.Sprintf("run-%d.pprof", i+1))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return sets
}

func compareJSON(t *testing.T, args ...string) (output.RunsJSON, string, int) {
	t.Helper()
	out, errOut, code := runCLI(append([]string{"compare", "-format", "json"}, args...)...)
	var r output.RunsJSON
	if code == 0 || code == 1 && strings.HasPrefix(out, "{") {
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("compare %v: %v\n%s", args, err, out)
		}
	}
	return r, errOut, code
}

func TestCompareRealRuns(t *testing.T) {
	sets := makeRunSets(t)

	t.Run("same code: nothing significant, the gate passes", func(t *testing.T) {
		r, errOut, code := compareJSON(t, "-n", "0", "-max_regression", "2%", sets.same, sets.again)
		if code != 0 {
			t.Fatalf("exit %d under -max_regression 2%%: %s", code, errOut)
		}
		if !r.Tested || r.Before.Runs == nil || len(r.Before.Runs) != runsPerSet || len(r.After.Runs) != runsPerSet {
			t.Fatalf("runs: %+v %+v (tested %v)", r.Before, r.After, r.Tested)
		}
		for _, f := range r.Functions {
			if f.Significant {
				t.Errorf("%s is significant between two sets of the same code: %+v", f.Name, f)
			}
		}
		if r.Normalize != "seconds" || r.Unit != "nanoseconds/second" || r.Measure != "cum" {
			t.Errorf("a CPU profile is compared per second of profile, by cum: %s %s %s", r.Normalize, r.Unit, r.Measure)
		}
	})

	t.Run("GOGC=10 after GOGC=off: the collector grew, the gate fails", func(t *testing.T) {
		r, errOut, code := compareJSON(t, "-n", "0", "-max_regression", "2%", sets.off, sets.gc10)
		if code != 1 {
			t.Fatalf("exit %d, want 1 (the gate)", code)
		}
		grown := map[string]bool{}
		for _, f := range r.Functions {
			if f.Significant && f.After.Median > f.Before.Median {
				grown[f.Name] = true
			}
		}
		// The collector's own functions: marking (runtime.gcBgMarkWorker,
		// gcDrain, gcAssistAlloc, ...), sweeping and returning memory. Which
		// of them a short run catches depends on the cores free: on a busy
		// machine the background mark workers get little time.
		var gc []string
		for name := range grown {
			if isCollector(name) {
				gc = append(gc, name)
			}
		}
		if len(gc) < 2 {
			t.Errorf("the collector's functions are not found significantly grown: %v; grown: %v", gc, grown)
		}
		if !strings.Contains(errOut, "runtime.") || !strings.Contains(errOut, "past -max_regression 2%") {
			t.Errorf("the gate does not say what grew:\n%s", errOut)
		}
		// Sorted: the significant changes first, the largest first.
		for i := 1; i < len(r.Functions); i++ {
			a, b := r.Functions[i-1], r.Functions[i]
			if a.Significant == b.Significant && math.Abs(a.After.Median-a.Before.Median) < math.Abs(b.After.Median-b.Before.Median) || !a.Significant && b.Significant {
				t.Fatalf("%s before %s: not sorted by significance, then change", a.Name, b.Name)
			}
		}
	})

	t.Run("each run's values are go tool pprof -top's", func(t *testing.T) {
		for _, flags := range [][]string{nil, {"-focus=mallocgc"}, {"-ignore=gcBgMarkWorker", "-hide=runtime.systemstack"}} {
			args := append(append([]string{"-n", "0", "-normalize", "none"}, flags...), sets.off, sets.gc10)
			r, errOut, code := compareJSON(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", flags, code, errOut)
			}
			for side, set := range map[string]output.RunSetJSON{"before": r.Before, "after": r.After} {
				for i, run := range set.Runs {
					rep := pproftest.TopReport(t, run, "nanoseconds", flags...)
					cum, shown := map[string]float64{}, 0.0
					for _, row := range rep.Rows {
						cum[row.Name] += float64(row.Cum)
						shown += float64(row.Flat)
					}
					values := func(f output.ChangeJSON) []float64 {
						if side == "before" {
							return f.Before.Values
						}
						return f.After.Values
					}
					// The total is what the view shows: pprof's rows' flat summed.
					if got := values(r.Total)[i]; got != shown {
						t.Errorf("%v %s run %d: total %v, pprof shows %v", flags, side, i+1, got, shown)
					}
					seen := 0
					for _, f := range r.Functions {
						if got := values(f)[i]; got != cum[f.Name] {
							t.Errorf("%v %s run %d: %s cum %v, pprof %v", flags, side, i+1, f.Name, got, cum[f.Name])
						}
						if cum[f.Name] != 0 {
							seen++
						}
					}
					if seen != len(cum) {
						t.Errorf("%v %s run %d: %d functions with values, pprof lists %d", flags, side, i+1, seen, len(cum))
					}
				}
			}
		}
	})

	t.Run("normalized per second and as shares", func(t *testing.T) {
		none, _, _ := compareJSON(t, "-n", "0", "-normalize", "none", sets.same, sets.again)
		for _, tc := range []struct {
			normalize, unit string
			of              func(v float64, run string) float64
		}{
			{"seconds", "nanoseconds/second", func(v float64, run string) float64 { return v / durationOf(t, run).Seconds() }},
			{"total", "share", nil},
		} {
			r, errOut, code := compareJSON(t, "-n", "0", "-normalize", tc.normalize, sets.same, sets.again)
			if code != 0 || r.Unit != tc.unit {
				t.Fatalf("-normalize %s: exit %d, unit %q: %s", tc.normalize, code, r.Unit, errOut)
			}
			for i, run := range r.Before.Runs {
				total := none.Total.Before.Values[i]
				want := 1.0
				if tc.of != nil {
					want = tc.of(total, run)
				}
				if got := r.Total.Before.Values[i]; !nearly(got, want) {
					t.Errorf("-normalize %s: run %d's total %v, want %v", tc.normalize, i+1, got, want)
				}
			}
		}
	})

	t.Run("a report of two sets of runs", func(t *testing.T) {
		out, errOut, code := runCLI("report", "-format", "json", "-diff_base", sets.off, sets.gc10)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var r session.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		// The totals are each side's runs merged, as pprof merges them.
		runs := func(dir string) []string {
			paths, _ := filepath.Glob(filepath.Join(dir, "*.pprof"))
			return paths
		}
		if want := pproftest.TopOf(t, runs(sets.off), "nanoseconds").Total; r.Before.Total != want {
			t.Errorf("before: total %d, pprof's of the runs merged %d", r.Before.Total, want)
		}
		if want := pproftest.TopOf(t, runs(sets.gc10), "nanoseconds").Total; r.After.Total != want {
			t.Errorf("after: total %d, pprof's of the runs merged %d", r.After.Total, want)
		}
		// Whether the total held depends on the cores the collector found
		// free; the functions' changes do not.
		if r.Runs == nil || r.Runs.Before != runsPerSet || r.Runs.After != runsPerSet || !r.Runs.Tested || !r.Runs.Total.Tested && r.Runs.Total.P != 1 {
			t.Fatalf("runs: %+v", r.Runs)
		}
		c, _, _ := compareJSON(t, "-n", "0", sets.off, sets.gc10)
		if r.Runs.Total.P != c.Total.P || r.Runs.Total.After.Median != c.Total.After.Median {
			t.Errorf("the report's total %+v is not compare's %+v", r.Runs.Total, c.Total)
		}
		significant := 0
		for _, row := range append(r.Regressions, r.Improvements...) {
			if row.Stats == nil {
				t.Errorf("%s: no statistics", row.Name)
			} else if row.Stats.Significant {
				significant++
			}
		}
		if significant == 0 {
			t.Errorf("no row of the report changed significantly")
		}
		md, _, _ := runCLI("report", "-diff_base", sets.off, sets.gc10)
		if !strings.Contains(md, "significant across 5 + 5 runs (p=") && !strings.Contains(md, "within the noise floor across 5 + 5 runs") || !strings.Contains(md, "| median of the runs (5 before, 5 after) |") ||
			!strings.Contains(md, " across the runs |") {
			t.Errorf("the Markdown report does not give the statistics:\n%s", md)
		}
	})

	t.Run("the statistics are benchstat's", func(t *testing.T) {
		r, errOut, code := compareJSON(t, "-n", "0", sets.off, sets.gc10)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		checkBenchstat(t, append([]output.ChangeJSON{r.Total}, r.Functions...))
	})
}

// checkBenchstat writes each change's per-run values as Go benchmark
// results (a benchmark per function, a line per run), runs benchstat on
// them and compares its medians, intervals and p with the changes'.
func checkBenchstat(t *testing.T, changes []output.ChangeJSON) {
	t.Helper()
	dir := t.TempDir()
	benchstat := filepath.Join(dir, "benchstat")
	build := exec.Command(pproftest.GoTool(t), "build", "-o", benchstat, "golang.org/x/perf/cmd/benchstat")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building benchstat: %v\n%s", err, out)
	}
	var files [2]strings.Builder
	for _, f := range [2]*strings.Builder{&files[0], &files[1]} {
		f.WriteString("goos: linux\ngoarch: amd64\npkg: flamelens/runs\n")
	}
	for i, c := range changes {
		for side, values := range [2][]float64{c.Before.Values, c.After.Values} {
			for _, v := range values {
				// A unit benchstat does not know, so it keeps the values as
				// they are.
				fmt.Fprintf(&files[side], "BenchmarkF%d 1 %s value/run\n", i, strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
	}
	paths := [2]string{filepath.Join(dir, "before"), filepath.Join(dir, "after")}
	for i, p := range paths {
		if err := os.WriteFile(p, []byte(files[i].String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(benchstat, "-format", "csv", paths[0], paths[1]).Output()
	if err != nil {
		t.Fatalf("benchstat: %v", err)
	}
	reader := csv.NewReader(strings.NewReader(string(out)))
	reader.FieldsPerRecord = -1 // a table per unit, and its header lines
	records, err := reader.ReadAll()
	if err != nil {
		t.Fatalf("benchstat's CSV: %v\n%s", err, out)
	}
	checked := 0
	for _, rec := range records {
		if len(rec) < 7 || !strings.HasPrefix(rec[0], "F") {
			continue
		}
		i, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSuffix(rec[0], "-2"), "F"))
		if err != nil || i >= len(changes) {
			t.Fatalf("benchstat row %q", rec)
		}
		c := changes[i]
		for side, s := range []struct {
			median, ci string
			sum        session.RunSummary
		}{{rec[1], rec[2], c.Before}, {rec[3], rec[4], c.After}} {
			median, err := strconv.ParseFloat(s.median, 64)
			if err != nil || !nearly(median, s.sum.Median) {
				t.Errorf("%s side %d: benchstat median %s, flamelens %v", c.Name, side, s.median, s.sum.Median)
			}
			want := summaryOf(s.sum).RangeString()
			if s.ci != want {
				t.Errorf("%s side %d: benchstat interval ±%s, flamelens ±%s", c.Name, side, s.ci, want)
			}
		}
		if p := strings.Fields(rec[6]); len(p) > 0 && strings.HasPrefix(p[0], "p=") {
			if got := strconv.FormatFloat(c.P, 'f', 3, 64); p[0] != "p="+got && c.Tested {
				t.Errorf("%s: benchstat %s, flamelens p=%s", c.Name, p[0], got)
			}
		}
		checked++
	}
	if checked != len(changes) {
		t.Errorf("benchstat gave %d rows for %d changes:\n%s", checked, len(changes), out)
	}
}

func summaryOf(s session.RunSummary) runstats.Summary {
	sum := runstats.Summary{Median: s.Median, N: s.N, Lo: math.Inf(-1), Hi: math.Inf(1)}
	if s.Lo != nil {
		sum.Lo = *s.Lo
	}
	if s.Hi != nil {
		sum.Hi = *s.Hi
	}
	return sum
}

func nearly(a, b float64) bool {
	return math.Abs(a-b) <= 1e-3*math.Max(math.Abs(a), math.Abs(b)) || math.Abs(a-b) < 1e-6
}

// Bad input: one clear line each; a run that fails is named and left out,
// the others compared.
func TestCompareBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	runs := filepath.Join(dir, "runs")
	for _, d := range []string{empty, runs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pproftest.CopyTestdata(t, runs, "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof", "json.cpu.pprof")
	if err := os.WriteFile(filepath.Join(runs, "broken.pprof"), []byte("garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(runs, "README.md"), []byte("# not a run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mem := testdata("json.mem.pprof")
	cpu := testdata("json.cpu.pprof")
	micro := filepath.Join(dir, "micro.pprof")
	writeInUnit(t, cpu, micro, "microseconds")

	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		want     string // the one line on stderr
		wantLine int    // lines on stderr
	}{
		{"empty folder", []string{empty, runs}, 1, "flamelens: BEFORE: " + empty + " has no profiles", 1},
		{"glob matches nothing", []string{filepath.Join(dir, "nothing-*.pprof"), runs}, 1, "flamelens: BEFORE: no file matches", 1},
		{"no run reads", []string{runs, filepath.Join(runs, "broken.pprof")}, 1, "flamelens: AFTER: no run could be read: " + filepath.Join(runs, "broken.pprof") + ": not a pprof profile", 1},
		{"different sample types", []string{runs, mem}, 1, "runs compared must be of one sample type (-sample_index)", 2},
		{"mixed units", []string{cpu + "," + micro, runs}, 1, "in microseconds: runs compared must be in one unit", 2},
		{"one argument", []string{runs}, 2, "flamelens: compare: BEFORE and SOURCE expected", 1},
		{"bad -normalize", []string{"-normalize", "bogus", runs, runs}, 2, `flamelens: -normalize "bogus": none, seconds or total`, 1},
		{"bad -format", []string{"-format", "csv", runs, runs}, 2, `flamelens: compare: unknown -format "csv" (known: text, markdown, json)`, 1},
		{"bad -max_regression", []string{"-max_regression", "lots", runs, runs}, 2, "flamelens: compare: invalid value \"lots\" for flag -max_regression", 1},
		{"bad regexp", []string{"-focus", "(", runs, runs}, 1, `-focus "(": missing closing )`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(append([]string{"compare"}, tc.args...)...)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			// A broken run among others is a warning of its own.
			var said []string
			for _, l := range lines {
				if !strings.Contains(l, "broken.pprof") || !strings.Contains(l, "warning") {
					said = append(said, l)
				}
			}
			if code != tc.code || !strings.Contains(errOut, tc.want) || len(said) > tc.wantLine {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}

	// A run that fails is named, left out and not counted.
	out, errOut, code := runCLI("compare", "-n", "3", runs, runs)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: BEFORE: "+filepath.Join(runs, "broken.pprof")) || !strings.Contains(errOut, "left out; 3 of 4 runs read") {
		t.Errorf("the broken run is not named on stderr:\n%s", errOut)
	}
	if !strings.Contains(out, "(3 before, 3 after)") || !strings.Contains(out, "# before: left out: "+filepath.Join(runs, "broken.pprof")) {
		t.Errorf("the table does not say what it compared:\n%s", out)
	}
	if strings.Contains(out, "README") || strings.Contains(errOut, "README") {
		t.Errorf("a folder's runs are its profiles, not its README:\n%s\n%s", out, errOut)
	}

	// Fewer than 3 runs: medians, and why nothing is tested.
	out, _, code = runCLI("compare", "-n", "3", cpu, testdata("json-gogc10.cpu.pprof"))
	if code != 0 || !strings.Contains(out, "significance needs 3+ runs on each side: medians only") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	_, errOut, code = runCLI("compare", "-max_regression", "2%", cpu, testdata("json-gogc10.cpu.pprof"))
	if code != 1 || !strings.Contains(errOut, "-max_regression needs 3+ runs on each side") {
		t.Errorf("a gate with nothing tested passes: exit %d: %s", code, errOut)
	}
}

// readProfile parses the profile at path.
func readProfile(t *testing.T, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writeInUnit writes src's profile with its CPU sample type in another unit.
func writeInUnit(t *testing.T, src, dst, unit string) {
	t.Helper()
	p := readProfile(t, src)
	for _, st := range p.SampleType {
		if st.Type == "cpu" {
			st.Unit = unit
		}
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := p.Write(out); err != nil {
		t.Fatal(err)
	}
}

// durationOf is a profile's duration, as it says.
func durationOf(t *testing.T, path string) time.Duration {
	t.Helper()
	return time.Duration(readProfile(t, path).DurationNanos)
}

// -runs N captures a URL N times, one capture after another.
func TestCompareCapturesURLRuns(t *testing.T) {
	var mu sync.Mutex
	inFlight, most, served := 0, 0, 0
	data, err := os.ReadFile(testdata("json.cpu.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		served++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		w.Write(data)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	defer srv.Close()
	url := srv.URL + "/debug/pprof/profile?seconds=1"
	r, errOut, code := compareJSON(t, "-runs", "3", "-normalize", "none", url, testdata("json.cpu.pprof"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(r.Before.Runs) != 3 || served != 3 || most != 1 {
		t.Errorf("%d runs, %d captures served, %d at once: want 3, 3, 1", len(r.Before.Runs), served, most)
	}
	if len(r.After.Runs) != 1 || r.Tested {
		t.Errorf("a file is one run, whatever -runs says: %d (tested %v)", len(r.After.Runs), r.Tested)
	}
}

// isCollector reports whether a runtime function is the garbage
// collector's: marking, sweeping, or giving memory back.
func isCollector(name string) bool {
	for _, prefix := range []string{"runtime.gc", "runtime.bgsweep", "runtime.sweepone", "runtime.(*sweepLocked)", "runtime.bgscavenge",
		"runtime.(*scavengerState)", "runtime.(*pageAlloc).scavenge", "runtime.freeSomeWbufs", "runtime.scanobject", "runtime.markroot",
		"runtime.(*gcWork)", "runtime.greyobject", "runtime.deductSweepCredit"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}
