// Package sessiontest holds the one table of flag combinations that every
// front end of flamelens is tested with — the headless commands and the
// window — so that a flag means the same in each: the same numbers as
// go tool pprof given the same flags, or the same usage error.
package sessiontest

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// Case is one combination of flags on one source.
type Case struct {
	Name string
	// File is the profile (NEW, in a comparison), DiffBase or Base the
	// one compared with it: names in the testdata folder.
	File, DiffBase, Base string
	// More are further files merged with File (pprof's "pprof a b c").
	More      []string
	Normalize bool
	// DiffMerge says File is a -diff_base merge: a comparison by itself.
	DiffMerge   bool
	SampleIndex string        // -sample_index, "" for pprof's default
	Filters     model.Filters // pprof's filter flags
	// Unit is the chosen sample type's unit, for pprof's -unit.
	Unit string
	// Usage is the usage error the combination gets, or "" for none.
	Usage string
}

// Cases is the table. dir is the testdata folder, as the test sees it.
func Cases(dir string) []Case {
	const (
		before = "json-gogcoff.cpu.pprof"
		after  = "json-gogc10.cpu.pprof"
		mem    = "json.mem.pprof"
	)
	cases := []Case{
		{Name: "plain", File: after, Unit: "nanoseconds"},
		{Name: "sample_index by name", File: mem, SampleIndex: "alloc_space", Unit: "bytes"},
		{Name: "sample_index by number", File: mem, SampleIndex: "3", Unit: "bytes"},
		{Name: "focus", File: after, Filters: model.Filters{Focus: "Unmarshal"}, Unit: "nanoseconds"},
		{Name: "ignore and hide", File: after, Filters: model.Filters{Ignore: "gcBgMarkWorker", Hide: "runtime\\."}, Unit: "nanoseconds"},
		{Name: "show_from", File: after, Filters: model.Filters{ShowFrom: "json\\.Unmarshal"}, Unit: "nanoseconds"},
		{Name: "prune_from", File: mem, SampleIndex: "alloc_objects", Filters: model.Filters{PruneFrom: "json\\.Unmarshal"}, Unit: "count"},
		{Name: "diff_base", File: after, DiffBase: before, Unit: "nanoseconds"},
		{Name: "diff_base normalized", File: after, DiffBase: before, Normalize: true, Unit: "nanoseconds"},
		{Name: "diff_base focused", File: after, DiffBase: before, Filters: model.Filters{Focus: "json"}, Unit: "nanoseconds"},
		{Name: "base", File: after, Base: before, Unit: "nanoseconds"},
		{Name: "base normalized", File: after, Base: before, Normalize: true, Unit: "nanoseconds"},
		// pprof's -diff_base merge written as one file is that comparison.
		{Name: "pprof's diff merge", File: "json-diff.cpu.pprof", DiffMerge: true, Unit: "nanoseconds"},
		{Name: "pprof's diff merge focused", File: "json-diff.cpu.pprof", DiffMerge: true, Filters: model.Filters{Focus: "json"}, Unit: "nanoseconds"},
		{Name: "label frames at the root", File: "labels.cpu.pprof", Filters: model.Filters{TagRoot: "handler,tenant"}, Unit: "nanoseconds"},
		{Name: "numeric label frames at the leaf, focused", File: mem, SampleIndex: "alloc_objects", Filters: model.Filters{TagLeaf: "bytes", Focus: "json"}, Unit: "count"},
		{Name: "merged sources", File: after, More: []string{before, "json.cpu.pprof"}, Unit: "nanoseconds"},
		{Name: "merged sources focused", File: after, More: []string{before, "json.cpu.pprof"}, Filters: model.Filters{Focus: "Unmarshal", Hide: "runtime"}, Unit: "nanoseconds"},
		{Name: "merged sources compared", File: after, More: []string{"json.cpu.pprof"}, DiffBase: before, Unit: "nanoseconds"},
		{Name: "both bases", File: after, DiffBase: before, Base: before, Usage: "-diff_base and -base cannot both be given"},
		{Name: "normalize alone", File: after, Normalize: true, Usage: "-normalize needs -diff_base or -base"},
	}
	for i := range cases {
		c := &cases[i]
		for _, f := range []*string{&c.File, &c.DiffBase, &c.Base} {
			if *f != "" {
				*f = filepath.Join(dir, *f)
			}
		}
		for j := range c.More {
			c.More[j] = filepath.Join(dir, c.More[j])
		}
	}
	return cases
}

// Comparing reports whether the case opens a comparison.
func (c Case) Comparing() bool { return c.DiffBase != "" || c.Base != "" || c.DiffMerge }

// Files are the case's profile files: File, then More.
func (c Case) Files() []string { return append([]string{c.File}, c.More...) }

// Flags are the case's flags as flamelens and go tool pprof both spell
// them, without the file.
func (c Case) Flags() []string {
	var out []string
	if c.SampleIndex != "" {
		out = append(out, "-sample_index="+c.SampleIndex)
	}
	for _, name := range model.FilterNames {
		if v := *c.Filters.Field(name); v != "" {
			out = append(out, "-"+name+"="+v)
		}
	}
	if c.DiffBase != "" {
		out = append(out, "-diff_base="+c.DiffBase)
	}
	if c.Base != "" {
		out = append(out, "-base="+c.Base)
	}
	if c.Normalize {
		out = append(out, "-normalize")
	}
	return out
}

// Rows are a function table as rows to Check.
func Rows(stats []model.FuncStat) []pproftest.Row {
	rows := make([]pproftest.Row, len(stats))
	for i, r := range stats {
		rows[i] = pproftest.Row{Name: r.Name, Flat: r.Flat, Cum: r.Cum}
	}
	return rows
}

// Check compares a front end's function table and total with go tool
// pprof -top given the case's flags: every function's flat and cum, by
// name (rows of equal value may come in another order).
func (c Case) Check(tb testing.TB, rows []pproftest.Row, total int64) {
	tb.Helper()
	rep := pproftest.TopOf(tb, c.Files(), c.Unit, c.Flags()...)
	if total != rep.Total {
		tb.Errorf("total %d, pprof's %d", total, rep.Total)
	}
	checkRows(tb, rows, rep)
}

// CheckRows is Check of the function table alone, for a view written
// out as a profile of its own, whose total is what it shows.
func (c Case) CheckRows(tb testing.TB, rows []pproftest.Row) {
	tb.Helper()
	checkRows(tb, rows, pproftest.TopOf(tb, c.Files(), c.Unit, c.Flags()...))
}

func checkRows(tb testing.TB, rows []pproftest.Row, rep pproftest.Report) {
	tb.Helper()
	key := func(r pproftest.Row) pproftest.Row { return pproftest.Row{Name: r.Name, Flat: r.Flat, Cum: r.Cum} }
	want := make([]pproftest.Row, len(rep.Rows))
	for i, r := range rep.Rows {
		want[i] = key(r)
	}
	got := make([]pproftest.Row, len(rows))
	for i, r := range rows {
		got[i] = key(r)
	}
	byName := func(a, b pproftest.Row) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	}
	slices.SortFunc(want, byName)
	slices.SortFunc(got, byName)
	if len(got) != len(want) {
		tb.Errorf("%d functions, pprof has %d", len(got), len(want))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			tb.Errorf("%+v, pprof %+v", got[i], want[i])
			return
		}
	}
}
