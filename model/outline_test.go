package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// nodesByPath is each node of t as "path self total", by its path of names.
func nodesByPath(t *Tree) map[string]string {
	out := map[string]string{}
	t.Walk(func(n NodeID, _ int) bool {
		var path []string
		for m := n; m > 0; m = t.Parent[m] {
			path = append(path, t.Name(m))
		}
		out[strings.Join(path, "<")] = fmt.Sprintf("%d/%d", t.Self[n], t.Total[n])
		return true
	})
	return out
}

func TestOutlineIsTheTreeAboveASize(t *testing.T) {
	raw := pproftest.Generate(pproftest.Spec{Samples: 60_000, Stacks: 60_000, Funcs: 3_000, MaxDepth: 40, Seed: 9})
	p := NewProfile("gen", "", raw)
	s, err := CollectStacks(p, 1, Functions)
	if err != nil {
		t.Fatal(err)
	}
	full := s.Tree()
	if whole := s.Outline(0); dump(whole) != dump(full) || whole.Len() != full.Len() {
		t.Fatal("an outline with no minimum is not the whole tree")
	}
	for _, div := range []int64{100, 2000, 8192} {
		min := full.AbsTotal / div
		outline := s.Outline(min)
		if !outline.Partial {
			t.Error("outline not marked partial")
		}
		want := map[string]string{}
		for path, v := range nodesByPath(full) {
			var total int64
			fmt.Sscanf(v[strings.IndexByte(v, '/')+1:], "%d", &total)
			if total >= min || path == "" {
				want[path] = v
			}
		}
		got := nodesByPath(outline)
		if len(got) != len(want) {
			t.Errorf("1/%d: %d nodes, want %d", div, len(got), len(want))
		}
		for path, v := range want {
			if got[path] != v {
				t.Errorf("1/%d: %q is %q, want %q", div, path, got[path], v)
				break
			}
		}
		if outline.Len() >= full.Len()/2 && div <= 2000 {
			t.Errorf("1/%d: the outline keeps %d of %d nodes", div, outline.Len(), full.Len())
		}
	}
}
