package listing

import (
	"regexp"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// BenchmarkSourceListing holds the source view's targets on the 1M-sample
// profile: the stacks at line granularity (once per view), then a
// function's listing from them (each time a source is opened).
func BenchmarkSourceListing(b *testing.B) {
	p, err := model.Parse("big.pb.gz", pproftest.BigProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("line-stacks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := model.CollectStacks(p, 1, model.Lines); err != nil {
				b.Fatal(err)
			}
		}
	})
	s, err := model.CollectStacks(p, 1, model.Lines)
	if err != nil {
		b.Fatal(err)
	}
	re := regexp.MustCompile(`^example\.com/svc/pkg007\.\(\*Type7\)\.Method7$`)
	b.Run("routines", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Routines(s, re); err != nil {
				b.Fatal(err)
			}
		}
	})
}
