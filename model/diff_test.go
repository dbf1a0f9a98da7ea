package model

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// loadPair loads two test profiles.
func loadPair(base, newFile string) (*Profile, *Profile, error) {
	b, err := Load(base)
	if err != nil {
		return nil, nil, err
	}
	n, err := Load(newFile)
	return b, n, err
}

// checkDiff compares flamelens's numbers for a comparison with
// go tool pprof -top given the same flags.
func checkDiff(t *testing.T, base, newFile string, mode DiffMode, normalize bool, sampleIndex int) {
	t.Helper()
	b, n, err := loadPair("../testdata/"+base, "../testdata/"+newFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compare(b, n, mode, normalize)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := BuildTree(p, sampleIndex)
	if err != nil {
		t.Fatal(err)
	}
	flag := "-diff_base=../testdata/" + base
	if mode == SubtractBase {
		flag = "-base=../testdata/" + base
	}
	flags := []string{flag, "-sample_index=" + strconv.Itoa(sampleIndex)}
	if normalize {
		flags = append(flags, "-normalize")
	}
	rep := pproftest.TopReport(t, "../testdata/"+newFile, tree.SampleType.Unit, flags...)
	rows := tree.Functions()
	marks := tree.Stacks().InlineMarks()
	SortByFlat(rows)
	if tree.AbsTotal != rep.Total {
		t.Errorf("total %d, pprof's %d", tree.AbsTotal, rep.Total)
	}
	if len(rows) != len(rep.Rows) {
		t.Errorf("%d functions, pprof has %d", len(rows), len(rep.Rows))
	}
	for i := 0; i < len(rows) && i < len(rep.Rows); i++ {
		got := rowOf(rows[i], marks)
		if got != rep.Rows[i] {
			t.Errorf("row %d: %+v, pprof %+v", i, got, rep.Rows[i])
		}
	}
}

func TestCompareMatchesPprof(t *testing.T) {
	tests := []struct {
		name        string
		base, new   string
		mode        DiffMode
		normalize   bool
		sampleIndex int
	}{
		{"cpu diff_base", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof", DiffBase, false, 1},
		{"cpu diff_base samples", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof", DiffBase, false, 0},
		{"cpu diff_base normalized", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof", DiffBase, true, 1},
		{"cpu base", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof", SubtractBase, false, 1},
		{"cpu base normalized", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof", SubtractBase, true, 1},
		{"heap diff_base alloc_space", "json-gogcoff.mem.pprof", "json-gogc10.mem.pprof", DiffBase, false, 1},
		{"heap diff_base inuse_objects", "json-gogcoff.mem.pprof", "json-gogc10.mem.pprof", DiffBase, false, 2},
		{"heap base alloc_objects", "json-gogcoff.mem.pprof", "json-gogc10.mem.pprof", SubtractBase, false, 0},
		{"heap base inuse_space normalized", "json-gogcoff.mem.pprof", "json-gogc10.mem.pprof", SubtractBase, true, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkDiff(t, tc.base, tc.new, tc.mode, tc.normalize, tc.sampleIndex)
		})
	}
}

func TestCompareDifferentSampleTypes(t *testing.T) {
	b, n, err := loadPair("../testdata/json.mem.pprof", "../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compare(b, n, DiffBase, false)
	if err == nil || !strings.Contains(err.Error(), "cannot compare ../testdata/json.cpu.pprof (samples/count, cpu/nanoseconds) with ../testdata/json.mem.pprof (alloc_objects/count") ||
		!strings.Contains(err.Error(), "different sample types") {
		t.Errorf("error %v", err)
	}
}

func TestComparisonStacksKeepBothSides(t *testing.T) {
	b, n, err := loadPair("../testdata/json-gogcoff.cpu.pprof", "../testdata/json-gogc10.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compare(b, n, DiffBase, false)
	if err != nil {
		t.Fatal(err)
	}
	// The merge parts into its two sides again.
	s, err := SplitDiff(p).Stacks(1, Functions)
	if err != nil {
		t.Fatal(err)
	}
	byNew, byBase, _ := s.CompareTrees(DiffBase)
	if dump(byBase) != dump(s.Swapped().Tree()) {
		t.Error("CompareTrees's BASE-shaped tree differs from the swapped stacks' tree")
	}
	baseAlone := mustTree(t, b)
	newAlone := mustTree(t, n)
	// Each side's values are that profile's own, whichever side shapes.
	if byNew.Total[Root] != newAlone.Total[Root] || byNew.OtherTotal[Root] != baseAlone.Total[Root] {
		t.Errorf("root new %d base %d; want %d and %d", byNew.Total[Root], byNew.OtherTotal[Root], newAlone.Total[Root], baseAlone.Total[Root])
	}
	if byBase.Total[Root] != baseAlone.Total[Root] || byBase.OtherTotal[Root] != newAlone.Total[Root] {
		t.Error("the swapped tree does not put BASE first")
	}
	// The same node is the same call path in both shapes.
	if byNew.Len() != byBase.Len() {
		t.Fatalf("%d nodes vs %d", byNew.Len(), byBase.Len())
	}
	for n := 1; n < byNew.Len(); n += 97 {
		if byNew.Fn[n] != byBase.Fn[n] || byNew.Parent[n] != byBase.Parent[n] || byNew.Total[n] != byBase.OtherTotal[n] {
			t.Fatalf("node %d differs between the two shapes", n)
		}
	}
	// Per-function deltas: NEW's flat/cum equal NEW alone's, BASE's BASE alone's.
	want := map[string][2]int64{}
	for _, r := range baseAlone.Functions() {
		want[r.Name] = [2]int64{r.Flat, r.Cum}
	}
	for _, d := range byNew.FunctionDeltas() {
		if w := want[d.Name]; w != [2]int64{d.OtherFlat, d.OtherCum} {
			t.Errorf("%s: base flat/cum %d/%d, BASE alone has %v", d.Name, d.OtherFlat, d.OtherCum, w)
		}
	}
}

// pairSpec is the shape of the comparison benchmark: two runs of 400k
// distinct stacks each over the same 40k functions, drawn differently.
var pairSpec = pproftest.Spec{Samples: 400_000, Stacks: 400_000, Funcs: 40_000, MaxDepth: 64}

func generatedPair(b *testing.B) (base, newP *Profile) {
	b.Helper()
	bs, ns := pairSpec, pairSpec
	bs.Seed, ns.Seed = 11, 12
	return NewProfile("base", "", pproftest.Generate(bs)), NewProfile("new", "", pproftest.Generate(ns))
}

// BenchmarkLoadPair400kStacks is what the comparison is measured
// against: loading its two profiles (parse, tree and function table each).
func BenchmarkLoadPair400kStacks(b *testing.B) {
	base, n := generatedPair(b)
	var data [2][]byte
	for i, p := range []*Profile{base, n} {
		var buf bytes.Buffer
		if err := p.Raw.Write(&buf); err != nil {
			b.Fatal(err)
		}
		data[i] = buf.Bytes()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range data {
			p, err := Parse("run.pb.gz", d)
			if err != nil {
				b.Fatal(err)
			}
			tree, err := BuildTree(p, 1)
			if err != nil {
				b.Fatal(err)
			}
			tree.Functions()
		}
	}
}

// BenchmarkDiff400kStacks is the comparison target: what the window does
// to compare two loaded 400k-stack profiles — both sides' stacks on one
// function table, trees shaped by NEW and by BASE, NEW minus BASE with its
// function table, and the per-function deltas — under twice
// BenchmarkLoadPair400kStacks.
func BenchmarkDiff400kStacks(b *testing.B) {
	base, newP := generatedPair(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c, err := NewComparison(base, newP, DiffBase, false)
		if err != nil {
			b.Fatal(err)
		}
		s, err := c.Stacks(1, Functions)
		if err != nil {
			b.Fatal(err)
		}
		byNew, _, merged := s.CompareTrees(DiffBase)
		merged.Functions()
		byNew.FunctionDeltas()
	}
}

func TestNewMinusBaseMatchesPprof(t *testing.T) {
	b, n, err := loadPair("../testdata/json-gogcoff.cpu.pprof", "../testdata/json-gogc10.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	for _, normalize := range []bool{false, true} {
		c, err := NewComparison(b, n, DiffBase, normalize)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Stacks(1, Functions)
		if err != nil {
			t.Fatal(err)
		}
		tree := s.NewMinusBase(DiffBase).Tree()
		_, _, merged := s.CompareTrees(DiffBase)
		if dump(merged) != dump(tree) {
			t.Fatal("CompareTrees's NEW−BASE tree differs from NewMinusBase's")
		}
		flags := []string{"-diff_base=../testdata/json-gogcoff.cpu.pprof"}
		if normalize {
			flags = append(flags, "-normalize")
		}
		rep := pproftest.TopReport(t, "../testdata/json-gogc10.cpu.pprof", "nanoseconds", flags...)
		rows := tree.Functions()
		SortByFlat(rows)
		rep.Rows = withoutMarks(rep.Rows)
		if tree.AbsTotal != rep.Total || len(rows) != len(rep.Rows) {
			t.Fatalf("normalize %v: total %d, %d rows; pprof %d, %d rows", normalize, tree.AbsTotal, len(rows), rep.Total, len(rep.Rows))
		}
		for i := range rows {
			if got := rowOf(rows[i], nil); got != rep.Rows[i] {
				t.Errorf("normalize %v row %d: %+v, pprof %+v", normalize, i, got, rep.Rows[i])
			}
		}
	}
}

func TestFilteredComparisonKeepsPprofTotals(t *testing.T) {
	b, n, err := loadPair("../testdata/json-gogcoff.cpu.pprof", "../testdata/json-gogc10.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewComparison(b, n, DiffBase, false)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := c.Filter(Filters{Focus: "Unmarshal"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := fc.Stacks(1, Functions)
	if err != nil {
		t.Fatal(err)
	}
	_, _, merged := s.CompareTrees(DiffBase)
	rep := pproftest.TopReport(t, "../testdata/json-gogc10.cpu.pprof", "nanoseconds",
		"-diff_base=../testdata/json-gogcoff.cpu.pprof", "-focus=Unmarshal")
	rows := merged.Functions()
	SortByFlat(rows)
	rep.Rows = withoutMarks(rep.Rows)
	if merged.AbsTotal != rep.Total || len(rows) != len(rep.Rows) {
		t.Fatalf("total %d, %d rows; pprof %d, %d rows", merged.AbsTotal, len(rows), rep.Total, len(rep.Rows))
	}
	for i := range rows {
		if got := rowOf(rows[i], nil); got != rep.Rows[i] {
			t.Errorf("row %d: %+v, pprof %+v", i, got, rep.Rows[i])
		}
	}
}

func TestPprofsOwnDiffMergeOpensAsAComparison(t *testing.T) {
	// go tool pprof -proto -diff_base writes the merge it compares: BASE's
	// samples negated and labelled. Opened, it parts into the two runs,
	// each with the numbers pprof prints for its own file.
	const base, newFile = "../testdata/json-gogcoff.cpu.pprof", "../testdata/json-gogc10.cpu.pprof"
	out, err := exec.Command(pproftest.GoTool(t), "tool", "pprof", "-proto", "-diff_base="+base, newFile).Output()
	if err != nil {
		t.Fatalf("go tool pprof -proto -diff_base: %v", err)
	}
	p, err := Parse("diff.pb.gz", out)
	if err != nil {
		t.Fatal(err)
	}
	c := SplitDiff(p)
	if c == nil || c.Mode != DiffBase {
		t.Fatalf("pprof's diff merge read as %+v, want a -diff_base comparison", c)
	}
	for _, side := range []struct {
		p    *Profile
		file string
	}{{c.Base, base}, {c.New, newFile}} {
		idx, err := side.p.SampleIndex("cpu")
		if err != nil {
			t.Fatal(err)
		}
		s, err := CollectStacks(side.p, idx, Functions)
		if err != nil {
			t.Fatal(err)
		}
		want := pproftest.TopReport(t, side.file, "nanoseconds", "-sample_index=cpu")
		if s.AbsTotal != want.Total {
			t.Errorf("%s: total %d, pprof's %d", side.p.Source, s.AbsTotal, want.Total)
		}
		flat := map[string]int64{}
		for _, r := range s.Functions() {
			flat[r.Name] = r.Flat
		}
		for _, r := range want.Rows {
			if flat[r.Name] != r.Flat {
				t.Errorf("%s: %s flat %d, pprof's %d", side.p.Source, r.Name, flat[r.Name], r.Flat)
			}
		}
	}
	// A plain profile is no comparison, and a comparison is not compared again.
	if one, _ := Load(newFile); SplitDiff(one) != nil {
		t.Error("a plain profile split into a comparison")
	}
	if _, err := NewComparison(p, p, DiffBase, false); err == nil || !strings.Contains(err.Error(), "is a comparison already") {
		t.Errorf("comparing a diff merge: %v", err)
	}
}
