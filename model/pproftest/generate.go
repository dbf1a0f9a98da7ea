package pproftest

import (
	"bytes"
	"fmt"
	"math/rand"
	"sync"
	"testing"

	"github.com/google/pprof/profile"
)

// Spec describes a generated profile.
type Spec struct {
	Samples, Stacks, Funcs, MaxDepth int
	Seed                             int64
}

// Generate builds a CPU-like profile (samples/count, cpu/nanoseconds)
// whose stacks are random walks down a fixed call graph, so that stacks
// share prefixes as real ones do. Some functions have inlined callees.
func Generate(spec Spec) *profile.Profile {
	rng := rand.New(rand.NewSource(spec.Seed))
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        10_000_000,
		DurationNanos: 30e9,
		TimeNanos:     1_700_000_000e9,
	}
	mapping := &profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x4000000, File: "/srv/app", HasFunctions: true}
	p.Mapping = []*profile.Mapping{mapping}
	for i := 0; i < spec.Funcs; i++ {
		pkg := fmt.Sprintf("example.com/svc/pkg%03d", i%400)
		name := fmt.Sprintf("%s.(*Type%d).Method%d", pkg, i%97, i)
		p.Function = append(p.Function, &profile.Function{
			ID: uint64(i + 1), Name: name, SystemName: name,
			Filename: fmt.Sprintf("/src/%s/file%d.go", pkg, i%13), StartLine: int64(10 + i%500),
		})
	}
	// Each function calls a few others; every location is one call site,
	// and one in eight also carries an inlined callee.
	callees := make([][]int, spec.Funcs)
	for i := range callees {
		k := 2 + rng.Intn(6)
		for j := 0; j < k; j++ {
			callees[i] = append(callees[i], rng.Intn(spec.Funcs))
		}
	}
	locOf := make([]*profile.Location, spec.Funcs)
	for i := range locOf {
		loc := &profile.Location{ID: uint64(i + 1), Mapping: mapping, Address: 0x400000 + uint64(i)*16}
		loc.Line = []profile.Line{{Function: p.Function[i], Line: int64(20 + i%300)}}
		if i%8 == 0 {
			inl := callees[i][0]
			loc.Line = append([]profile.Line{{Function: p.Function[inl], Line: 5}}, loc.Line...)
		}
		locOf[i] = loc
	}
	p.Location = locOf

	roots := []int{0, 1, 2, 3}
	seen := make(map[string]bool, spec.Stacks)
	stacks := make([][]*profile.Location, 0, spec.Stacks)
	var key []byte
	for len(stacks) < spec.Stacks {
		depth := 1 + rng.Intn(spec.MaxDepth)
		f := roots[rng.Intn(len(roots))]
		path := make([]*profile.Location, 0, depth)
		key = key[:0]
		for d := 0; d < depth; d++ {
			path = append(path, locOf[f])
			key = fmt.Appendf(key, "%d,", f)
			f = callees[f][rng.Intn(len(callees[f]))]
		}
		if seen[string(key)] {
			continue
		}
		seen[string(key)] = true
		for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 { // leaf first
			path[i], path[j] = path[j], path[i]
		}
		stacks = append(stacks, path)
	}
	for i := 0; i < spec.Samples; i++ {
		s := stacks[i%len(stacks)]
		if i >= len(stacks) { // beyond one sample per stack, favour a hot few
			s = stacks[int(float64(len(stacks))*rng.Float64()*rng.Float64())]
		}
		n := int64(1 + rng.Intn(3))
		p.Sample = append(p.Sample, &profile.Sample{Location: s, Value: []int64{n, n * 10_000_000}})
	}
	return p
}

// BigSpec is the shape the benchmarks are held to: 1M samples over 400k
// distinct stacks, 40k functions, stacks up to 64 frames deep.
var BigSpec = Spec{Samples: 1_000_000, Stacks: 400_000, Funcs: 40_000, MaxDepth: 64, Seed: 1}

var big struct {
	once sync.Once
	data []byte
	err  error
}

// BigProfile is the gzipped encoding of the BigSpec profile, made once per
// test binary.
func BigProfile(tb testing.TB) []byte {
	big.once.Do(func() {
		var buf bytes.Buffer
		big.err = Generate(BigSpec).Write(&buf)
		big.data = buf.Bytes()
	})
	if big.err != nil {
		tb.Fatal(big.err)
	}
	return big.data
}
