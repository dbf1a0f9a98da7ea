package model

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

func checkAgainstPprof(t *testing.T, file string, sampleIndex int, cum bool) {
	checkFiltered(t, file, sampleIndex, cum, Filters{})
}

// checkFiltered compares flat, cum and the total with go tool pprof -top
// given the same filters as flags.
func checkFiltered(t *testing.T, file string, sampleIndex int, cum bool, filters Filters) {
	t.Helper()
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = p.Filter(filters); err != nil {
		t.Fatal(err)
	}
	tree, err := BuildTree(p, sampleIndex)
	if err != nil {
		t.Fatal(err)
	}
	flags := []string{"-sample_index=" + strconv.Itoa(sampleIndex)}
	for _, name := range FilterNames {
		if v := *filters.Field(name); v != "" {
			flags = append(flags, "-"+name+"="+v)
		}
	}
	rows := tree.Functions()
	marks := tree.Stacks().InlineMarks()
	if cum {
		flags = append(flags, "-cum")
		SortByCum(rows)
	} else {
		SortByFlat(rows)
	}
	rep := pproftest.TopReport(t, file, tree.SampleType.Unit, flags...)
	want := rep.Rows
	if tree.AbsTotal != rep.Total {
		t.Errorf("total %d, pprof's %d", tree.AbsTotal, rep.Total)
	}
	if len(rows) != len(want) {
		t.Errorf("%d functions, pprof has %d", len(rows), len(want))
	}
	for i := 0; i < len(rows) && i < len(want); i++ {
		got := rowOf(rows[i], marks)
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

// rowOf is a table row as pprof -top prints it: with its inline mark, or
// without marks (nil) for trees that do not know them.
func rowOf(r FuncStat, marks []InlineMark) pproftest.Row {
	row := pproftest.Row{Name: r.Name, Flat: r.Flat, Cum: r.Cum}
	if marks != nil {
		row.Mark = string(marks[r.Func])
	}
	return row
}

// withoutMarks is pprof's rows with the inline marks left out, for the
// trees of a comparison's two-sided stacks, which do not keep them.
func withoutMarks(rows []pproftest.Row) []pproftest.Row {
	out := make([]pproftest.Row, len(rows))
	for i, r := range rows {
		r.Mark = ""
		out[i] = r
	}
	return out
}
