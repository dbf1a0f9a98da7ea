package model

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/flamelens/flamelens/model/pproftest"
)

var (
	largeOut     = flag.String("large", "", "write the generated 1M-sample benchmark profile to this path (for comparing with go tool pprof)")
	largeSamples = flag.Int("large_samples", bigSpec.Samples, "with -large: the number of samples")
	largeStacks  = flag.Int("large_stacks", bigSpec.Stacks, "with -large: the number of distinct stacks")
)

// bigSpec is the shape the benchmarks are held to (pproftest.BigSpec).
var bigSpec = pproftest.BigSpec

// bigProfile returns the gzipped encoding of the bigSpec profile, made once.
func bigProfile(tb testing.TB) []byte { return pproftest.BigProfile(tb) }

// TestWriteLargeProfile writes the benchmark profile to -large, for timing
// go tool pprof on the same file: go test ./model -run WriteLarge -large=/tmp/big.pb.gz
// (-large_samples=3000000 for the 3M-sample one).
func TestWriteLargeProfile(t *testing.T) {
	if *largeOut == "" {
		t.Skip("no -large path given")
	}
	data := bigProfile(t)
	if *largeSamples != bigSpec.Samples || *largeStacks != bigSpec.Stacks {
		spec := bigSpec
		spec.Samples, spec.Stacks = *largeSamples, *largeStacks
		var buf bytes.Buffer
		if err := pproftest.Generate(spec).Write(&buf); err != nil {
			t.Fatal(err)
		}
		data = buf.Bytes()
	}
	if err := os.WriteFile(*largeOut, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGeneratedProfileMatchesPprof(t *testing.T) {
	spec := pproftest.Spec{Samples: 20_000, Stacks: 8_000, Funcs: 2_000, MaxDepth: 40, Seed: 2}
	var buf bytes.Buffer
	if err := pproftest.Generate(spec).Write(&buf); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "generated.pb.gz")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	checkAgainstPprof(t, file, 1, false)
	checkAgainstPprof(t, file, 0, true)
}

// BenchmarkLoadAndBuild is the foundation's speed target: parse a 1M-sample,
// 400k-stack profile and build its call tree and function table.
func BenchmarkLoadAndBuild(b *testing.B) {
	data := bigProfile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := Parse("big.pb.gz", data)
		if err != nil {
			b.Fatal(err)
		}
		tree, err := BuildTree(p, 1)
		if err != nil {
			b.Fatal(err)
		}
		tree.Functions()
	}
}

// BenchmarkTopTable is what flamelens top does: parse, gather the stacks
// and compute the function table, without a tree.
func BenchmarkTopTable(b *testing.B) {
	data := bigProfile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := Parse("big.pb.gz", data)
		if err != nil {
			b.Fatal(err)
		}
		s, err := CollectStacks(p, 1, Functions)
		if err != nil {
			b.Fatal(err)
		}
		s.Functions()
	}
}

// bigFile writes the bigSpec profile to a file, as OpenStacks reads one.
func bigFile(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "big.pb.gz")
	if err := os.WriteFile(path, bigProfile(b), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func openStacks(b *testing.B, path string) *Stacks {
	st, err := OpenStacks(path, "", Functions)
	if err != nil {
		b.Fatal(err)
	}
	return st.Stacks
}

// BenchmarkTopStreamed is what flamelens top does: the stacks streamed
// from the file, then the function table.
func BenchmarkTopStreamed(b *testing.B) {
	path := bigFile(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		openStacks(b, path).Functions()
	}
}

// BenchmarkFirstView is what the window does before its first frame: the
// stacks streamed from the file, the tree's outline, the function table
// and the search index (the whole tree and profile are made after).
func BenchmarkFirstView(b *testing.B) {
	path := bigFile(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		NewFirstView(openStacks(b, path))
	}
}

// BenchmarkParseOnly is the floor: pprof's own profile.Parse on the same data.
func BenchmarkParseOnly(b *testing.B) {
	data := bigProfile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := profile.ParseData(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildTree is the tree alone, on an already parsed profile.
func BenchmarkBuildTree(b *testing.B) {
	p, err := Parse("big.pb.gz", bigProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := BuildTree(p, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAfterStream splits the two benchmarks above past the stream,
// which they share: what top does with the stacks (the table and the
// marks of its 20 rows), and what the window does for its first frame.
func BenchmarkAfterStream(b *testing.B) {
	s := openStacks(b, bigFile(b))
	b.Run("top", func(b *testing.B) {
		for b.Loop() {
			rows := s.Functions()
			SortByFlat(rows)
			s.InlineMarks(rows[:20]...)
		}
	})
	b.Run("first-view", func(b *testing.B) {
		for b.Loop() {
			NewFirstView(s)
		}
	})
}
