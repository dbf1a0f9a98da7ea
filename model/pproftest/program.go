package pproftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
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

// Patterns is testdata/patterns built for this machine: a program that
// spends its time the way real programs go wrong, one pattern a run.
type Patterns struct{ Program string }

// BuildPatterns builds testdata/patterns into dir, env added to the
// build's environment (GOEXPERIMENT=goroutineleakprofile). Only on
// linux/amd64 and linux/arm64, and not in -short runs: elsewhere the test
// is skipped.
func BuildPatterns(tb testing.TB, dir string, env ...string) Patterns {
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
	cmd.Env = append(os.Environ(), env...)
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
	p.RunIn(tb, dir, pattern, []string{"-for", duration})
	return dir
}

// RunIn runs pattern into dir with flags (-for 1s, or -steps 3000: the
// same work however busy the machine is), env (GOGC=off, ...) added to
// the program's environment.
func (p Patterns) RunIn(tb testing.TB, dir, pattern string, flags []string, env ...string) {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(p.Program, append([]string{"-pattern", pattern, "-o", dir}, flags...)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%s patterns -pattern %s: %v\n%s", strings.Join(env, " "), pattern, err, out)
	}
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
