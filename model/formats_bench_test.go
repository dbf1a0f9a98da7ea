package model

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// perfScriptText is perf script output of n samples, 5 to 30 frames
// each among 2000 functions, as a busy Go service gives.
func perfScriptText(n int) []byte {
	rng := rand.New(rand.NewSource(1))
	var b strings.Builder
	for s := range n {
		fmt.Fprintf(&b, "myapp 6000/%d [%03d] %d.%06d:     1001001 cpu-clock:ppp: \n", 6000+s%8, s%4, 100+s/1000, s%1000000)
		for d := range 5 + rng.Intn(26) {
			f := rng.Intn(2000)
			fmt.Fprintf(&b, "\t          %x main.f%d+0x%x (/srv/myapp)\n", 0x400000+d*64, f, f*16)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// BenchmarkParsePerfScript reads 100k samples of perf script (≈90 MB).
func BenchmarkParsePerfScript(b *testing.B) {
	data := perfScriptText(100_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := Parse("bench.perf", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseGoroutineDump reads a dump of 100k goroutines in 50
// stacks of 10 to 30 frames, with labels.
func BenchmarkParseGoroutineDump(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	var sb strings.Builder
	for g := range 100_000 {
		stack := g % 50
		fmt.Fprintf(&sb, "goroutine %d [chan receive, %d minutes labels:{\"job\": \"j%d\"}]:\n", g+1, rng.Intn(30), stack)
		for d := range 10 + stack%20 {
			fmt.Fprintf(&sb, "main.f%d_%d(0xc000012345, 0x3)\n\t/srv/app/f%d.go:%d +0x%x\n", stack, d, d, 10+d, d*16)
		}
		fmt.Fprintf(&sb, "created by main.start in goroutine 1\n\t/srv/app/main.go:30 +0x45\n\n")
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := Parse("bench.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}
