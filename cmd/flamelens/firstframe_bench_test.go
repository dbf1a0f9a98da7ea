package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flamelens/flamelens/model/pproftest"
)

// benchDisplay is an X display to open windows on: $DISPLAY, else a
// 1920×1080 Xvfb started as the smoke tests start theirs.
func benchDisplay(b *testing.B) string {
	b.Helper()
	if d := os.Getenv("DISPLAY"); d != "" {
		return d
	}
	return startXvfbSized(b, "1920x1080x24")
}

// buildWindowProgram builds the Go program in dir (a package path
// relative to this one) with the release build's tags into out.
func buildWindowProgram(b *testing.B, out, dir string) string {
	b.Helper()
	cmd := exec.Command(pproftest.GoTool(b), "build", "-tags", "migrated_fynedo", "-o", out, ".")
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", dir, err, msg)
	}
	return out
}

// watchPeak reads the peak memory of process pid (VmHWM: since its exec,
// unlike wait's rusage, which counts the parent's pages it was forked
// with) every few milliseconds until it ends, and sends the last read.
func watchPeak(pid int) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var last int64
		for {
			data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil {
				break
			}
			for line := range strings.Lines(string(data)) {
				if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					if v, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64); err == nil {
						last = v * 1024
					}
				}
			}
			if strings.Contains(string(data), "State:\tZ") {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		out <- last
	}()
	return out
}

// BenchmarkWindowFirstFrame times a window from the process's start to
// its first frame drawn, as a user starts it: the reference, a bare Fyne
// window drawing one raster (testdata/barewindow); flamelens on its
// built-in sample; flamelens on the benchmarks' 1M-sample profile
// (pproftest.BigSpec). Each reports its peak memory too (peak-MB).
func BenchmarkWindowFirstFrame(b *testing.B) {
	display := benchDisplay(b)
	dir := b.TempDir()
	flamelens := buildWindowProgram(b, filepath.Join(dir, "flamelens"), ".")
	bare := buildWindowProgram(b, filepath.Join(dir, "barewindow"), filepath.Join("..", "..", "testdata", "barewindow"))
	big := filepath.Join(dir, "big.pb.gz")
	if err := os.WriteFile(big, pproftest.BigProfile(b), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"bare-window", []string{bare}},
		{"sample", []string{flamelens, "-standalone"}},
		{"1M-samples", []string{flamelens, "-standalone", big}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var peak int64
			for b.Loop() {
				cmd := exec.Command(c.args[0], c.args[1:]...)
				// A fresh configuration each run: the default window size.
				cmd.Env = append(os.Environ(), "DISPLAY="+display, "FLAMELENS_FIRST_FRAME=exit",
					"XDG_CONFIG_HOME="+b.TempDir(), "FLAMELENS_SOCKET="+filepath.Join(dir, "socket"))
				var out strings.Builder
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				hwm := watchPeak(cmd.Process.Pid)
				if err := cmd.Wait(); err != nil {
					b.Fatalf("%s: %v\n%s", c.name, err, out.String())
				}
				peak = max(peak, <-hwm)
			}
			b.ReportMetric(float64(peak)/1e6, "peak-MB")
		})
	}
}
