package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// formatFixture is a file of model/testdata/formats: other profilers'
// files, most written by the real producers.
func formatFixture(name string) string {
	return filepath.Join("..", "..", "model", "testdata", "formats", name)
}

// formatFixtures are the fixtures with the unit of their default sample type.
var formatFixtures = map[string]string{
	"spin.perf.gz":         "nanoseconds",
	"multi.perf":           "nanoseconds",
	"fields.perf":          "nanoseconds",
	"nosperiod.perf":       "count",
	"odd.perf":             "count",
	"node.cpuprofile":      "microseconds",
	"chrome-trace.json":    "microseconds",
	"durations.trace.json": "nanoseconds",
	"node-trace.json.gz":   "nanoseconds",
	"two.speedscope.json":  "nanoseconds",
	"sigquit.txt":          "count",
}

func TestOtherFormatsOpenInEveryCommand(t *testing.T) {
	// Each format, read by every headless command; its numbers are
	// pprof's once written as a profile (export -format proto).
	dir := t.TempDir()
	for name, unit := range formatFixtures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			file := formatFixture(name)
			for _, args := range [][]string{
				{"traces"}, {"insights"}, {"find", "main"}, {"export", "-format", "svg", "-o", filepath.Join(dir, name+".svg")},
				{"export", "-o", filepath.Join(dir, name+".folded")}, {"report", "-diff_base", file},
			} {
				if _, errOut, code := runCLI(append(args, file)...); code != 0 {
					t.Errorf("flamelens %s: exit %d: %s", strings.Join(args, " "), code, errOut)
				}
			}
			proto := filepath.Join(dir, name+".pb.gz")
			if _, errOut, code := runCLI("export", "-format", "proto", "-o", proto, file); code != 0 {
				t.Fatalf("export -format proto: exit %d: %s", code, errOut)
			}
			out, errOut, code := runCLI("top", "-n", "0", file)
			if code != 0 {
				t.Fatalf("top: exit %d: %s", code, errOut)
			}
			got, want := parseTop(t, out), pproftest.Top(t, proto, unit)
			if len(got) != len(want) {
				t.Errorf("%d rows, pprof has %d", len(got), len(want))
			}
			for i := 0; i < len(got) && i < len(want); i++ {
				g := got[i]
				if strings.ContainsAny(g.Name, "<(") {
					// pprof -top drops C++ template and argument brackets
					// ("std::vector::push_back", "<module>" as "<unknown>");
					// flamelens keeps the name as the profiler wrote it.
					g.Name = want[i].Name
				}
				if g != want[i] {
					t.Errorf("row %d: %+v, pprof %+v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestPerfScriptFrameOptions(t *testing.T) {
	// stackcollapse-perf's --pid and --tid: -tagroot=pid,tid puts them
	// above the command; --addrs: -addresses keeps each frame's address.
	file := formatFixture("odd.perf")
	out, errOut, code := runCLI("top", "-n", "0", "-tagroot", "pid,tid", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := parseTop(t, out)
	for name, cum := range map[string]int64{"6000": 2_000_000, "6001": 1_000_000, "4100": 500_000, "4107": 500_000, "myapp": 2_000_000} {
		if !hasRow(rows, name, cum) {
			t.Errorf("-tagroot=pid,tid: no row %s with cum %d:\n%s", name, cum, out)
		}
	}
	out, _, _ = runCLI("top", "-n", "1", "-addresses", file)
	if !strings.Contains(out, "\t00000000004a2b3c main.(*Server).handle\n") {
		t.Errorf("-addresses:\n%s", out)
	}
	// Waits are numbers: -tagfocus takes a range.
	out, _, _ = runCLI("top", "-tagfocus", "wait=3minutes:", formatFixture("sigquit.txt"))
	if !strings.Contains(out, "# shown: 3 (60.00% of total)") {
		t.Errorf("-tagfocus=wait=3minutes: keeps the three goroutines waiting 3 minutes or more:\n%s", out)
	}
}

func TestGoroutineDumpsGroupAndCompare(t *testing.T) {
	// Two dumps of a program that leaks: 5 goroutines blocked, then 50.
	dir := t.TempDir()
	prog := pproftest.BuildPatterns(t, dir)
	before, after := filepath.Join(dir, "before"), filepath.Join(dir, "after")
	prog.RunIn(t, before, "leak", []string{"-for", "10ms", "-leaks", "5"})
	prog.RunIn(t, after, "leak", []string{"-for", "10ms", "-leaks", "50"})
	dumpBefore, dumpAfter := filepath.Join(before, "goroutines.txt"), filepath.Join(after, "goroutines.txt")

	out, errOut, code := runCLI("top", "-n", "0", "-diff_base", dumpBefore, dumpAfter)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var grew bool
	for _, r := range parseTop(t, out) {
		if r.Name == "main.awaitReply" {
			grew = r.Flat == 45 && r.Cum == 45
		}
	}
	if !grew {
		t.Errorf("the leaking stack does not show as grown by 45:\n%s", out)
	}

	// Grouped by state: the leaked goroutines wait in "chan receive".
	out, errOut, code = runCLI("top", "-n", "0", "-tagroot", "state", dumpAfter)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if rows := parseTop(t, out); !hasRow(rows, "chan receive", 50) || !hasRow(rows, "running", 1) {
		t.Errorf("-tagroot=state:\n%s", out)
	}
	// Filtered by wait: -tagfocus on the numeric label.
	out, _, _ = runCLI("top", "-n", "0", "-tagfocus", "wait=0minutes", "-focus", "awaitReply", dumpAfter)
	if !strings.Contains(out, "# shown: 50 ") {
		t.Errorf("-tagfocus=wait=0minutes -focus=awaitReply:\n%s", out)
	}
}

func TestGoroutineLeakProfile(t *testing.T) {
	// Go 1.26's goroutineleak profile (GOEXPERIMENT=goroutineleakprofile):
	// the goroutines the collector proved blocked forever.
	dir := t.TempDir()
	prog := pproftest.BuildPatterns(t, dir, "GOEXPERIMENT=goroutineleakprofile")
	prog.RunIn(t, filepath.Join(dir, "run"), "leak", []string{"-for", "10ms", "-leaks", "12"})
	leaks := filepath.Join(dir, "run", "goroutineleak.pprof")
	out, errOut, code := runCLI("insights", leaks)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"# type: goroutineleak\n", "Leaked goroutines — 12", "12 leaked goroutines (100.00%) wait forever at main.awaitReply"} {
		if !strings.Contains(out, want) {
			t.Errorf("insights do not say %q:\n%s", want, out)
		}
	}
}

func hasRow(rows []pproftest.Row, name string, cum int64) bool {
	for _, r := range rows {
		if r.Name == name && r.Cum == cum {
			return true
		}
	}
	return false
}

// parkedForTest blocks until release is closed: the goroutines a dump of
// this test process must count.
func parkedForTest(release chan struct{}, started *sync.WaitGroup) {
	started.Done()
	<-release
}

func TestGoroutineDumpFromAURL(t *testing.T) {
	// net/http/pprof serving this very process: ?debug=2 is the dump.
	mux := http.NewServeMux()
	mux.Handle("/debug/pprof/goroutine", pprof.Handler("goroutine"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	release := make(chan struct{})
	defer close(release)
	var started sync.WaitGroup
	started.Add(30)
	for range 30 {
		go parkedForTest(release, &started)
	}
	started.Wait()
	runtime.Gosched()

	t.Setenv("PPROF_TMPDIR", t.TempDir()) // where fetched profiles are kept
	out, errOut, code := runCLI("top", "-n", "0", "-focus", "parkedForTest", srv.URL+"/debug/pprof/goroutine?debug=2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if rows := parseTop(t, out); !hasRow(rows, "github.com/flamelens/flamelens/cmd/flamelens.parkedForTest", 30) || !strings.Contains(out, "# type: goroutine\n") {
		t.Errorf("the dump fetched:\n%s", out)
	}
}
