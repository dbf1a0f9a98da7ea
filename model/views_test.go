package model

import (
	"fmt"
	"strings"
	"testing"
)

func TestViews(t *testing.T) {
	p := folded(t, "main;a;f;x 5", "main;b;f;y 3", "main;b;f;f;x 1", "main;c 2")
	base := mustTree(t, p)
	f, ok := base.FuncByName("f")
	if !ok {
		t.Fatal("no f")
	}
	tests := []struct {
		name string
		view *Stacks
		want string
	}{
		{"inverted", base.Stacks().Inverted(), `root 0/11
  x 0/6
    f 0/6
      a 0/5
        main 5/5
      f 0/1
        b 0/1
          main 1/1
  y 0/3
    f 0/3
      b 0/3
        main 3/3
  c 0/2
    main 2/2
`},
		{"focus on f merges its call sites", base.Stacks().FocusOn(f), `root 0/9
  f 0/9
    x 5/5
    y 3/3
    f 0/1
      x 1/1
`},
		{"callers of f", base.Stacks().CallersOf(f), `root 0/9
  f 0/9
    a 0/5
      main 5/5
    b 0/4
      main 4/4
`},
		{"hide f gives its value to the caller", base.Stacks().MergeIntoCaller(f), `root 0/11
  main 0/11
    a 0/5
      x 5/5
    b 0/4
      y 3/3
      x 1/1
    c 2/2
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := tc.view.Tree()
			if got := dump(tree); got != tc.want {
				t.Errorf("tree:\n%s\nwant:\n%s", got, tc.want)
			}
			if tree.AbsTotal != base.AbsTotal {
				t.Errorf("AbsTotal %d, want the profile's %d", tree.AbsTotal, base.AbsTotal)
			}
		})
	}
}

func TestHideEveryFrameKeepsValueAtRoot(t *testing.T) {
	tree := mustTree(t, folded(t, "f 4", "main;f 1"))
	f, _ := tree.FuncByName("f")
	got := dump(tree.Stacks().MergeIntoCaller(f).Tree())
	want := "root 4/5\n  main 1/1\n"
	if got != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}
}

func TestNeighbors(t *testing.T) {
	tree := mustTree(t, folded(t, "main;a;f;x 5", "main;b;f;y 3", "main;b;f;f;x 1", "f;x 2"))
	f, _ := tree.FuncByName("f")
	callers, callees := tree.Neighbors(f)
	name := func(e []Edge) string {
		s := ""
		for _, x := range e {
			s += fmt.Sprintf("%s=%d ", tree.funcName(x.Func), x.Value)
		}
		return s
	}
	if got := name(callers); got != "a=5 b=4 root=2 " {
		t.Errorf("callers %s", got)
	}
	if got := name(callees); got != "x=7 y=3 f=1 " {
		t.Errorf("callees %s", got)
	}
}

func TestCollapseRecursion(t *testing.T) {
	tree := mustTree(t, folded(t, "main;f;g;f;h 3", "main;f;f;f 2", "main;g;f;x;f 1"))
	f, _ := tree.FuncByName("f")
	got := dump(tree.Stacks().CollapseRecursion(f).Tree())
	want := `root 0/6
  main 0/6
    f 2/5
      h 3/3
    g 0/1
      f 1/1
`
	if got != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}
}

func TestLargestFrameAndTags(t *testing.T) {
	tree := mustTree(t, folded(t, "main;a;f 3", "main;b;f 7"))
	f, _ := tree.FuncByName("f")
	n := tree.LargestFrame(f)
	if tree.Name(tree.Parent[n]) != "b" {
		t.Errorf("largest frame of f is under %s, want b", tree.Name(tree.Parent[n]))
	}
	p, err := Load("../testdata/labels.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(p.Tags(0))
	if !strings.Contains(got, "{handler [{json ") || !strings.Contains(got, "{tenant [") || !strings.Contains(got, "{gzip ") {
		t.Errorf("tags %s", got)
	}
	mem, err := Load("../testdata/json.mem.pprof")
	if err != nil {
		t.Fatal(err)
	}
	tags := mem.Tags(0)
	if len(tags) != 1 || tags[0].Key != "bytes" || !tags[0].Numeric || tags[0].Unit != "bytes" || tags[0].Min <= 0 || tags[0].Max < tags[0].Min {
		t.Errorf("heap tags %+v", tags)
	}
}
