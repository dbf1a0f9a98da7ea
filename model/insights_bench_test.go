package model

import "testing"

// BenchmarkInsights is what the insights panel and command add to a read
// profile: the owner worked out and every rule applied to 1M samples.
func BenchmarkInsights(b *testing.B) {
	p, err := Parse("big.pb.gz", bigProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	s, err := CollectStacks(p, 1, Functions)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Insights(s, FindOwner(s.Funcs, nil))
	}
}
