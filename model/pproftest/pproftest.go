// Package pproftest runs go tool pprof, the reference for every number
// flamelens prints, and reads its -top report back for tests.
package pproftest

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Row is one row of go tool pprof -top.
type Row struct {
	Name string
	// Mark is "(inline)" or "(partial-inline)" as pprof prints it after
	// the name, or "".
	Mark      string
	Flat, Cum int64
}

// SplitMark splits a printed name into the name and pprof's inline mark.
func SplitMark(printed string) (name, mark string) {
	for _, m := range []string{"(inline)", "(partial-inline)"} {
		if n, ok := strings.CutSuffix(printed, " "+m); ok {
			return n, m
		}
	}
	return printed, ""
}

// GoTool returns the go command of the toolchain running the test.
func GoTool(tb testing.TB) string {
	tb.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			tb.Skip("go command not found")
		}
	}
	return goBin
}

// unitFlag makes pprof print integers in the sample type's own unit.
func unitFlag(unit string) []string {
	switch unit {
	case "nanoseconds":
		return []string{"-unit=ns"}
	case "microseconds":
		return []string{"-unit=us"}
	case "bytes":
		return []string{"-unit=B"}
	}
	return nil
}

// Top runs go tool pprof -top -nodefraction=0 with extra flags on file
// (names as pprof prints them by default, demangled and simplified),
// whose sample type has the given unit, and returns its rows in pprof's order.
func Top(tb testing.TB, file, unit string, flags ...string) []Row {
	tb.Helper()
	return TopReport(tb, file, unit, flags...).Rows
}

// Report is what go tool pprof -top prints.
type Report struct {
	Rows []Row
	// Total is the "of X total" figure: the denominator of percentages.
	Total int64
}

var (
	totalRx = regexp.MustCompile(`of (\S+) total`)
	rowRx   = regexp.MustCompile(`^ *\S+ +\S+ +\S+ +\S+ +\S+  (.+)$`)
)

// TopReport is Top with pprof's total too.
func TopReport(tb testing.TB, file, unit string, flags ...string) Report {
	tb.Helper()
	return TopOf(tb, []string{file}, unit, flags...)
}

// TopOf is TopReport of several sources, which pprof merges.
func TopOf(tb testing.TB, files []string, unit string, flags ...string) Report {
	tb.Helper()
	args := []string{"tool", "pprof", "-top", "-nodefraction=0"}
	args = append(args, unitFlag(unit)...)
	args = append(args, flags...)
	args = append(args, files...)
	out, err := exec.Command(GoTool(tb), args...).Output()
	if err != nil {
		tb.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	var rep Report
	inRows := false
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line)
		if m := totalRx.FindStringSubmatch(line); m != nil && !inRows {
			rep.Total = value(tb, m[1])
		}
		if !inRows {
			inRows = len(fields) > 0 && fields[0] == "flat"
			continue
		}
		if len(fields) < 6 {
			continue
		}
		// The name is what follows the fifth column's two spaces, as printed.
		m := rowRx.FindStringSubmatch(line)
		if m == nil {
			tb.Fatalf("go tool pprof row %q", line)
		}
		name, mark := SplitMark(m[1])
		rep.Rows = append(rep.Rows, Row{Name: name, Mark: mark, Flat: value(tb, fields[0]), Cum: value(tb, fields[3])})
	}
	if len(rep.Rows) == 0 {
		tb.Fatalf("go tool pprof printed no rows:\n%s", out)
	}
	return rep
}

func value(tb testing.TB, s string) int64 {
	tb.Helper()
	v, err := strconv.ParseInt(strings.TrimRight(s, "nusB"), 10, 64)
	if err != nil {
		tb.Fatalf("pprof value %q: %v", s, err)
	}
	return v
}
