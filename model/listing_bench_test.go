package model

import (
	"regexp"
	"testing"

	"github.com/flamelens/flamelens/model/objfile"
	"github.com/flamelens/flamelens/model/pproftest"
)

// BenchmarkSourceListing holds the source view's targets on the 1M-sample
// profile: the stacks at line granularity (once per view), then a
// function's listing from them (each time a source is opened).
func BenchmarkSourceListing(b *testing.B) {
	p, err := Parse("big.pb.gz", bigProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("line-stacks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := CollectStacks(p, 1, Lines); err != nil {
				b.Fatal(err)
			}
		}
	})
	s, err := CollectStacks(p, 1, Lines)
	if err != nil {
		b.Fatal(err)
	}
	re := regexp.MustCompile(`^example\.com/svc/pkg007\.\(\*Type7\)\.Method7$`)
	b.Run("routines", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Routines(re); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGranularitySwitch is the window's switch of granularity on the
// 1M-sample profile, read already: the stacks at the new granularity and
// their tree, against a fresh load (BenchmarkLoadAndBuild).
func BenchmarkGranularitySwitch(b *testing.B) {
	p, err := Parse("big.pb.gz", bigProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, g := range []Granularity{Lines, Files, Functions} {
		b.Run(g.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := CollectStacks(p, 1, g)
				if err != nil {
					b.Fatal(err)
				}
				s.Tree()
			}
		})
	}
}

// BenchmarkDisassembly holds the machine code view's targets: the costs
// per address of the 1M-sample profile (once per view), and a function's
// instructions decoded and annotated (each time its machine code is
// opened), on testdata/busy's main.main.
func BenchmarkDisassembly(b *testing.B) {
	p, err := Parse("big.pb.gz", bigProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("address-costs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s, err := CollectStacks(p, 1, Addresses)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.AddressCosts(); err != nil {
				b.Fatal(err)
			}
		}
	})
	busy := pproftest.ProfileBusy(b, b.TempDir(), "300ms")
	prog, err := objfile.Open(busy.Program)
	if err != nil {
		b.Fatal(err)
	}
	bp, err := Load(busy.CPU)
	if err != nil {
		b.Fatal(err)
	}
	s, err := CollectStacks(bp, 1, Addresses)
	if err != nil {
		b.Fatal(err)
	}
	costs, err := s.AddressCosts()
	if err != nil {
		b.Fatal(err)
	}
	info, _ := bp.Program()
	b.Run("function", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DisassembleFunction(prog, costs, "main.main", info.Start); err != nil {
				b.Fatal(err)
			}
		}
	})
}
