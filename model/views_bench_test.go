package model

import (
	"testing"
)

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

// BenchmarkDisassembly holds the machine code view's target for the costs
// per address of the 1M-sample profile (once per view); disasm's holds the
// decoding.
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
}
