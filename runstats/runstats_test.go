package runstats

import (
	"math"
	"testing"
)

func runs(vs ...float64) []float64 { return vs }

func TestCompare(t *testing.T) {
	total := Series{Name: "total", Before: runs(100, 101, 99, 100, 102, 98), After: runs(120, 121, 119, 122, 118, 120)}
	funcs := []Series{
		{Name: "grew", Before: runs(10, 11, 9, 10, 10, 11), After: runs(30, 31, 29, 30, 32, 30)},
		{Name: "same", Before: runs(50, 52, 48, 51, 49, 50), After: runs(51, 49, 50, 52, 48, 50)},
		{Name: "tiny", Before: runs(0.1, 0.1, 0.1, 0.1, 0.1, 0.1), After: runs(0.5, 0.5, 0.5, 0.5, 0.5, 0.5)},
		{Name: "new", Before: runs(0, 0, 0, 0, 0, 0), After: runs(5, 6, 5, 5, 6, 5)},
	}
	res := Compare(total, funcs, Options{})
	if !res.Enough || !res.Total.Significant || res.Total.Delta != 20 || math.Abs(res.Total.DeltaPct-20) > 1e-9 {
		t.Errorf("total: %+v", res.Total)
	}
	by := map[string]Change{}
	for _, c := range res.Funcs {
		by[c.Name] = c
	}
	if c := by["grew"]; !c.Significant || c.Delta != 20 || c.OfTotalPct != 20 || math.Abs(c.DeltaPct-200) > 1e-9 {
		t.Errorf("grew: %+v", c)
	}
	if c := by["same"]; c.Significant || !c.Tested && math.Abs(c.Delta) >= 1 {
		t.Errorf("same: %+v", c)
	}
	// 0.4 of a total of 100 is under the 1% floor: not tested.
	if c := by["tiny"]; c.Tested || c.Significant || c.P != 1 {
		t.Errorf("tiny: %+v", c)
	}
	if c := by["new"]; !c.Significant || !math.IsInf(c.DeltaPct, 1) {
		t.Errorf("new: %+v", c)
	}
	if res.Funcs[0].Name != "grew" || res.Funcs[1].Name != "new" {
		t.Errorf("order: %s, %s: want the significant changes first, largest first", res.Funcs[0].Name, res.Funcs[1].Name)
	}
}

func TestTooFewRuns(t *testing.T) {
	total := Series{Before: runs(100, 101), After: runs(200, 201, 199)}
	res := Compare(total, []Series{{Name: "f", Before: runs(1, 2), After: runs(50, 60, 70)}}, Options{})
	if res.Enough || res.Total.Tested || res.Funcs[0].Tested || res.Funcs[0].Significant {
		t.Errorf("two runs a side are not enough to test: %+v", res)
	}
	if res.Total.Before.Median != 100.5 || res.Total.After.Median != 200 || res.Funcs[0].After.Median != 60 {
		t.Errorf("medians are still given: %+v", res)
	}
}

// The Benjamini–Hochberg q-values of p = 0.01, 0.04, 0.03, 0.005 (m = 4):
// sorted 0.005, 0.01, 0.03, 0.04 → 0.02, 0.02, 0.04, 0.04.
func TestBenjaminiHochberg(t *testing.T) {
	changes := []Change{{P: 0.01, Tested: true}, {P: 0.04, Tested: true}, {P: 0.03, Tested: true}, {P: 1}, {P: 0.005, Tested: true}}
	adjust(changes, []int{0, 1, 2, 4})
	want := []float64{0.02, 0.04, 0.04, 0, 0.02}
	for i, c := range changes {
		if math.Abs(c.Q-want[i]) > 1e-12 {
			t.Errorf("q[%d] = %v, want %v", i, c.Q, want[i])
		}
	}
}

func TestNoFloor(t *testing.T) {
	total := Series{Before: runs(100, 100, 100, 100, 100), After: runs(100, 100, 100, 100, 100)}
	f := Series{Name: "f", Before: runs(0.1, 0.11, 0.1, 0.12, 0.1), After: runs(0.5, 0.5, 0.51, 0.5, 0.52)}
	if res := Compare(total, []Series{f}, Options{Threshold: -1}); !res.Funcs[0].Significant {
		t.Errorf("with no floor, a steady change of 0.4%% of the total is significant: %+v", res.Funcs[0])
	}
	if res := Compare(total, []Series{f}, Options{}); res.Funcs[0].Tested {
		t.Errorf("under the default floor it is not tested: %+v", res.Funcs[0])
	}
}
