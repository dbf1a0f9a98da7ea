// Command busy is a small program for flamelens's tests of annotated
// disassembly: it spends a given time in a few functions of its own (one
// with inlined callees, one recursive, one that allocates) and writes its
// CPU and heap profiles, so that tests have a real program and real
// profiles of it.
package main

import (
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	mem := flag.String("memprofile", "", "write a heap profile to `file`")
	d := flag.Duration("for", time.Second, "how long to work")
	flag.Parse()
	runtime.MemProfileRate = 4096
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	sink := 0
	for end := time.Now().Add(*d); time.Now().Before(end); {
		xs := make([]int, 3000)
		for i := range xs {
			xs[i] = int(mix(uint64(i)) % 10000)
		}
		insertionSort(xs)
		sink += fib(26) + len(words(200))
	}
	if *mem != "" {
		f, err := os.Create(*mem)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			log.Fatal(err)
		}
	}
	if sink == 42 {
		println(sink)
	}
}

// insertionSort sorts xs; less and swap are inlined into it.
func insertionSort(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && less(xs[j], xs[j-1]); j-- {
			swap(xs, j, j-1)
		}
	}
}

func less(a, b int) bool { return a < b }

func swap(xs []int, i, j int) { xs[i], xs[j] = xs[j], xs[i] }

// mix scrambles x.
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

// fib is recursive.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// words allocates.
func words(n int) []string {
	var out []string
	for i := range n {
		out = append(out, strings.Repeat("w", i%7)+strconv.Itoa(i))
	}
	return out
}
