package model

import "testing"

func TestColumnKeepsOneUnit(t *testing.T) {
	for _, tc := range []struct {
		unit   string
		maxAbs int64
		values []int64
		want   []string
	}{
		// A 3M-sample profile's times: seconds, never minutes beside seconds.
		{"nanoseconds", 75_780_000_000, []int64{75_780_000_000, 18_050_000_000, 250_000_000, 1_000_000, 0}, []string{"75.78s", "18.05s", "0.25s", "<0.01s", "0"}},
		{"nanoseconds", 900_000_000, []int64{900_000_000, 10_000_000}, []string{"900.00ms", "10.00ms"}},
		{"bytes", 308_322_304, []int64{308_322_304, 524_288, 512}, []string{"294.04MB", "0.50MB", "<0.01MB"}},
		{"bytes", 512, []int64{512, 8}, []string{"512B", "8B"}},
		{"count", 1234, []int64{1234, -5}, []string{"1234", "-5"}},
		{"centicount", 31250, []int64{31250, 5}, []string{"312.5", "0.05"}},
		{"nanoseconds", -2_000_000_000, []int64{-2_000_000_000, -1}, []string{"-2.00s", "-<0.01s"}},
	} {
		c := NewColumn(tc.maxAbs, tc.unit)
		for i, v := range tc.values {
			if got := c.Format(v); got != tc.want[i] {
				t.Errorf("%s column of max %d: Format(%d) = %q, want %q", tc.unit, tc.maxAbs, v, got, tc.want[i])
			}
		}
	}
}

// A column of whole milliseconds (CPU samples of 10ms) reads without
// decimals, as pprof prints them.
func TestColumnOfWholeNumbers(t *testing.T) {
	c := NewColumn(740_000_000, "nanoseconds")
	for _, v := range []int64{740_000_000, 10_000_000} {
		if !c.Whole(v) {
			t.Errorf("%d ns is not whole ms", v)
		}
	}
	if c.Whole(1_500_000) {
		t.Error("1.5ms is whole ms")
	}
	w := c.WholeNumbers()
	if got := w.Format(740_000_000) + " " + w.Format(10_000_000) + " " + w.Format(0); got != "740ms 10ms 0" {
		t.Errorf("whole column: %s", got)
	}
	if got := c.Format(740_000_000); got != "740.00ms" {
		t.Errorf("column with decimals: %s", got)
	}
}
