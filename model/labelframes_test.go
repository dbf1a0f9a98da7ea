package model

import (
	"testing"

	"github.com/google/pprof/profile"
)

func TestBucket(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		unit string
		want string
	}{
		{0, "bytes", "0"},
		{1, "bytes", "1B"},
		{3, "", "2–4"},
		{1000, "bytes", "512B–1kB"},
		{1024, "bytes", "1kB–2kB"},
		{2047, "bytes", "1kB–2kB"},
		{3 << 20, "bytes", "2MB–4MB"},
		{-5, "", "-8–-4"},
		{1<<62 + 1, "", "4611686018427387904–9223372036854775808"}, // as pprof prints it, through a float
	} {
		if got := Bucket(tc.v, tc.unit); got != tc.want {
			t.Errorf("Bucket(%d, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}

// Numeric labels grouped into ranges: each range's frame holds the
// samples whose value falls in it, and no sample is lost.
func TestTagBucketsGroupNumericLabels(t *testing.T) {
	fn := &profile.Function{ID: 1, Name: "main.decode"}
	loc := &profile.Location{ID: 1, Line: []profile.Line{{Function: fn}}}
	sample := func(bytes, v int64) *profile.Sample {
		return &profile.Sample{Location: []*profile.Location{loc}, Value: []int64{v},
			NumLabel: map[string][]int64{"bytes": {bytes}}, NumUnit: map[string][]string{"bytes": {"bytes"}}}
	}
	raw := &profile.Profile{SampleType: []*profile.ValueType{{Type: "cpu", Unit: "nanoseconds"}},
		Function: []*profile.Function{fn}, Location: []*profile.Location{loc},
		Sample: []*profile.Sample{sample(100, 1), sample(120, 2), sample(1100, 4), sample(2000, 8), sample(5000, 16),
			{Location: []*profile.Location{loc}, Value: []int64{32}}}}
	p := NewProfile("payloads", FormatPprof, raw)
	fp, err := p.Filter(Filters{TagRoot: "bytes", TagBuckets: "bytes"})
	if err != nil {
		t.Fatal(err)
	}
	tree, err := BuildTree(fp, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, n := range tree.Children(Root) {
		got[tree.Name(n)] = tree.Total[n]
	}
	want := map[string]int64{"64B–128B": 3, "1kB–2kB": 12, "4kB–8kB": 16, "<unknown>": 32}
	if len(got) != len(want) {
		t.Errorf("root frames %v, want %v", got, want)
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("frame %q holds %d, want %d (all: %v)", name, got[name], v, got)
		}
	}
	if tree.Total[Root] != 63 {
		t.Errorf("total %d, want 63", tree.Total[Root])
	}
	if len(raw.Sample[0].Location) != 1 {
		t.Error("the profile filtered was changed")
	}
}
