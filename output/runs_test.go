package output

import "testing"

// A value of runs is written as a table column writes it: times never
// past seconds, trailing zeros dropped.
func TestRunValue(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		{200_170_000_000, "nanoseconds", "200.17s"},
		{999_490_000, "nanoseconds", "999.49ms"},
		{1_000_000_000, "nanoseconds", "1s"},
		{1_260_000_000, "nanoseconds", "1.26s"},
		{1_500_000, "bytes", "1.43MB"},
		{0, "nanoseconds", "0"},
		{42, "count", "42"},
	} {
		if got := runValue(tc.v, tc.unit); got != tc.want {
			t.Errorf("runValue(%v, %s) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}
