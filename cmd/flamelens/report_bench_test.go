package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// BenchmarkReportAgainstTop is report -diff_base (rows, insights and the
// picture, from one derivation of the comparison) beside its reference,
// top -diff_base, on two generated profiles of 300k samples over 100k
// stacks each.
func BenchmarkReportAgainstTop(b *testing.B) {
	dir := b.TempDir()
	var paths [2]string
	for i := range paths {
		paths[i] = filepath.Join(dir, []string{"before.pb.gz", "after.pb.gz"}[i])
		f, err := os.Create(paths[i])
		if err != nil {
			b.Fatal(err)
		}
		spec := pproftest.Spec{Samples: 300_000, Stacks: 100_000, Funcs: 40_000, MaxDepth: 64, Seed: int64(i + 1)}
		if err := pproftest.Generate(spec).Write(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"top-diff_base", []string{"top", "-diff_base", paths[0], paths[1]}},
		{"report", []string{"report", "-diff_base", paths[0], "-o", filepath.Join(dir, "report.md"), paths[1]}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, errOut, code := runCLI(c.args...); code != 0 {
					b.Fatal(errOut)
				}
			}
		})
	}
}
