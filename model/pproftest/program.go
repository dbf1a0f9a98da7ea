package pproftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/flamelens/flamelens/disasm/objfile"
)

// repoFile is a file of the repository by its path from the top.
func repoFile(tb testing.TB, path string) string {
	tb.Helper()
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("cannot tell where pproftest is")
	}
	return filepath.Join(filepath.Dir(here), "..", "..", path)
}

// BuildBusy builds testdata/busy, a small program that spends its time in
// a few functions of its own, for goarch (GOOS linux) with extra go build
// flags, into dir, and returns the program's path.
func BuildBusy(tb testing.TB, dir, goarch string, flags ...string) string {
	tb.Helper()
	out := filepath.Join(dir, "busy-"+goarch)
	args := append(append([]string{"build", "-o", out}, flags...), ".")
	cmd := exec.Command(GoTool(tb), args...)
	cmd.Dir = repoFile(tb, filepath.Join("testdata", "busy"))
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build testdata/busy for %s: %v\n%s", goarch, err, b)
	}
	return out
}

// Busy is a run of testdata/busy: the program and the profiles it wrote.
type Busy struct {
	Program, CPU, Heap string
}

// ProfileBusy builds testdata/busy for this machine into dir and runs it
// for the given time (a duration, "1s"); it writes its CPU profile to
// cpu.pprof and its heap profile to mem.pprof there. Only on linux/amd64
// and linux/arm64, and not in -short runs: elsewhere the test is skipped.
func ProfileBusy(tb testing.TB, dir, duration string) Busy {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs a program")
	}
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		tb.Skip("profiles Linux programs on amd64 or arm64")
	}
	b := Busy{Program: BuildBusy(tb, dir, runtime.GOARCH), CPU: filepath.Join(dir, "cpu.pprof"), Heap: filepath.Join(dir, "mem.pprof")}
	run := exec.Command(b.Program, "-for", duration, "-cpuprofile", b.CPU, "-memprofile", b.Heap)
	if out, err := run.CombinedOutput(); err != nil {
		tb.Fatalf("%s: %v\n%s", b.Program, err, out)
	}
	return b
}

// SyntheticProfile writes to path a CPU profile of program bin (any
// architecture, not run) whose samples fall on the instructions of its
// functions matching re: every third instruction of each is a location,
// with the function and line the program's tables give it, and samples
// are taken at each location called from the next function's.
func SyntheticProfile(tb testing.TB, bin string, re *regexp.Regexp, path string) {
	tb.Helper()
	f, err := objfile.Open(bin)
	if err != nil {
		tb.Fatal(err)
	}
	m := &profile.Mapping{ID: 1, Start: 0x10000, Limit: 0x10000000, File: bin, BuildID: f.BuildID, HasFunctions: true, HasLineNumbers: true}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
		Mapping:    []*profile.Mapping{m},
	}
	funcs := map[string]*profile.Function{}
	function := func(name, file string) *profile.Function {
		if fn := funcs[name]; fn != nil {
			return fn
		}
		fn := &profile.Function{ID: uint64(len(p.Function) + 1), Name: name, SystemName: name, Filename: file}
		funcs[name] = fn
		p.Function = append(p.Function, fn)
		return fn
	}
	var callers []*profile.Location
	for _, s := range f.Symbols(re) {
		if strings.Contains(s.Name, ".") && s.End > s.Start {
			var locs []*profile.Location
			for i, in := range f.Decode(s.Start, s.End) {
				if i%3 != 0 || in.File == "" {
					continue
				}
				loc := &profile.Location{ID: uint64(len(p.Location) + 1), Mapping: m, Address: in.Addr + f.Offset(m.Start),
					Line: []profile.Line{{Function: function(s.Name, in.File), Line: int64(in.Line)}}}
				p.Location = append(p.Location, loc)
				locs = append(locs, loc)
			}
			for i, loc := range locs {
				stack := []*profile.Location{loc}
				if len(callers) > 0 {
					stack = append(stack, callers[i%len(callers)])
				}
				p.Sample = append(p.Sample, &profile.Sample{Location: stack, Value: []int64{int64(1 + i%5), int64(1+i%5) * 10_000_000}})
			}
			if len(locs) > 0 {
				callers = locs
			}
		}
	}
	if len(p.Sample) == 0 {
		tb.Fatalf("no function of %s matches %s", bin, re)
	}
	if err := p.CheckValid(); err != nil {
		tb.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer out.Close()
	if err := p.Write(out); err != nil {
		tb.Fatal(err)
	}
}

// Patterns is testdata/patterns built for this machine: a program that
// spends its time the way real programs go wrong, one pattern a run.
type Patterns struct{ Program string }

// BuildPatterns builds testdata/patterns into dir. Only on linux/amd64 and
// linux/arm64, and not in -short runs: elsewhere the test is skipped.
func BuildPatterns(tb testing.TB, dir string) Patterns {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs a program")
	}
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		tb.Skip("profiles Linux programs on amd64 or arm64")
	}
	out := filepath.Join(dir, "patterns")
	cmd := exec.Command(GoTool(tb), "build", "-o", out, ".")
	cmd.Dir = repoFile(tb, filepath.Join("testdata", "patterns"))
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build testdata/patterns: %v\n%s", err, b)
	}
	return Patterns{Program: out}
}

// Run runs pattern for duration ("1s") and returns the folder holding
// its profiles: cpu.pprof, heap.pprof, mutex.pprof, block.pprof and
// goroutine.pprof.
func (p Patterns) Run(tb testing.TB, pattern, duration string) string {
	tb.Helper()
	dir := filepath.Join(filepath.Dir(p.Program), pattern)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command(p.Program, "-pattern", pattern, "-for", duration, "-o", dir).CombinedOutput(); err != nil {
		tb.Fatalf("patterns -pattern %s: %v\n%s", pattern, err, out)
	}
	return dir
}

// CopyTestdata copies files of the repository's testdata folder into dir
// (for tests of files that name others by relative paths, such as saved
// sessions) and returns the copies' paths.
func CopyTestdata(tb testing.TB, dir string, names ...string) []string {
	tb.Helper()
	var out []string
	for _, n := range names {
		data, err := os.ReadFile(repoFile(tb, filepath.Join("testdata", n)))
		if err != nil {
			tb.Fatal(err)
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}
