package model

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// funcTable is the function table of p's sample type spec ("" for the
// default): its total, and each function's flat and cum.
func functionSums(t *testing.T, p *Profile, spec string) (int64, map[string][2]int64) {
	t.Helper()
	idx, err := p.SampleIndex(spec)
	if err != nil {
		t.Fatal(err)
	}
	s, err := CollectStacks(p, idx, Functions)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][2]int64{}
	for _, r := range s.Functions() {
		rows[r.Name] = [2]int64{r.Flat, r.Cum}
	}
	return s.AbsTotal, rows
}

// sums is what a test computes from a file itself: each function's flat
// and cum, and the total.
type sums struct {
	total     int64
	flat, cum map[string]int64
}

func newSums() *sums { return &sums{flat: map[string]int64{}, cum: map[string]int64{}} }

// add counts v in a stack, leaf first: flat to the leaf, cum once to
// each function on it.
func (s *sums) add(stack []string, v int64) {
	s.total += v
	s.flat[stack[0]] += v
	seen := map[string]bool{}
	for _, f := range stack {
		if !seen[f] {
			seen[f] = true
			s.cum[f] += v
		}
	}
}

// check compares p's table of sample type spec with s.
func (s *sums) check(t *testing.T, p *Profile, spec string) {
	t.Helper()
	total, rows := functionSums(t, p, spec)
	if total != s.total {
		t.Errorf("%s %s: total %d, want %d", p.Source, spec, total, s.total)
	}
	for name, cum := range s.cum {
		if got := rows[name]; got != [2]int64{s.flat[name], cum} {
			t.Errorf("%s %s: %q flat/cum %v, want %d/%d", p.Source, spec, name, got, s.flat[name], cum)
		}
	}
	if len(rows) != len(s.cum) {
		var extra []string
		for name := range rows {
			if _, ok := s.cum[name]; !ok {
				extra = append(extra, name)
			}
		}
		t.Errorf("%s %s: %d functions, want %d (not expected: %q)", p.Source, spec, len(rows), len(s.cum), extra)
	}
}

func loadFormat(t *testing.T, name string, want Format) *Profile {
	t.Helper()
	p, err := Load(filepath.Join("testdata", "formats", name))
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != want {
		t.Fatalf("%s read as %q, want %q", name, p.Format, want)
	}
	return p
}

// collapsePerf is stackcollapse-perf.pl's documented default, as this
// test reads it: per event, each sample's period (1 where the header has
// none) in the stack of its frames' symbols (no +0x offset, no C++
// argument list, no JVM "L", ";" as ":", "[binary]" or "[unknown]" for a
// frame without one) under its command.
func collapsePerf(t *testing.T, text string) map[string]*sums {
	t.Helper()
	out := map[string]*sums{}
	offset := regexp.MustCompile(`\+0x[0-9a-f]+$`)
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		var header string
		var stack []string
		for _, line := range strings.Split(block, "\n") {
			switch {
			case line == "" || strings.HasPrefix(line, "#"):
			case !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t"):
				header = line
			default:
				f := strings.Fields(line)
				if _, err := strconv.ParseUint(f[0], 16, 64); err != nil || len(f) < 2 {
					continue // a source line
				}
				rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), f[0]))
				dso := ""
				if i := strings.LastIndex(rest, " ("); i >= 0 && strings.HasSuffix(rest, ")") {
					rest, dso = rest[:i], rest[i+2:len(rest)-1]
				}
				sym := offset.ReplaceAllString(rest, "")
				if strings.HasPrefix(sym, "L") && strings.Contains(sym, "/") {
					sym = sym[1:]
				}
				for i := 1; i < len(sym); i++ {
					if sym[i] == '(' && sym[i-1] != '.' && !strings.HasPrefix(sym[i:], "(anonymous namespace)") {
						sym = sym[:i]
						break
					}
				}
				sym = strings.ReplaceAll(sym, ";", ":")
				if sym == "[unknown]" || sym == "" {
					sym = "[unknown]"
					if dso != "" && dso != "[unknown]" && dso != "unknown" {
						sym = "[" + filepath.Base(dso) + "]"
					}
				}
				stack = append(stack, sym)
			}
		}
		if header == "" {
			continue
		}
		fields := strings.Fields(header)
		event := strings.TrimSuffix(fields[len(fields)-1], ":")
		period := int64(1)
		if n, err := strconv.ParseInt(fields[len(fields)-2], 10, 64); err == nil && !strings.Contains(fields[len(fields)-2], "/") {
			period = n
		}
		pid := slices.IndexFunc(fields, func(f string) bool { return regexp.MustCompile(`^\d+(/\d+)?$`).MatchString(f) })
		comm := strings.Join(fields[:pid], " ")
		if pid == len(fields)-2 {
			period = 1 // "comm pid event:": the number is the pid
		}
		if out[event] == nil {
			out[event] = newSums()
		}
		out[event].add(append(stack, comm), period)
	}
	return out
}

func TestPerfScriptIsWhatStackcollapsePerfMakesOfIt(t *testing.T) {
	// Real files written by perf script (Linux perf 6.1, a Go program
	// profiled with -g): every event, the -F variants.
	for _, name := range []string{"spin.perf.gz", "multi.perf", "fields.perf", "nosperiod.perf", "odd.perf"} {
		t.Run(name, func(t *testing.T) {
			p := loadFormat(t, name, FormatPerf)
			text := readFormat(t, name)
			want := collapsePerf(t, text)
			if len(p.SampleTypes()) != len(want) {
				t.Errorf("%d sample types, want one for each of %d events", len(p.SampleTypes()), len(want))
			}
			for event, s := range want {
				s.check(t, p, event)
			}
		})
	}

	// The odd file, by hand: spaces in the command, C++ arguments, an
	// anonymous namespace, symbols unknown in a known binary and in none,
	// a JVM signature, an inlined frame, a sample without frames, a second
	// event, the first event the default.
	p := loadFormat(t, "odd.perf", FormatPerf)
	total, rows := functionSums(t, p, "")
	if total != 3_750_000 {
		t.Errorf("cycles total %d, want 3750000", total)
	}
	for name, want := range map[string][2]int64{
		"std::vector<int, std::allocator<int> >::push_back": {500000, 500000},
		"(anonymous namespace)::Layout::run":                {0, 500000},
		"[libxul.so]":                                       {0, 500000},
		"[unknown]":                                         {0, 500000},
		"Web Content":                                       {0, 500000},
		"com/example/Server:::handle":                       {0, 750000},
		"[perf-5000.map]":                                   {0, 750000},
		"main.(*Server).handle":                             {2_000_000, 2_000_000},
		"encoding/json.Unmarshal":                           {0, 1_000_000},
		"myapp":                                             {0, 2_000_000},
		"swapper":                                           {250000, 250000},
		"kworker/0:1":                                       {0, 250000},
	} {
		if rows[name] != want {
			t.Errorf("%q: flat/cum %v, want %v", name, rows[name], want)
		}
	}
	if total, _ := functionSums(t, p, "instructions"); total != 1 {
		t.Errorf("instructions total %d, want 1", total)
	}
	// pid, tid and cpu are labels: -tagroot puts them above the command.
	var labelled bool
	for _, s := range p.Raw.Sample {
		if slices.Equal(s.Label["comm"], []string{"Web Content"}) {
			labelled = slices.Equal(s.NumLabel["pid"], []int64{4100}) && slices.Equal(s.NumLabel["tid"], []int64{4107}) &&
				slices.Equal(s.NumLabel["cpu"], []int64{3})
		}
	}
	if !labelled {
		t.Error("the Web Content sample lacks its pid, tid and cpu labels")
	}
	// Frames keep their addresses and binaries.
	for _, l := range p.Raw.Location {
		if l.Line[0].Function.Name == "main.main" && (l.Address != 0x4a2a00 || l.Mapping == nil || l.Mapping.File != "/srv/myapp") {
			t.Errorf("main.main at %#x in %v", l.Address, l.Mapping)
		}
	}
}

func readFormat(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
	if err != nil {
		t.Fatal(err)
	}
	if isGzip(data) {
		if data, err = gunzip(data, DefaultMaxDecompressed); err != nil {
			t.Fatal(err)
		}
	}
	return string(data)
}

// cpuProfileSums are a .cpuprofile's sums, computed here from its JSON:
// sample counts, and each sample's time until the next (sorted by time;
// the last until endTime).
func cpuProfileSums(t *testing.T, data []byte, endTime bool) (samples, wall *sums) {
	t.Helper()
	var cp struct {
		Nodes []struct {
			ID        int64
			Parent    int64
			Children  []int64
			CallFrame struct{ FunctionName string }
		}
		StartTime, EndTime float64
		Samples            []int64
		TimeDeltas         []float64
	}
	if err := json.Unmarshal(data, &cp); err != nil {
		t.Fatal(err)
	}
	parent, name := map[int64]int64{}, map[int64]string{}
	for _, n := range cp.Nodes {
		name[n.ID] = n.CallFrame.FunctionName
		if name[n.ID] == "" {
			name[n.ID] = "(anonymous)"
		}
		if n.Parent != 0 {
			parent[n.ID] = n.Parent
		}
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	type at struct {
		t    float64
		node int64
	}
	var times []at
	now := cp.StartTime
	for i, s := range cp.Samples {
		now += cp.TimeDeltas[i]
		times = append(times, at{now, s})
	}
	sort.SliceStable(times, func(i, j int) bool { return times[i].t < times[j].t })
	samples, wall = newSums(), newSums()
	for i, s := range times {
		next := s.t
		if i+1 < len(times) {
			next = times[i+1].t
		} else if endTime {
			next = max(cp.EndTime, s.t)
		}
		var stack []string
		for n := s.node; n != 0; n = parent[n] {
			if name[n] != "(root)" || parent[n] != 0 {
				stack = append(stack, name[n])
			}
		}
		if len(stack) > 0 {
			samples.add(stack, 1)
			wall.add(stack, int64(math.Round(next))-int64(math.Round(s.t)))
		}
	}
	return samples, wall
}

func TestChromeCPUProfile(t *testing.T) {
	// Written by Node.js 20 (node --cpu-prof) running a small script.
	p := loadFormat(t, "node.cpuprofile", FormatCPUProfile)
	samples, wall := cpuProfileSums(t, []byte(readFormat(t, "node.cpuprofile")), true)
	samples.check(t, p, "samples")
	wall.check(t, p, "wall")
	if p.Raw.DurationNanos <= 0 || st(p, 1) != "wall/microseconds" {
		t.Errorf("duration %d, second sample type %s", p.Raw.DurationNanos, st(p, 1))
	}
	// Frames keep their script and line (from 1).
	for _, f := range p.Raw.Function {
		if f.Name == "fib" && (!strings.HasSuffix(f.Filename, "work.js") || f.StartLine != 1) {
			t.Errorf("fib in %q at %d", f.Filename, f.StartLine)
		}
	}
}

func st(p *Profile, i int) string { return p.SampleTypes()[i].String() }

func TestTraceEvents(t *testing.T) {
	// Chrome's Performance panel: a sampled profile in ProfileChunks
	// (nodes name their parent; deltas may go back in time), preferred
	// to the duration events beside it.
	p := loadFormat(t, "chrome-trace.json", FormatTraceEvents)
	_, rows := functionSums(t, p, "wall")
	for name, want := range map[string][2]int64{"render": {250, 950}, "(anonymous)": {450, 700}, "layout": {250, 250}, "(program)": {50, 50}} {
		if rows[name] != want {
			t.Errorf("%q: wall flat/cum %v, want %v", name, rows[name], want)
		}
	}
	if total, _ := functionSums(t, p, "samples"); total != 6 {
		t.Errorf("%d samples, want 6", total)
	}
	if s := p.Raw.Sample[0]; !slices.Equal(s.Label["thread"], []string{"CrRendererMain"}) {
		t.Errorf("thread label %q", s.Label["thread"])
	}

	// Duration events by hand, cut short as the format allows: self
	// times per stack, per thread.
	p = loadFormat(t, "durations.trace.json", FormatTraceEvents)
	want := newSums()
	want.add([]string{"request"}, 30_000)
	want.add([]string{"parse", "request"}, 30_000)
	want.add([]string{"query", "request"}, 34_500)
	want.add([]string{"parse", "query", "request"}, 5_500)
	want.add([]string{"flush"}, 25_250)
	want.check(t, p, "")

	// Written by Node.js 20 (--trace-event-categories v8): X and B/E.
	p = loadFormat(t, "node-trace.json.gz", FormatTraceEvents)
	nodeSums := traceDurationSums(t, readFormat(t, "node-trace.json.gz"))
	nodeSums.check(t, p, "")
}

// traceDurationSums computes a trace's wall time per stack here: on each
// thread, every nanosecond covered by an event counts in the innermost
// event covering it, under the events that enclose that one.
func traceDurationSums(t *testing.T, text string) *sums {
	t.Helper()
	var file struct{ TraceEvents []map[string]any }
	if err := json.Unmarshal([]byte(text), &file); err != nil {
		t.Fatal(err)
	}
	type ev struct {
		name       string
		start, end int64
	}
	threads := map[string][]ev{}
	open := map[string][]ev{}
	ns := func(v any) int64 { f, _ := v.(float64); return int64(math.Round(f * 1000)) }
	for _, e := range file.TraceEvents {
		key := strings.Trim(string(must(json.Marshal(e["pid"]))), `"`) + "/" + strings.Trim(string(must(json.Marshal(e["tid"]))), `"`)
		name, _ := e["name"].(string)
		switch e["ph"] {
		case "X":
			threads[key] = append(threads[key], ev{name, ns(e["ts"]), ns(e["ts"]) + ns(e["dur"])})
		case "B":
			open[key] = append(open[key], ev{name: name, start: ns(e["ts"])})
		case "E":
			if o := open[key]; len(o) > 0 {
				b := o[len(o)-1]
				open[key] = o[:len(o)-1]
				b.end = ns(e["ts"])
				threads[key] = append(threads[key], b)
			}
		}
	}
	out := newSums()
	for _, evs := range threads {
		// The boundaries of the thread's events; between two, the stack of
		// events covering the span, innermost the shortest.
		var cuts []int64
		for _, e := range evs {
			cuts = append(cuts, e.start, e.end)
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
		for i := 0; i+1 < len(cuts); i++ {
			var cover []ev
			for _, e := range evs {
				if e.start <= cuts[i] && e.end >= cuts[i+1] {
					cover = append(cover, e)
				}
			}
			if len(cover) == 0 {
				continue
			}
			sort.SliceStable(cover, func(a, b int) bool { return cover[a].end-cover[a].start < cover[b].end-cover[b].start })
			var stack []string
			for _, e := range cover {
				stack = append(stack, e.name)
			}
			out.add(stack, cuts[i+1]-cuts[i])
		}
	}
	return out
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestSpeedscope(t *testing.T) {
	// Three profiles: sampled in milliseconds (one sample without frames),
	// evented in milliseconds, sampled in bytes.
	p := loadFormat(t, "two.speedscope.json", FormatSpeedscope)
	if got := []string{st(p, 0), st(p, 1), st(p, 2)}; !slices.Equal(got, []string{"cpu/nanoseconds", "wall/nanoseconds", "space/bytes"}) {
		t.Errorf("sample types %q", got)
	}
	cpu := newSums()
	cpu.add([]string{"loads", "handle", "<module>"}, 30e6)
	cpu.add([]string{"handle", "<module>"}, 2.5e6)
	cpu.add([]string{"décode ☃ (unicode)", "<module>"}, 10e6)
	cpu.add([]string{"(no frames)"}, 7e6)
	cpu.check(t, p, "") // the active profile's type is the default
	wall := newSums()
	wall.add([]string{"<module>"}, 5e6)
	wall.add([]string{"handle", "<module>"}, 5e6)
	wall.add([]string{"sleep", "handle", "<module>"}, 15e6)
	wall.add([]string{"handle", "<module>"}, 2.5e6)
	wall.add([]string{"<module>"}, 2.5e6)
	wall.check(t, p, "wall")
	space := newSums()
	space.add([]string{"handle", "<module>"}, 100)
	space.add([]string{"loads", "handle", "<module>"}, 200)
	space.check(t, p, "space")
	for _, s := range p.Raw.Sample {
		if len(s.Label["profile"]) != 1 {
			t.Fatalf("a sample without its profile label: %v", s.Label)
		}
	}
	for _, f := range p.Raw.Function {
		if f.Name == "loads" && (f.Filename != "/usr/lib/python3.11/json/__init__.py" || f.StartLine != 346) {
			t.Errorf("loads at %s:%d", f.Filename, f.StartLine)
		}
	}
}

func TestGoroutineDumpHeaders(t *testing.T) {
	// A SIGQUIT traceback by hand, in the runtime's format: registers and
	// a signal line around it, GOTRACEBACK=system's gp= m=, waits, a
	// thread lock, Go 1.27's pprof labels (quoted), generics, elided
	// frames, an ancestor's frames.
	p := loadFormat(t, "sigquit.txt", FormatGoroutines)
	if st(p, 0) != "goroutine/count" {
		t.Errorf("sample type %s", st(p, 0))
	}
	want := newSums()
	want.add([]string{"runtime.futex", "runtime.mPark"}, 1)
	want.add([]string{"runtime.gopark", "main.(*Server).wait", "main.main"}, 1)
	want.add([]string{"main.worker[go.shape.int]"}, 2)
	want.add([]string{"internal/poll.runtime_pollWait", "net.(*conn).Read"}, 1)
	want.check(t, p, "")
	byID := map[int64]string{}
	for _, s := range p.Raw.Sample {
		var b strings.Builder
		for _, k := range slices.Sorted(maps.Keys(s.Label)) {
			b.WriteString(k + "=" + strings.Join(s.Label[k], ",") + " ")
		}
		b.WriteString("wait=" + strconv.FormatInt(s.NumLabel["wait"][0], 10) + s.NumUnit["wait"][0])
		byID[s.NumLabel["goid"][0]] = b.String()
	}
	for id, want := range map[int64]string{
		0:  "state=idle wait=0minutes",
		1:  `locked_to_thread=true path=/api/v1/users state=chan receive tenant=a"b\c wait=12minutes`,
		17: "created_by=main.start state=select wait=3minutes",
		18: "created_by=net/http.(*Server).Serve state=IO wait wait=0minutes",
		19: "created_by=main.start state=select wait=3minutes",
	} {
		if byID[id] != want {
			t.Errorf("goroutine %d: %q, want %q", id, byID[id], want)
		}
	}
	for _, l := range p.Raw.Location {
		if fn := l.Line[0].Function; fn.Name == "main.main" && (fn.Filename != "/srv/app/main.go" || l.Line[0].Line != 12) {
			t.Errorf("main.main at %s:%d", fn.Filename, l.Line[0].Line)
		}
	}
	if p := loadFormat(t, "crlf.txt", FormatGoroutines); len(p.Raw.Sample) != 1 || p.Raw.Function[0].Name != "main.crlf" {
		t.Errorf("CRLF dump: %v", p.Raw)
	}
}

// goroutineSums counts, from a dump's text, the goroutines whose stack
// holds each function: blocks of lines parted by blank lines, each a
// header and its function lines (a tab starts a file line).
func goroutineSums(text string) *sums {
	out := newSums()
	for _, block := range strings.Split(text, "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if !strings.HasPrefix(lines[0], "goroutine ") {
			continue
		}
		var stack []string
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "created by ") {
				continue
			}
			stack = append(stack, l[:strings.LastIndex(l, "(")])
		}
		out.add(stack, 1)
	}
	return out
}

func TestGoroutineDumpOfARealProgram(t *testing.T) {
	// testdata/patterns leaves goroutines blocked on a channel under a
	// pprof label, and writes its goroutine dump (debug=2); Go 1.26 prints
	// the labels with GODEBUG=tracebacklabels=1, as Go 1.27 does always.
	dir := t.TempDir()
	prog := pproftest.BuildPatterns(t, dir)
	prog.RunIn(t, filepath.Join(dir, "run"), "leak", []string{"-for", "10ms", "-leaks", "40"}, "GODEBUG=tracebacklabels=1")
	path := filepath.Join(dir, "run", "goroutines.txt")
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != FormatGoroutines {
		t.Fatalf("read as %s", p.Format)
	}
	text, _ := os.ReadFile(path)
	goroutineSums(string(text)).check(t, p, "")
	var labelled, states int
	for _, s := range p.Raw.Sample {
		if slices.Equal(s.Label["job"], []string{"reply"}) && slices.Equal(s.Label["state"], []string{"chan receive"}) &&
			slices.Equal(s.Label["created_by"], []string{"main.leak.func1"}) {
			labelled += int(s.Value[0])
		}
		states += len(s.Label["state"])
	}
	if labelled != 40 || states != len(p.Raw.Sample) {
		t.Errorf("%d goroutines labelled job=reply, state chan receive, created by main.leak.func1, want 40 (%d of %d samples with a state)",
			labelled, states, len(p.Raw.Sample))
	}
}

func TestOtherFormatsAreRefusedByName(t *testing.T) {
	cpu := filepath.Join("..", "testdata", "json.cpu.pprof")
	pprofOut := func(args ...string) []byte {
		t.Helper()
		out, err := exec.Command(pproftest.GoTool(t), append(append([]string{"tool", "pprof"}, args...), cpu)...).Output()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	raw := pprofOut("-raw")
	protoText := []byte("sample_type {\n  type: 1\n  unit: 2\n}\nsample {\n  location_id: 1\n  location_id: 2\n  value: 12\n}\n" +
		"location {\n  id: 1\n  address: 4660\n}\nstring_table: \"\"\nstring_table: \"samples\"\n")
	macSample := []byte("Analysis of sampling myapp (pid 123) every 1 millisecond\nProcess:         myapp [123]\n\nCall graph:\n" +
		"    2412 Thread_1   DispatchQueue_1: com.apple.main-thread  (serial)\n    + 2412 start  (in dyld) + 1903  [0x1]\n")
	speedscopeLines := []byte("{\n\"frames\": [\n{\"name\": \"main\", \"line\": 12},\n{\"name\": \"f\", \"line\": 30}\n]\n}\n")
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"pprof -raw", raw, "this looks like pprof -raw output, a dump of a profile: open the profile itself"},
		{"pprof -top", pprofOut("-top"), "report printed by go tool pprof"},
		{"pprof -traces", pprofOut("-traces"), "report printed by go tool pprof"},
		{"protobuf text", protoText, "decoded as protobuf text"},
		{"macOS sample", macSample, "macOS `sample` report"},
		{"perf.data", []byte("PERFILE2\x68\x00\x00\x00"), "perf.data file"},
		{"JFR", []byte("FLR\x00\x00\x02\x00\x01"), "Java Flight Recorder"},
		{"Go trace", []byte("go 1.23 trace\x00\x00\x00\x01"), "Go execution trace"},
		{"JSON with lines", speedscopeLines, "this is JSON, but not a profile flamelens reads"},
		{"Gecko profile", []byte(`{"meta": {"version": 27}, "threads": []}`), "Firefox Profiler"},
		{"broken JSON", []byte("{\"shared\": {\"frames\": [\n"), "not valid JSON: line 2"},
		{"log file", bytes.Repeat([]byte("INFO: warming up\nmain;a 7\nINFO: done 3 of 4\n"), 5), "not folded stacks: 5 of 15 lines are not stacks (the first, line 1: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse("some.file", tc.data)
			if err == nil {
				t.Fatalf("read as %s, want an error", p.Format)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "some.file: ") || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line naming the file and saying %q", msg, tc.want)
			}
		})
	}
}
