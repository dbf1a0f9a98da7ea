package render

import (
	"slices"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
)

// nodeOf is the node at a call path of names from the root; the test
// fails if the path is not all there.
func nodeOf(t *testing.T, tr *model.Tree, path ...string) model.NodeID {
	t.Helper()
	n := NodeAtPath(tr, path)
	if int(tr.Depth[n]) != len(path) {
		t.Fatalf("no frame %v", path)
	}
	return n
}

func TestHistory(t *testing.T) {
	var h History[string]
	steps := []struct {
		do   string // push:X, back, forward
		cur  string // the view shown after
		ok   bool
		desc string
	}{
		{"push:a", "a", true, "a zoom"},
		{"push:a", "a", true, "a zoom to where the graph is records nothing"},
		{"push:b", "b", true, "another zoom"},
		{"back", "a", true, "back to a"},
		{"back", "root", true, "back to the start"},
		{"back", "root", false, "nothing before the start"},
		{"forward", "a", true, "redo"},
		{"push:c", "c", true, "a new zoom forgets what Back undid"},
		{"forward", "c", false, "nothing to redo"},
		{"back", "a", true, "back over the new zoom"},
	}
	cur := "root"
	for _, st := range steps {
		ok := true
		switch {
		case strings.HasPrefix(st.do, "push:"):
			cur = h.Push(cur, strings.TrimPrefix(st.do, "push:"))
		case st.do == "back":
			cur, ok = h.Back(cur)
		case st.do == "forward":
			cur, ok = h.Forward(cur)
		}
		if cur != st.cur || ok != st.ok {
			t.Errorf("%s (%s): view %q ok %v, want %q %v", st.do, st.desc, cur, ok, st.cur, st.ok)
		}
	}
	h.Map(strings.ToUpper)
	if cur, _ := h.Back("x"); cur != "ROOT" {
		t.Errorf("after Map, Back gives %q", cur)
	}
	h.Clear()
	if _, ok := h.Back("x"); ok {
		t.Error("Back after Clear")
	}
}

func TestStep(t *testing.T) {
	tr := tree(t, "main;a;x 5", "main;a;y 3", "main;b 2", "main;c 1")
	for _, tc := range []struct {
		from []string
		move Move
		want []string
	}{
		{[]string{"main", "a"}, ToCaller, []string{"main"}},
		{[]string{"main"}, ToCaller, nil}, // the root
		{nil, ToCaller, nil},              // nowhere above the root
		{[]string{"main", "a"}, ToCallee, []string{"main", "a", "x"}},
		{[]string{"main", "b"}, ToCallee, []string{"main", "b"}}, // a leaf stays
		{[]string{"main", "b"}, ToPrev, []string{"main", "a"}},
		{[]string{"main", "a"}, ToPrev, []string{"main", "a"}}, // the first stays
		{[]string{"main", "b"}, ToNext, []string{"main", "c"}},
		{[]string{"main", "c"}, ToNext, []string{"main", "c"}}, // the last stays
		{nil, ToNext, nil},
	} {
		got := Step(tr, nodeOf(t, tr, tc.from...), tc.move)
		if want := nodeOf(t, tr, tc.want...); got != want {
			t.Errorf("from %v, move %d: %s, want %v", tc.from, tc.move, tr.Name(got), tc.want)
		}
	}
}

func TestTooltipText(t *testing.T) {
	tr := tree(t, "main;lib.Do;runtime.mallocgc 30", "main;lib.Do 10", "main 60")
	mine := make([]model.Origin, len(tr.Funcs))
	for f, fn := range tr.Funcs {
		switch {
		case fn.Name == "main":
			mine[f] = model.OriginMine
		case strings.HasPrefix(fn.Name, "runtime."):
			mine[f] = model.OriginRuntime
		default:
			mine[f] = model.OriginDeps
		}
	}
	malloc := nodeOf(t, tr, "main", "lib.Do", "runtime.mallocgc")
	for _, tc := range []struct {
		name    string
		b       Box
		origins []model.Origin
		want    []string
	}{
		{"a frame", Box{Node: malloc}, nil, []string{"runtime.mallocgc", "self: 30 (30.00% of all)", "total: 30 (30.00% of all, 75.00% of lib.Do)"}},
		{"whose code", Box{Node: malloc}, mine, []string{"runtime; your nearest caller: main"}},
		{"the user's own", Box{Node: nodeOf(t, tr, "main")}, mine, []string{"\nyour code"}},
		{"the root", Box{Node: model.Root}, mine, []string{"total: 100 (100.00% of all)"}},
		{"frames under a pixel", Box{Node: Narrow, Value: 7}, nil, []string{"frames narrower than a pixel", "total: 7 (7.00% of all)"}},
	} {
		got := TooltipText(tr, tc.b, tc.origins, nil)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: tooltip lacks %q:\n%s", tc.name, w, got)
			}
		}
	}
	if got := TooltipText(tr, Box{Node: malloc}, mine[:1], nil); strings.Contains(got, "nearest caller") {
		t.Errorf("origins of another tree were used:\n%s", got)
	}
}

func TestMarkedRowsAndOverview(t *testing.T) {
	tr := tree(t, "main;a;x;hot 5", "main;b;hot 3", "main;a;y 2")
	highlight := make([]bool, len(tr.Funcs))
	f, _ := tr.FuncByName("hot")
	highlight[f] = true
	rows, count := MarkedRows(tr, model.Root, highlight)
	if sorted := slices.Sorted(slices.Values(rows)); !slices.Equal(sorted, []int{3, 4}) {
		t.Errorf("marked rows %v, want depths 3 and 4, once each", rows)
	}
	if count != 5 {
		t.Errorf("%d rows, want 5 (root to hot under x)", count)
	}
	v := NewView(10)
	if o := OverviewOf(rows, count, v, 100); o != nil {
		t.Errorf("every row fits 100 px of 10 px rows, yet an overview: %+v", o)
	}
	if o := OverviewOf(rows, count, v, 20); o == nil || o.FirstVisible != 0 || o.LastVisible != 2 || o.Rows != 5 {
		t.Errorf("two rows on screen of five: %+v", o)
	}
	// Zoomed to b: its caller main holds no mark; hot under b does.
	rows, count = MarkedRows(tr, nodeOf(t, tr, "main", "b"), highlight)
	if !slices.Equal(rows, []int{3}) || count != 4 {
		t.Errorf("zoomed to b: rows %v of %d, want [3] of 4", rows, count)
	}
}
