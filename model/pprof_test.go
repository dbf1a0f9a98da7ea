package model

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// pprofRow is one row of go tool pprof -top.
type pprofRow struct {
	Name      string
	Flat, Cum int64
}

// goTool returns the path of the go command that built this test.
func goTool(t testing.TB) string {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("go command not found")
		}
	}
	return goBin
}

// unitFlag makes pprof print integers in the sample type's own unit.
func unitFlag(unit string) []string {
	switch unit {
	case "nanoseconds":
		return []string{"-unit=ns"}
	case "bytes":
		return []string{"-unit=B"}
	}
	return nil
}

// pprofTop runs go tool pprof -top -nodefraction=0 on file with extra flags
// and returns its rows in pprof's order.
func pprofTop(t testing.TB, file, unit string, flags ...string) []pprofRow {
	t.Helper()
	args := []string{"tool", "pprof", "-top", "-nodefraction=0", "-symbolize=none"}
	args = append(args, unitFlag(unit)...)
	args = append(args, flags...)
	args = append(args, file)
	out, err := exec.Command(goTool(t), args...).Output()
	if err != nil {
		t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	var rows []pprofRow
	inRows := false
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line)
		if !inRows {
			inRows = len(fields) > 0 && fields[0] == "flat"
			continue
		}
		if len(fields) < 6 {
			continue
		}
		name := strings.Join(fields[5:], " ")
		name = strings.TrimSuffix(strings.TrimSuffix(name, " (inline)"), " (partial-inline)")
		rows = append(rows, pprofRow{Name: name, Flat: pprofValue(t, fields[0]), Cum: pprofValue(t, fields[3])})
	}
	if len(rows) == 0 {
		t.Fatalf("go tool pprof printed no rows:\n%s", out)
	}
	return rows
}

func pprofValue(t testing.TB, s string) int64 {
	t.Helper()
	s = strings.TrimRight(s, "nsB")
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("pprof value %q: %v", s, err)
	}
	return v
}

func checkAgainstPprof(t *testing.T, file string, sampleIndex int, cum bool) {
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := BuildTree(p, sampleIndex)
	if err != nil {
		t.Fatal(err)
	}
	flags := []string{"-sample_index=" + strconv.Itoa(sampleIndex)}
	rows := tree.Functions()
	if cum {
		flags = append(flags, "-cum")
		SortByCum(rows)
	} else {
		SortByFlat(rows)
	}
	want := pprofTop(t, file, tree.SampleType.Unit, flags...)
	if len(rows) != len(want) {
		t.Errorf("%d functions, pprof has %d", len(rows), len(want))
	}
	for i := 0; i < len(rows) && i < len(want); i++ {
		got := pprofRow{Name: rows[i].Name, Flat: rows[i].Flat, Cum: rows[i].Cum}
		if got != want[i] {
			t.Errorf("row %d: got %+v, pprof %+v", i, got, want[i])
		}
	}
}

func TestTopMatchesPprof(t *testing.T) {
	files := []string{
		"../testdata/json.cpu.pprof",
		"../testdata/json.mem.pprof",
		"../testdata/sort.cpu.pprof",
		"../testdata/regexp.cpu.pprof",
	}
	for _, file := range files {
		p, err := Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, st := range p.SampleTypes() {
			for _, cum := range []bool{false, true} {
				name := filepath.Base(file) + "/" + st.Name
				if cum {
					name += "/cum"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					checkAgainstPprof(t, file, i, cum)
				})
			}
		}
	}
}
