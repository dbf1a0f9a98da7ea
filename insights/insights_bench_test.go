package insights

import (
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// BenchmarkInsights is what the insights panel and command add to a read
// profile: the owner worked out and every rule applied to 1M samples.
func BenchmarkInsights(b *testing.B) {
	p, err := model.Parse("big.pb.gz", pproftest.BigProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	s, err := model.CollectStacks(p, 1, model.Functions)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Insights(s, model.FindOwner(s.Funcs, nil))
	}
}
