package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// TestMain lets a test run this binary's main in a child process, to see
// its real exit code and stderr.
func TestMain(m *testing.M) {
	if os.Getenv("FLAMELENS_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func runCLI(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// parseTop reads flamelens top's rows back.
func parseTop(t *testing.T, out string) []pproftest.Row {
	t.Helper()
	var rows []pproftest.Row
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 5)
		if len(f) != 5 {
			t.Fatalf("row %q does not have 5 tab-separated fields", line)
		}
		flat, err1 := strconv.ParseInt(f[0], 10, 64)
		cum, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("row %q: flat or cum is not an integer", line)
		}
		name, mark := pproftest.SplitMark(f[4])
		rows = append(rows, pproftest.Row{Name: name, Mark: mark, Flat: flat, Cum: cum})
	}
	return rows
}

func TestTopPrintsWhatPprofPrints(t *testing.T) {
	tests := []struct {
		file, sampleIndex, unit string
		cum                     bool
		granularity             string // a pprof flag's name: lines, files, …
	}{
		{"json.cpu.pprof", "", "nanoseconds", false, ""},
		{"json.cpu.pprof", "samples", "count", false, ""},
		{"json.cpu.pprof", "1", "nanoseconds", true, ""},
		{"json.mem.pprof", "alloc_objects", "count", false, ""},
		{"json.mem.pprof", "alloc_space", "bytes", true, ""},
		{"json.mem.pprof", "inuse_objects", "count", false, ""},
		{"json.mem.pprof", "inuse_space", "bytes", false, ""},
		{"sort.cpu.pprof", "cpu", "nanoseconds", true, ""},
		{"json.cpu.pprof", "", "nanoseconds", false, "lines"},
		{"json.cpu.pprof", "", "nanoseconds", true, "filefunctions"},
		{"json.mem.pprof", "alloc_space", "bytes", false, "addresses"},
		{"json.mem.pprof", "inuse_space", "bytes", true, "lines"},
	}
	for _, tc := range tests {
		name := tc.file + "/" + tc.sampleIndex
		if tc.cum {
			name += "/cum"
		}
		if tc.granularity != "" {
			name += "/" + tc.granularity
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join("..", "..", "testdata", tc.file)
			args := []string{"top", "-n", "0"}
			var pprofFlags []string
			if tc.sampleIndex != "" {
				args = append(args, "-sample_index", tc.sampleIndex)
				pprofFlags = append(pprofFlags, "-sample_index="+tc.sampleIndex)
			}
			if tc.cum {
				args = append(args, "-cum")
				pprofFlags = append(pprofFlags, "-cum")
			}
			if tc.granularity != "" {
				args = append(args, "-"+tc.granularity)
				pprofFlags = append(pprofFlags, "-"+tc.granularity)
			}
			out, errOut, code := runCLI(append(args, file)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got := parseTop(t, out)
			want := pproftest.Top(t, file, tc.unit, pprofFlags...)
			if len(got) != len(want) {
				t.Errorf("%d rows, pprof has %d", len(got), len(want))
			}
			for i := 0; i < len(got) && i < len(want); i++ {
				if got[i] != want[i] {
					t.Errorf("row %d: %+v, pprof %+v", i, got[i], want[i])
				}
			}
			if !strings.Contains(out, "# unit: "+tc.unit+"\n") {
				t.Errorf("header does not name the unit %s:\n%s", tc.unit, out[:200])
			}
		})
	}
}

func TestTopHeaderAndLimit(t *testing.T) {
	out, errOut, code := runCLI("top", "../../testdata/json.cpu.pprof")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"# file: ../../testdata/json.cpu.pprof\n",
		"# type: cpu\n",
		"# unit: nanoseconds\n",
		"# duration: 10.878s\n",
		"# total: 21220000000\n",
		"# flat\tflat%\tcum\tcum%\tname\n",
		"1410000000\t6.64%\t1410000000\t6.64%\truntime.memmove\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if rows := parseTop(t, out); len(rows) != 20 {
		t.Errorf("default -n printed %d rows, want 20", len(rows))
	}
	out, _, _ = runCLI("top", "-n", "3", "../../testdata/json.cpu.pprof")
	if rows := parseTop(t, out); len(rows) != 3 {
		t.Errorf("-n 3 printed %d rows", len(rows))
	}
}

func TestExportFoldedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	folded := filepath.Join(dir, "json.folded")
	_, errOut, code := runCLI("export", "-format", "folded", "-sample_index", "cpu", "-o", folded, "../../testdata/json.cpu.pprof")
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(folded)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(string(data), "\n", 3)[1] // after the header
	if !strings.HasPrefix(first, "testing.(*B).") || !strings.Contains(first, ";") {
		t.Errorf("first line %q is not a root-first folded stack", first)
	}

	// The exported stacks read back give the same per-function numbers as
	// pprof gives for the original profile.
	out, errOut, code := runCLI("top", "-n", "0", folded)
	if code != 0 {
		t.Fatalf("top on export exit %d: %s", code, errOut)
	}
	got := parseTop(t, out)
	want := pproftest.Top(t, "../../testdata/json.cpu.pprof", "nanoseconds")
	if len(got) != len(want) {
		t.Fatalf("%d functions after the round trip, pprof has %d", len(got), len(want))
	}
	for i := range want {
		want[i].Mark = "" // folded stacks do not say which frames were inlined
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, pprof %+v", i, got[i], want[i])
		}
	}

	// Standard output is the default.
	stdout, _, code := runCLI("export", "../../testdata/json.cpu.pprof")
	if code != 0 || !strings.HasSuffix(stdout, "\n") || strings.Count(stdout, "\n") < 10 {
		t.Errorf("export to stdout: exit %d, %d lines", code, strings.Count(stdout, "\n"))
	}
}

func TestBadInputExitsWithOneLine(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cpu, err := os.ReadFile("../../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	random := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x00, 0x13}, 500)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"empty file", []string{"top", write("empty.pprof", nil)}, 1, "file is empty"},
		{"random bytes", []string{"top", write("random.bin", random)}, 1, "not a pprof profile or folded stacks"},
		{"truncated gzip", []string{"export", write("cut.pb.gz", cpu[:len(cpu)/3])}, 1, "corrupt or truncated gzip data"},
		{"html page", []string{"top", write("index.html", []byte("<html><head><title>pprof</title></head></html>"))}, 1, "is an HTML page"},
		{"missing path", []string{"top", filepath.Join(dir, "missing.pprof")}, 1, "no such file"},
		{"folder", []string{"export", dir}, 1, "is a directory"},
		{"unknown sample type", []string{"top", "-sample_index", "wall", "../../testdata/json.cpu.pprof"}, 1, `sample_index "wall" must be one of: [samples cpu]`},
		{"no source", []string{"top"}, 2, "no SOURCE given"},
		{"unknown flag", []string{"top", "-bogus", "x"}, 2, "flag provided but not defined: -bogus"},
		{"unknown export format", []string{"export", "-format", "gif", "../../testdata/json.cpu.pprof"}, 2, `unknown -format "gif" (known: folded, png, svg, html, proto)`},
		{"flags after source", []string{"top", "../../testdata/json.cpu.pprof", "-n", "3"}, 2, "flags go before them"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A child process shows the real exit code, and that nothing
			// but the message reaches stderr: no panic, no stack trace.
			// LANG=C.UTF-8, as in most containers: Fyne must not log about it.
			stdout, stderr, code := runChild(t, []string{"LANG=C.UTF-8", "LC_ALL=", "LANGUAGE="}, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "flamelens: ") || !strings.Contains(last, tc.want) {
				t.Errorf("last stderr line %q does not say %q", last, tc.want)
			}
			if len(lines) != 1 {
				t.Errorf("stderr has %d lines, want one:\n%s", len(lines), stderr)
			}
			if s := stderr; strings.Contains(s, "panic") || strings.Contains(s, "goroutine ") {
				t.Errorf("stderr shows a crash:\n%s", s)
			}
			if stdout != "" {
				t.Errorf("stdout not empty on error: %q", stdout)
			}
		})
	}
}

func TestFailedExportLeavesNoFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.folded")
	if _, _, code := runCLI("export", "-o", out, "../../testdata/does-not-exist.pprof"); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s behind", out)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 0 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestExportPictures(t *testing.T) {
	dir := t.TempDir()
	pngFile := filepath.Join(dir, "cpu.png")
	if _, errOut, code := runCLI("export", "-format", "png", "-width", "800", "-height", "500", "-o", pngFile, "../../testdata/json.cpu.pprof"); code != 0 {
		t.Fatalf("png export exit %d: %s", code, errOut)
	}
	f, err := os.Open(pngFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 500 {
		t.Errorf("PNG is %dx%d, want 800x500", b.Dx(), b.Dy())
	}
	// -scale 2, for a HiDPI screen: twice the pixels each way.
	if _, errOut, code := runCLI("export", "-format", "png", "-width", "800", "-height", "500", "-scale", "2", "-o", pngFile, "../../testdata/json.cpu.pprof"); code != 0 {
		t.Fatalf("png export -scale 2 exit %d: %s", code, errOut)
	}
	if data, err := os.ReadFile(pngFile); err != nil {
		t.Fatal(err)
	} else if cfg, err := png.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 1600 || cfg.Height != 1000 {
		t.Errorf("PNG at -scale 2 is %dx%d (%v), want 1600x1000", cfg.Width, cfg.Height, err)
	}
	if _, _, code := runCLI("export", "-format", "png", "-scale", "9", "-o", pngFile, "../../testdata/json.cpu.pprof"); code != 2 {
		t.Errorf("-scale 9: exit %d, want 2 (a usage error)", code)
	}

	svg, errOut, code := runCLI("export", "-format", "svg", "-sample_index", "alloc_space", "../../testdata/json.mem.pprof")
	if code != 0 {
		t.Fatalf("svg export exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(svg, "<?xml") || !strings.HasSuffix(svg, "</svg>\n") {
		t.Errorf("not an SVG document: %.100s", svg)
	}
	// Marshal is called from two benchmarks: its larger frame.
	if !strings.Contains(svg, "<title>encoding/json.Marshal\nself: 1.17GB (40.84%)\ntotal: 1.18GB (41.11%)</title>") {
		t.Errorf("SVG has no frame titled with Marshal's values")
	}
	if !strings.Contains(svg, "json.mem.pprof — alloc_space — total 2.87GB") {
		t.Errorf("SVG title line missing")
	}
}

func TestTopFiltersMatchPprof(t *testing.T) {
	tests := []struct {
		file string
		unit string
		args []string
	}{
		{"json.cpu.pprof", "nanoseconds", []string{"-focus=Unmarshal"}},
		{"json.cpu.pprof", "nanoseconds", []string{"-ignore=Encoder", "-hide=runtime"}},
		{"json.cpu.pprof", "nanoseconds", []string{"-show_from=decodeState..object", "-cum"}},
		{"json.cpu.pprof", "nanoseconds", []string{"-prune_from=reflect"}},
		{"json.cpu.pprof", "nanoseconds", []string{"-show=json"}},
		{"labels.cpu.pprof", "nanoseconds", []string{"-tagfocus=tenant=acme", "-tagignore=handler=gzip"}},
		{"json.mem.pprof", "bytes", []string{"-sample_index=inuse_space", "-tagfocus=bytes=4kb:"}},
		{"json-gogc10.cpu.pprof", "nanoseconds", []string{"-diff_base=../../testdata/json-gogcoff.cpu.pprof"}},
		{"json-gogc10.cpu.pprof", "nanoseconds", []string{"-diff_base=../../testdata/json-gogcoff.cpu.pprof", "-normalize", "-cum"}},
		{"json-gogc10.mem.pprof", "bytes", []string{"-base=../../testdata/json-gogcoff.mem.pprof", "-sample_index=alloc_space"}},
		{"json-gogc10.mem.pprof", "bytes", []string{"-base=../../testdata/json-gogcoff.mem.pprof", "-normalize", "-sample_index=inuse_space", "-focus=json"}},
	}
	for _, tc := range tests {
		t.Run(tc.file+strings.Join(tc.args, ""), func(t *testing.T) {
			t.Parallel()
			file := filepath.Join("..", "..", "testdata", tc.file)
			out, errOut, code := runCLI(append(append([]string{"top", "-n", "0"}, tc.args...), file)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkTop(t, out, pproftest.TopReport(t, file, tc.unit, tc.args...))
			if strings.Contains(strings.Join(tc.args, " "), "cus=") && !strings.Contains(out, "# filters: -") {
				t.Errorf("header does not list the filters")
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	_, errOut, code := runCLI("top", "-diff_base", "../../testdata/json.mem.pprof", "../../testdata/json.cpu.pprof")
	if code != 1 || !strings.Contains(errOut, "different sample types") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runCLI("top", "-diff_base", "a", "-base", "b", "../../testdata/json.cpu.pprof")
	if code != 2 || !strings.Contains(errOut, "-diff_base and -base cannot both be given") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runCLI("top", "-diff_base", "../../testdata/missing.pprof", "../../testdata/json.cpu.pprof")
	if code != 1 || !strings.Contains(errOut, "missing.pprof: no such file") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestBadFilterRegexExits(t *testing.T) {
	_, errOut, code := runCLI("top", "-focus", "json(", "../../testdata/json.cpu.pprof")
	if code != 1 || !strings.Contains(errOut, `-focus "json(": missing closing )`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runCLI("find", "-tagfocus", "a=[", "x", "../../testdata/json.cpu.pprof")
	if code != 1 || !strings.Contains(errOut, `-tagfocus "[": missing closing ]`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestFind(t *testing.T) {
	out, errOut, code := runCLI("find", "-n", "3", "decstateobj", "../../testdata/json.cpu.pprof")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 || lines[0] != "encoding/json.(*decodeState).object\t360000000\t7870000000" {
		t.Fatalf("first line %q; want the function with pprof's flat and cum", lines[0])
	}
	if len(lines) > 3 {
		t.Errorf("-n 3 printed %d lines", len(lines))
	}
	for _, l := range lines {
		if strings.Count(l, "\t") != 2 {
			t.Errorf("line %q is not name<TAB>flat<TAB>cum", l)
		}
	}
	// Filters apply: with json hidden nothing of json is found.
	out, _, code = runCLI("find", "-hide", "json", "decstateobj", "../../testdata/json.cpu.pprof")
	if code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("exit %d, found %q with json hidden", code, out)
	}
	if _, errOut, code := runCLI("find", "json"); code != 2 || !strings.Contains(errOut, "QUERY and SOURCE expected") {
		t.Errorf("missing source: exit %d, %q", code, errOut)
	}
}

func TestExportDifferentialGraph(t *testing.T) {
	svg, errOut, code := runCLI("export", "-format", "svg", "-diff_base", "../../testdata/json-gogcoff.cpu.pprof", "../../testdata/json-gogc10.cpu.pprof")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"json-gogc10.cpu.pprof vs ../../testdata/json-gogcoff.cpu.pprof — cpu — red grew, blue shrank",
		"\nself: base ", // tooltips give base, new and the change
		" → new ",
		`stroke-dasharray="3 2"`, // frames found in one run only
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("differential SVG lacks %q", want)
		}
	}
	// runtime.memmove shrank by 1.35 s (pprof: -1.35s flat).
	if !strings.Contains(svg, "<title>runtime.memmove\nself: base ") {
		t.Error("no runtime.memmove frame")
	}
}

func TestTopFromLiveService(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	url := pproftest.Server(t)
	out, errOut, code := runCLI("top", "-seconds", "1", "-n", "5", url)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "# file: "+url+"/debug/pprof/profile?seconds=1\n") || !strings.Contains(out, "# type: cpu\n") {
		t.Errorf("header:\n%s", out)
	}
	if rows := parseTop(t, out); len(rows) == 0 {
		t.Error("no functions in the fetched CPU profile")
	}
	if !strings.Contains(errOut, "flamelens: saved the fetched profile in "+os.Getenv("XDG_CACHE_HOME")) {
		t.Errorf("stderr %q does not say where the profile was saved", errOut)
	}
	// Heap, by host:port shorthand with a path.
	out, errOut, code = runCLI("top", "-n", "3", "-sample_index", "inuse_space", strings.TrimPrefix(url, "http://")+"/debug/pprof/heap")
	if code != 0 || !strings.Contains(out, "# type: inuse_space\n") {
		t.Errorf("heap: exit %d, %s\n%s", code, errOut, out)
	}
	// A failing fetch exits 1 with one line naming the URL.
	_, errOut, code = runCLI("top", url+"/debug/pprof/nothing-here")
	if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, url+"/debug/pprof/nothing-here: the server answered 404") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestExportCallGraph(t *testing.T) {
	dot, errOut, code := runCLI("export", "-view", "graph", "-format", "dot", "-nodecount", "20", "../../testdata/json.cpu.pprof")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(dot, `digraph "../../testdata/json.cpu.pprof" {`) || strings.Count(dot, "\nN") < 20 {
		t.Errorf("DOT:\n%.300s", dot)
	}
	nodes := 0
	for _, line := range strings.Split(dot, "\n") {
		if strings.HasPrefix(line, "N") && !strings.Contains(strings.SplitN(line, "[", 2)[0], "->") {
			nodes++
		}
	}
	if nodes != 20 {
		t.Errorf("%d nodes, want 20", nodes)
	}
	svg, errOut, code := runCLI("export", "-view", "graph", "-format", "svg", "../../testdata/json.cpu.pprof")
	if code != 0 || !strings.Contains(svg, "<title>encoding/json.(*decodeState).object\nflat 360ms\ncum 7.87s</title>") {
		t.Errorf("svg: exit %d %s", code, errOut)
	}
	if _, errOut, code := runCLI("export", "-view", "graph", "-format", "folded", "../../testdata/json.cpu.pprof"); code != 2 || !strings.Contains(errOut, "known: dot, svg, png") {
		t.Errorf("graph as folded: exit %d, %q", code, errOut)
	}
}
