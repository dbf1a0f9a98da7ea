package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Other profilers' files open in the window as they do in the commands;
// one that is not a profile is refused in a dialog, the open one kept.
func TestWindowOpensOtherProfilersFiles(t *testing.T) {
	for name, typ := range map[string]string{
		"multi.perf":          "Type: cpu-clock",
		"node.cpuprofile":     "Type: wall",
		"chrome-trace.json":   "Type: wall",
		"two.speedscope.json": "Type: cpu",
		"sigquit.txt":         "Type: goroutine",
	} {
		t.Run(name, func(t *testing.T) {
			w := openTest(t, Options{Source: filepath.Join("..", "model", "testdata", "formats", name)})
			if !strings.Contains(w.header.Text, typ) {
				t.Errorf("header %q, want %q", w.header.Text, typ)
			}
			if tree := w.shown.view.Main; tree.Total[0] <= 0 || len(tree.Fn) < 3 {
				t.Errorf("%s: an empty graph (%d nodes)", name, len(tree.Fn))
			}
		})
	}

	w := openTest(t, Options{Source: filepath.Join("..", "model", "testdata", "formats", "sigquit.txt")})
	raw := filepath.Join(t.TempDir(), "raw.txt")
	if err := os.WriteFile(raw, []byte("PeriodType: cpu nanoseconds\nPeriod: 10000000\nSamples:\nsamples/count cpu/nanoseconds\n"+
		"          1   10000000: 1 2 \nLocations\n     1: 0x4a2b3c M=1 main.f /x.go:3:0 s=0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.Open(raw, "")
	w.wait()
	if said := strings.Join(overlayText(w), " "); !strings.Contains(said, "pprof -raw output") {
		t.Errorf("the dialog does not say what the file is: %q", said)
	}
	if !strings.Contains(w.header.Text, "Type: goroutine") {
		t.Errorf("the open dump was lost: header %q", w.header.Text)
	}
}
