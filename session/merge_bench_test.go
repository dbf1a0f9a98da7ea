package session

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session/fetch"
)

// fleetFiles writes n generated profiles of 100k samples each, one per
// instance of a service: the same program (functions), stacks and
// counts of their own.
func fleetFiles(b *testing.B, n int) []string {
	b.Helper()
	dir := b.TempDir()
	var paths []string
	for i := range n {
		var buf bytes.Buffer
		spec := pproftest.Spec{Samples: 100_000, Stacks: 30_000, Funcs: 3000, MaxDepth: 40, Seed: int64(i + 1)}
		if err := pproftest.Generate(spec).Write(&buf); err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("instance%02d.pb.gz", i))
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

// BenchmarkMergeFleet merges 20 sources of 100k samples each (reading
// them at once, on every core) against reading them one after the
// other: the target is within 1.5× of the latter.
func BenchmarkMergeFleet(b *testing.B) {
	paths := fleetFiles(b, 20)
	b.Run("one after the other", func(b *testing.B) {
		for b.Loop() {
			for _, path := range paths {
				if _, err := OpenProfile(context.Background(), path, fetch.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("merged", func(b *testing.B) {
		for b.Loop() {
			p, err := OpenMerged(context.Background(), paths, fetch.Options{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Parts) != 20 {
				b.Fatalf("%d parts", len(p.Parts))
			}
		}
	})
}
