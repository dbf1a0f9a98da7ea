package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/google/pprof/profile"
)

// testdata is a file of the testdata folder.
func testdata(name string) string { return filepath.Join("..", "..", "testdata", name) }

// servedTestdata serves the testdata folder on 127.0.0.1, as a service
// serving profiles would, and returns its base URL.
func servedTestdata(t *testing.T) string {
	srv := httptest.NewServer(http.FileServer(http.Dir(testdata(""))))
	t.Cleanup(srv.Close)
	return srv.URL
}

// unitsProfile is a small CPU profile counted in unit (milliseconds,
// nanoseconds), its stacks and values chosen by seed.
func unitsProfile(t *testing.T, unit string, seed int64) string {
	t.Helper()
	fn := []*profile.Function{{ID: 1, Name: "main.main"}, {ID: 2, Name: "main.work"}, {ID: 3, Name: "main.other"}}
	loc := []*profile.Location{
		{ID: 1, Line: []profile.Line{{Function: fn[0]}}},
		{ID: 2, Line: []profile.Line{{Function: fn[1]}}},
		{ID: 3, Line: []profile.Line{{Function: fn[2]}}},
	}
	scale := int64(1)
	if unit == "nanoseconds" {
		scale = 1e6
	}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: unit}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: unit}, Period: 10 * scale,
		Function: fn, Location: loc,
		Sample: []*profile.Sample{
			{Location: []*profile.Location{loc[1], loc[0]}, Value: []int64{seed, seed * 10 * scale}},
			{Location: []*profile.Location{loc[2], loc[0]}, Value: []int64{seed + 3, (seed + 3) * 10 * scale}},
		},
	}
	path := filepath.Join(t.TempDir(), unit+".pprof")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkTop compares flamelens top's output with pprof's report.
func checkTop(t *testing.T, out string, want pproftest.Report) {
	t.Helper()
	got := parseTop(t, out)
	if len(got) != len(want.Rows) {
		t.Errorf("%d rows, pprof has %d", len(got), len(want.Rows))
	}
	for i := 0; i < len(got) && i < len(want.Rows); i++ {
		if got[i] != want.Rows[i] {
			t.Errorf("row %d: %+v, pprof %+v", i, got[i], want.Rows[i])
		}
	}
	if !strings.Contains(out, "# total: "+strconv.FormatInt(want.Total, 10)+"\n") {
		t.Errorf("total is not pprof's %d:\n%.400s", want.Total, out)
	}
}

func TestMergedSourcesPrintWhatPprofPrints(t *testing.T) {
	url := servedTestdata(t)
	cpus := []string{testdata("json.cpu.pprof"), testdata("json-gogc10.cpu.pprof"), testdata("json-gogcoff.cpu.pprof")}
	tests := []struct {
		name    string
		sources []string
		unit    string
		flags   []string
	}{
		{"three files", cpus, "nanoseconds", nil},
		{"three files, cum", cpus, "nanoseconds", []string{"-cum"}},
		{"three files focused", cpus, "nanoseconds", []string{"-focus=Unmarshal", "-hide=runtime"}},
		{"heap profiles by sample type", []string{testdata("json-gogc10.mem.pprof"), testdata("json-gogcoff.mem.pprof"), testdata("json.mem.pprof")}, "bytes", []string{"-sample_index=alloc_space"}},
		{"merged, then compared", cpus[:2], "nanoseconds", []string{"-diff_base=" + testdata("json-gogcoff.cpu.pprof")}},
		{"merged, then a base subtracted", cpus[1:], "nanoseconds", []string{"-base=" + testdata("json.cpu.pprof"), "-normalize"}},
		{"files and URLs", []string{url + "/json.cpu.pprof", testdata("json-gogc10.cpu.pprof"), url + "/json-gogcoff.cpu.pprof"}, "nanoseconds", nil},
		{"milliseconds and nanoseconds", []string{unitsProfile(t, "milliseconds", 2), unitsProfile(t, "nanoseconds", 5)}, "nanoseconds", []string{"-sample_index=cpu"}},
		{"at line granularity", cpus, "nanoseconds", []string{"-lines"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{"top", "-n", "0"}, tc.flags...), tc.sources...)
			out, errOut, code := runCLI(args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkTop(t, out, pproftest.TopOf(t, tc.sources, tc.unit, tc.flags...))
			if want := "# sources: " + strconv.Itoa(len(tc.sources)) + " sources\n"; !strings.Contains(out, want) {
				t.Errorf("header does not say %q:\n%.300s", want, out)
			}
		})
	}
}

func TestMergeGoesOnWithoutAFailedSource(t *testing.T) {
	url := servedTestdata(t)
	ok := []string{testdata("json.cpu.pprof"), url + "/json-gogc10.cpu.pprof"}
	missing, notFound := filepath.Join(t.TempDir(), "gone.pprof"), url+"/nothing.pprof"
	out, errOut, code := runCLI("top", "-n", "0", ok[0], missing, ok[1], notFound)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkTop(t, out, pproftest.TopOf(t, ok, "nanoseconds"))
	if !strings.Contains(out, "# sources: 2 of 4 sources\n") {
		t.Errorf("header does not say 2 of 4 sources:\n%.300s", out)
	}
	for _, failed := range []string{missing + ": no such file", "nothing.pprof"} {
		if !strings.Contains(errOut, failed) {
			t.Errorf("stderr does not name %q:\n%s", failed, errOut)
		}
	}
	// Each URL's progress is told as it is done.
	if !strings.Contains(errOut, "read "+ok[1]+" (") {
		t.Errorf("stderr does not tell of %s:\n%s", ok[1], errOut)
	}

	_, errOut, code = runCLI("top", missing, notFound)
	if code != 1 || !strings.Contains(errOut, "none of the 2 sources could be read") || !strings.Contains(errOut, missing) {
		t.Errorf("no source read: exit %d, %q", code, errOut)
	}
	_, errOut, code = runCLI("top", testdata("json.cpu.pprof"), testdata("json.mem.pprof"))
	if code != 1 || !strings.Contains(errOut, "merging json.cpu.pprof, json.mem.pprof") {
		t.Errorf("CPU and heap merged: exit %d, %q", code, errOut)
	}
}

func TestMergedSourcesAreLabelled(t *testing.T) {
	a, b := testdata("json-gogc10.cpu.pprof"), testdata("json-gogcoff.cpu.pprof")
	both, errOut, code := runCLI("top", "-n", "0", a, b)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Each source's samples, told apart by the source label, are its own.
	for _, file := range []string{a, b} {
		out, errOut, code := runCLI("top", "-n", "0", "-tagfocus=source="+filepath.Base(file), a, b)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		alone := pproftest.TopReport(t, file, "nanoseconds")
		got := parseTop(t, out)
		if len(got) != len(alone.Rows) || got[0] != alone.Rows[0] {
			t.Errorf("-tagfocus=source=%s: %d rows, first %+v; %s alone: %d rows, first %+v", filepath.Base(file), len(got), got[0], file, len(alone.Rows), alone.Rows[0])
		}
	}
	if both == "" {
		t.Fatal("no output")
	}
}
