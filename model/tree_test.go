package model

import (
	"fmt"
	"strings"
	"testing"
)

// folded builds a profile from folded-stack lines.
func folded(t testing.TB, lines ...string) *Profile {
	t.Helper()
	p, err := Parse("fixture.folded", []byte(strings.Join(lines, "\n")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// dump prints a tree as indented "name self/total" lines in child order.
func dump(t *Tree) string {
	var b strings.Builder
	t.Walk(func(n NodeID, depth int) bool {
		fmt.Fprintf(&b, "%s%s %d/%d\n", strings.Repeat("  ", depth), t.Name(n), t.Self[n], t.Total[n])
		return true
	})
	return b.String()
}

func mustTree(t testing.TB, p *Profile) *Tree {
	t.Helper()
	tree, err := p.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestBuildTree(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{
			name:  "merges equal paths and sorts children by total then name",
			lines: []string{"main;b 10", "main;a 10", "main;c;d 30", "main;b 5", "main 1"},
			want: `root 0/56
  main 1/56
    c 0/30
      d 30/30
    b 15/15
    a 10/10
`,
		},
		{
			name:  "same function under different callers stays apart",
			lines: []string{"main;x;z 4", "main;y;z 6"},
			want: `root 0/10
  main 0/10
    y 0/6
      z 6/6
    x 0/4
      z 4/4
`,
		},
		{
			name:  "recursion keeps every level",
			lines: []string{"main;f;f;f 3", "main;f 2"},
			want: `root 0/5
  main 0/5
    f 2/5
      f 0/3
        f 3/3
`,
		},
		{
			name:  "zero counts are skipped",
			lines: []string{"main;a 0", "main;b 7"},
			want: `root 0/7
  main 0/7
    b 7/7
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := mustTree(t, folded(t, tc.lines...))
			if got := dump(tree); got != tc.want {
				t.Errorf("tree:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestFunctionsCountRecursionOnce(t *testing.T) {
	tree := mustTree(t, folded(t, "main;f;g;f;f 3", "main;f 2", "main;g 4"))
	got := map[string][2]int64{}
	for _, r := range tree.Functions() {
		got[r.Name] = [2]int64{r.Flat, r.Cum}
	}
	want := map[string][2]int64{
		"main": {0, 9},
		"f":    {5, 5},
		"g":    {4, 7},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("flat/cum = %v, want %v", got, want)
	}
	if tree.AbsTotal != 9 {
		t.Errorf("AbsTotal = %d, want 9", tree.AbsTotal)
	}
}

func TestSortByFlatBreaksTiesByName(t *testing.T) {
	rows := []FuncStat{
		{Name: "b", Flat: 0, Cum: 9},
		{Name: "a", Flat: 0, Cum: 1},
		{Name: "c", Flat: -5, Cum: 5},
		{Name: "d", Flat: 3, Cum: 3},
	}
	SortByFlat(rows)
	var names []string
	for _, r := range rows {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, ","); got != "c,d,a,b" {
		t.Errorf("order %s, want c,d,a,b", got)
	}
	SortByCum(rows)
	names = names[:0]
	for _, r := range rows {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, ","); got != "b,c,d,a" {
		t.Errorf("cum order %s, want b,c,d,a", got)
	}
}

func TestStacksFunctionsEqualTreeFunctions(t *testing.T) {
	for _, file := range []string{"json.cpu.pprof", "json.mem.pprof", "sort.cpu.pprof"} {
		p, err := Load("../testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.SampleTypes() {
			s, err := CollectStacks(p, i, Functions)
			if err != nil {
				t.Fatal(err)
			}
			a, b := s.Functions(), s.Tree().Functions()
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s/%d: the stacks' table differs from the tree's", file, i)
			}
			if s.Sum() != s.Tree().Total[Root] {
				t.Errorf("%s/%d: Sum %d, root %d", file, i, s.Sum(), s.Tree().Total[Root])
			}
		}
	}
}
