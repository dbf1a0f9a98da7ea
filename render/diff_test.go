package render

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/runstats"
)

// comparison builds a comparison tree from folded BASE and NEW stacks.
func comparison(t *testing.T, base, newer []string) *model.Tree {
	t.Helper()
	parse := func(name string, lines []string) *model.Profile {
		p, err := model.Parse(name, []byte(strings.Join(lines, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, err := model.NewComparison(parse("base.folded", base), parse("new.folded", newer), model.DiffBase, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Stacks(0, model.Functions)
	if err != nil {
		t.Fatal(err)
	}
	return s.Tree()
}

func node(t *testing.T, tr *model.Tree, path ...string) model.NodeID {
	t.Helper()
	n := model.Root
next:
	for _, name := range path {
		for _, c := range tr.Children(n) {
			if tr.Name(c) == name {
				n = c
				continue next
			}
		}
		t.Fatalf("no %v", path)
	}
	return n
}

func TestChangeAndColour(t *testing.T) {
	tr := comparison(t,
		[]string{"main;grow 100", "main;shrink 500", "main;same 400", "main;gone 10"},
		[]string{"main;grow 300", "main;shrink 200", "main;same 400", "main;added 100"})
	ds := &DiffStyle{Noise: DefaultNoise}
	ds.Scale = MaxChange(tr, ds)
	grew, shrank, neutral := DiffColors(RedBlue, false)

	grow := ChangeOf(tr, node(t, tr, "main", "grow"), ds)
	if grow.Base != 100 || grow.New != 300 || math.Abs(grow.Fraction-200.0/1010) > 1e-9 {
		t.Errorf("grow: %+v, want 100 → 300, +200 of the larger total (BASE's 1010)", grow)
	}
	shrink := ChangeOf(tr, node(t, tr, "main", "shrink"), ds)
	if shrink.Fraction >= 0 || DiffColor(shrink, ds, false) != Blend(neutral, shrank, 1) {
		t.Errorf("shrink: %+v, colour %v; want the full blue (largest change)", shrink, DiffColor(shrink, ds, false))
	}
	if c := DiffColor(grow, ds, false); c.R <= c.B || c == neutral {
		t.Errorf("grow colour %v is not red", c)
	}
	// Strength grows with the change: the larger shrink is bluer than a
	// smaller growth is red.
	if a, b := DiffColor(grow, ds, false), Blend(neutral, grew, 1); a == b {
		t.Error("a smaller change has the strongest colour")
	}
	same := ChangeOf(tr, node(t, tr, "main", "same"), ds)
	if same.Fraction != 0 || DiffColor(same, ds, false) != neutral {
		t.Errorf("same: %+v is not grey", same)
	}
	added := ChangeOf(tr, node(t, tr, "main", "added"), ds)
	if !added.OnlyNew || added.OnlyBase {
		t.Errorf("added: %+v, want only in NEW", added)
	}
	// gone has no width in the NEW-shaped tree, but is there to be found.
	gone := ChangeOf(tr, node(t, tr, "main", "gone"), ds)
	// A frame of one run only is coloured by its change as any other (its
	// hatching says it is one run's): 10 of 1010 is a small change, pale.
	if want := Blend(neutral, shrank, math.Sqrt(10.0/1010/ds.Scale)); !gone.OnlyBase || DiffColor(gone, ds, false) != want {
		t.Errorf("gone: %+v, colour %v, want %v", gone, DiffColor(gone, ds, false), want)
	}
}

func TestNoiseThreshold(t *testing.T) {
	// 1 of 100000 changed: 0.001% — under the 0.1% noise.
	tr := comparison(t, []string{"main;a 50000", "main;b 50000"}, []string{"main;a 50001", "main;b 49999"})
	ds := &DiffStyle{Noise: DefaultNoise}
	ds.Scale = MaxChange(tr, ds)
	_, _, neutral := DiffColors(RedBlue, false)
	a := ChangeOf(tr, node(t, tr, "main", "a"), ds)
	if DiffColor(a, ds, false) != neutral {
		t.Errorf("a change of %.5f%% is coloured", a.Fraction*100)
	}
	ds.Noise = 0 // no threshold: the same change shows
	if DiffColor(a, ds, false) == neutral {
		t.Error("with no noise threshold a change stays grey")
	}
}

func TestNormalizedChange(t *testing.T) {
	// NEW ran twice as long: every frame doubled, shares unchanged.
	tr := comparison(t, []string{"main;a 30", "main;b 70"}, []string{"main;a 60", "main;b 140"})
	ds := &DiffStyle{Noise: DefaultNoise, Normalized: true}
	if c := ChangeOf(tr, node(t, tr, "main", "a"), ds); math.Abs(c.Fraction) > 1e-12 {
		t.Errorf("normalized change %v, want 0", c.Fraction)
	}
	ds.Normalized = false
	if c := ChangeOf(tr, node(t, tr, "main", "a"), ds); c.Fraction <= 0 {
		t.Errorf("absolute change %v, want growth", c.Fraction)
	}
}

func TestColourBlindPalette(t *testing.T) {
	grew, shrank, _ := DiffColors(ColourBlind, false)
	if red, _, _ := DiffColors(RedBlue, false); grew == red {
		t.Error("the colour-blind palette is the default one")
	}
	// Told apart by lightness too, not only hue.
	if d := math.Abs(luminance(grew) - luminance(shrank)); d < 0.05 {
		t.Errorf("growth and shrinkage differ by %.3f in luminance", d)
	}
}

func TestDiffTooltip(t *testing.T) {
	tr := comparison(t, []string{"main;a 100"}, []string{"main;a 150"})
	got := DiffTooltip(tr, node(t, tr, "main", "a"), &DiffStyle{})
	want := "self: base 100 → new 150 (+50, +50.0%)\ntotal: base 100 → new 150 (+50, +50.0%)"
	if got != want {
		t.Errorf("tooltip %q, want %q", got, want)
	}
}

func TestSharedScale(t *testing.T) {
	tr := tree(t, "main;a 30", "main;b 20")
	// On a scale of 100, this 50-sample tree fills half the width.
	v := NewView(10)
	v.ScaleTotal = 100
	got := boxesText(tr, Layout(tr, v, 200, 100))
	want := `0 root 0+100 y=0
1 main 0+100 y=10
2 a 0+60 y=20
2 b 60+40 y=20
`
	if got != want {
		t.Errorf("boxes:\n%s\nwant:\n%s", got, want)
	}
}

func TestLayoutOfDifferencesStaysInsideParents(t *testing.T) {
	tr := comparison(t,
		[]string{"main;a 100", "main;b 300"},
		[]string{"main;a 250", "main;b 200"})
	s := tr.Stacks()
	_, _, merged := s.CompareTrees(model.DiffBase)
	// main: +50 in all, a: +150, b: -100. a is drawn, shrunk into main.
	boxes := Layout(merged, NewView(10), 100, 100)
	got := boxesText(merged, boxes)
	want := `0 root 0+100 y=0
1 main 0+100 y=10
2 a 0+100 y=20
`
	if got != want {
		t.Errorf("boxes:\n%s\nwant:\n%s", got, want)
	}
}

// pprof's NEW − BASE tree is coloured and described by each frame's
// change, read from the NEW-shaped tree it shares its nodes with; before,
// it was coloured by package and its tooltip had neither side nor sign.
func TestNewMinusBaseColouredByChange(t *testing.T) {
	parse := func(name string, lines ...string) *model.Profile {
		p, err := model.Parse(name, []byte(strings.Join(lines, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, err := model.NewComparison(parse("base.folded", "main;grow 100", "main;shrink 500", "main;steady 40000"),
		parse("new.folded", "main;grow 300", "main;shrink 200", "main;steady 40001"), model.DiffBase, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Stacks(0, model.Functions)
	if err != nil {
		t.Fatal(err)
	}
	byNew, _, minus := s.CompareTrees(model.DiffBase)
	ds := &DiffStyle{Noise: DefaultNoise, Sides: byNew}
	ds.Scale = MaxChange(minus, ds)
	grew, shrank, neutral := DiffColors(RedBlue, false)
	st := &Style{Diff: ds}
	for _, tc := range []struct {
		frame string
		want  color.NRGBA
		tip   string
	}{
		// Changes of 0.5% and 0.7% of the total: pale, as full colour is
		// for changes of FullChange (5%) and more.
		{"grow", Blend(neutral, grew, math.Sqrt(200.0/40501/FullChange)), "self: base 100 → new 300 (+200, +200.0%)"},
		{"shrink", Blend(neutral, shrank, math.Sqrt(300.0/40501/FullChange)), "self: base 500 → new 200 (-300, -60.0%)"},
		{"steady", neutral, "self: base 40000 → new 40001 (+1, +0.0%)"}, // 1 in 40k: noise, grey
	} {
		n := node(t, minus, "main", tc.frame)
		if fill, _ := frameFill(minus, n, tc.frame, st); fill != tc.want {
			t.Errorf("%s: fill %v, want %v", tc.frame, fill, tc.want)
		}
		if tip := TooltipText(minus, Box{Node: n}, nil, ds); !strings.Contains(tip, tc.tip) {
			t.Errorf("%s: tooltip %q lacks %q", tc.frame, tip, tc.tip)
		}
	}
}

// Two captures of the same steady loop differ by sampling noise, a
// percent of the total here and there: pale, not the full red and blue
// that the largest of those changes got when the scale was the largest.
func TestSameCodeTwiceStaysPale(t *testing.T) {
	tr := comparison(t, []string{"main;a 3000", "main;b 3000", "main;c 4000"}, []string{"main;a 3100", "main;b 2950", "main;c 3950"})
	ds := &DiffStyle{Noise: DefaultNoise}
	ds.Scale = MaxChange(tr, ds)
	grew, shrank, neutral := DiffColors(RedBlue, false)
	if ds.Scale != FullChange {
		t.Fatalf("scale %v, want FullChange: no change here is as large", ds.Scale)
	}
	for _, f := range []string{"a", "b", "c"} {
		c := ChangeOf(tr, node(t, tr, "main", f), ds)
		fill := DiffColor(c, ds, false)
		if fill == neutral || fill == Blend(neutral, grew, 1) || fill == Blend(neutral, shrank, 1) {
			t.Errorf("%s (%.1f%% of the total): fill %v is grey or full colour", f, c.Fraction*100, fill)
		}
		if strong := Blend(neutral, grew, 0.5); c.Fraction > 0 && fill.G < strong.G {
			t.Errorf("%s (%.1f%% of the total): fill %v is stronger than half", f, c.Fraction*100, fill)
		}
	}
}

// Two sets of runs: only the frames of functions whose change held
// across the runs are coloured; the tooltip gives both medians with
// their intervals and the verdict.
func TestRunsColourOnlySignificantChanges(t *testing.T) {
	tr := comparison(t, []string{"main;a 3000", "main;b 3000"}, []string{"main;a 4000", "main;b 4000"})
	sig := runstats.Change{Name: "a", Before: runstats.Summary{Median: 3, Lo: 2.9, Hi: 3.1, N: 6}, After: runstats.Summary{Median: 4, Lo: 3.9, Hi: 4.2, N: 6},
		Delta: 1, DeltaPct: 33.3, P: 0.002, Q: 0.004, Tested: true, Significant: true}
	noise := sig
	noise.Name, noise.P, noise.Q, noise.Significant = "b", 0.3, 0.3, false
	changes := map[string]runstats.Change{"a": sig, "b": noise, "main": noise}
	ds := &DiffStyle{Noise: DefaultNoise, Runs: &RunChanges{Self: changes, Total: changes, Tested: true,
		Value: func(v float64) string { return fmt.Sprintf("%gs/s", v) }}}
	ds.Scale = MaxChange(tr, ds)
	_, _, neutral := DiffColors(RedBlue, false)
	st := &Style{Diff: ds}
	a, b := node(t, tr, "main", "a"), node(t, tr, "main", "b")
	if fill, _ := frameFill(tr, a, "a", st); fill == neutral {
		t.Error("a changed significantly and is not coloured")
	}
	if fill, _ := frameFill(tr, b, "b", st); fill != neutral {
		t.Errorf("b changed as much, not significantly, and is coloured %v", fill)
	}
	tip := DiffTooltip(tr, a, ds)
	for _, want := range []string{"\nruns, self:  3s/s ±3% → 4s/s ±5%, significant (p=0.002)", "\nruns, total: 3s/s ±3% → 4s/s ±5%, significant (p=0.002)"} {
		if !strings.Contains(tip, want) {
			t.Errorf("tooltip %q lacks %q", tip, want)
		}
	}
	// Too few runs to test: coloured as two profiles are.
	ds.Runs.Tested = false
	if fill, _ := frameFill(tr, b, "b", st); fill == neutral {
		t.Error("untested, b is not coloured by its change")
	}
	if tip := DiffTooltip(tr, b, ds); !strings.Contains(tip, "not tested (3+ runs a side)") {
		t.Errorf("tooltip %q", tip)
	}
}
