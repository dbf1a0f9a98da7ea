package disasm

import (
	"testing"

	"github.com/flamelens/flamelens/disasm/objfile"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// BenchmarkDisassembly holds the machine code view's target: a function's
// instructions decoded and annotated (each time its machine code is
// opened), on testdata/busy's main.main.
func BenchmarkDisassembly(b *testing.B) {
	busy := pproftest.ProfileBusy(b, b.TempDir(), "300ms")
	prog, err := objfile.Open(busy.Program)
	if err != nil {
		b.Fatal(err)
	}
	bp, err := model.Load(busy.CPU)
	if err != nil {
		b.Fatal(err)
	}
	s, err := model.CollectStacks(bp, 1, model.Addresses)
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
