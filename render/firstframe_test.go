package render_test

import (
	"flag"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/render"
)

// The profile of the first-frame benchmarks: 3M samples over 400k
// distinct stacks, 40k functions, up to 64 frames deep (-first_samples
// changes the samples).
var firstSamples = flag.Int("first_samples", 3_000_000, "samples in the first-frame benchmarks' profile")

var (
	firstOnce sync.Once
	firstPath string
	firstErr  error
)

// firstFile writes the benchmarks' profile once per run.
func firstFile(b *testing.B) string {
	firstOnce.Do(func() {
		dir, err := os.MkdirTemp("", "flamelens-bench")
		if err != nil {
			firstErr = err
			return
		}
		firstPath = filepath.Join(dir, "first.pb.gz")
		f, err := os.Create(firstPath)
		if err != nil {
			firstErr = err
			return
		}
		defer f.Close()
		spec := pproftest.Spec{Samples: *firstSamples, Stacks: 400_000, Funcs: 40_000, MaxDepth: 64, Seed: 1}
		firstErr = pproftest.Generate(spec).Write(f)
	})
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	return firstPath
}

// BenchmarkFirstFrame is what the window does between opening a profile
// file and its first frame on screen, headless: stream the stacks, the
// tree's outline and the function table (on two cores), the search index,
// then lay out and draw the flame graph at 1920×1080. The target is
// BenchmarkTop's time plus 100 ms.
func BenchmarkFirstFrame(b *testing.B) {
	path := firstFile(b)
	img := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st, err := model.OpenStacks(path, "", model.Functions)
		if err != nil {
			b.Fatal(err)
		}
		fv := model.NewFirstView(st.Stacks)
		painter := render.NewPainter(12)
		painter.Draw(img, fv.Outline, render.Layout(fv.Outline, render.NewView(18), 1920, 1080), render.Style{Theme: render.DarkTheme, Selected: -1})
	}
}

// BenchmarkTop is what flamelens top does on the same file: stream the
// stacks, the function table with pprof's inline marks, printed.
func BenchmarkTop(b *testing.B) {
	path := firstFile(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st, err := model.OpenStacks(path, "", model.Functions)
		if err != nil {
			b.Fatal(err)
		}
		if err := output.WriteTop(io.Discard, st.Info, st.Stacks, output.TopOptions{N: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPprofTop is go tool pprof -top on the same file, the reference.
func BenchmarkPprofTop(b *testing.B) {
	path := firstFile(b)
	goTool := pproftest.GoTool(b)
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(goTool, "tool", "pprof", "-top", "-nodefraction=0", "-symbolize=none", path)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
