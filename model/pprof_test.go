package model

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
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
	checkGranular(t, file, sampleIndex, cum, Functions, filters)
}

// checkGranular is checkFiltered at granularity g (pprof's -lines, …).
func checkGranular(t *testing.T, file string, sampleIndex int, cum bool, g Granularity, filters Filters) {
	t.Helper()
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = p.Filter(filters); err != nil {
		t.Fatal(err)
	}
	s, err := CollectStacks(p, sampleIndex, g)
	if err != nil {
		t.Fatal(err)
	}
	tree := s.Tree()
	flags := []string{"-sample_index=" + strconv.Itoa(sampleIndex), "-" + g.String()}
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
	got := make([]pproftest.Row, len(rows))
	for i, r := range rows {
		got[i] = rowOf(r, marks)
	}
	if g == Files {
		// At -files pprof keeps a node per function (by its start line)
		// named after the file alone, and its sort leaves rows that tie
		// in value and name in map order, different on every run: both
		// sides' tied rows are put in one order before comparing.
		canonical(got, cum)
		canonical(want, cum)
	}
	if tree.AbsTotal != rep.Total {
		t.Errorf("total %d, pprof's %d", tree.AbsTotal, rep.Total)
	}
	if len(got) != len(want) {
		t.Errorf("%d functions, pprof has %d", len(got), len(want))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, pprof %+v", i, got[i], want[i])
		}
	}
}

// canonical sorts rows as pprof does (by flat or cum, then name), ties by
// the other value and then the mark.
func canonical(rows []pproftest.Row, cum bool) {
	slices.SortStableFunc(rows, func(a, b pproftest.Row) int {
		first, second := cmp.Compare(abs(b.Flat), abs(a.Flat)), cmp.Compare(abs(b.Cum), abs(a.Cum))
		if cum {
			first, second = second, first
		}
		return cmp.Or(first, cmp.Compare(a.Name, b.Name), second, cmp.Compare(a.Mark, b.Mark))
	})
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

// TestGranularitiesMatchPprof checks every granularity's table (names,
// inline marks, flat, cum, order) against go tool pprof -top -lines,
// -files, -filefunctions and -addresses on real CPU and heap profiles.
func TestGranularitiesMatchPprof(t *testing.T) {
	cases := []struct {
		file        string
		sampleIndex int
		cum         bool
	}{
		{"../testdata/json.cpu.pprof", 1, false},
		{"../testdata/json.cpu.pprof", 1, true},
		{"../testdata/json.mem.pprof", 1, false},
		{"../testdata/json.mem.pprof", 3, true},
		{"../testdata/regexp.cpu.pprof", 0, false},
	}
	for _, tc := range cases {
		for _, g := range Granularities[1:] {
			name := fmt.Sprintf("%s/%d/%s/cum=%v", filepath.Base(tc.file), tc.sampleIndex, g, tc.cum)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				checkGranular(t, tc.file, tc.sampleIndex, tc.cum, g, Filters{})
			})
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
