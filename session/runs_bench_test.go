package session

import (
	"context"
	"os"
	"testing"

	"github.com/flamelens/flamelens/session/fetch"
	"github.com/google/pprof/profile"
)

// BenchmarkCompareRuns compares two sets of 20 runs of 100k samples each
// (flamelens compare) against reading the 40 profiles one after the
// other with profile.Parse: the target is under 2× the reading.
func BenchmarkCompareRuns(b *testing.B) {
	paths := fleetFiles(b, 40)
	before, after := paths[:20], paths[20:]
	b.Run("read (profile.Parse)", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, path := range paths {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := profile.Parse(f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		}
	})
	b.Run("compare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ctx := context.Background()
			bs, err := OpenRuns(ctx, before, Request{}, fetch.Options{})
			if err != nil {
				b.Fatal(err)
			}
			as, err := OpenRuns(ctx, after, Request{}, fetch.Options{})
			if err != nil {
				b.Fatal(err)
			}
			c, err := CompareRuns(bs, as, RunsOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if len(c.Result.Funcs) == 0 || !c.Result.Enough {
				b.Fatalf("%d functions compared", len(c.Result.Funcs))
			}
		}
	})
}
