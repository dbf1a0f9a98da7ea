// Package disasmtest holds test helpers for machine code: profiles made up
// for a program of any architecture from its own symbol and line tables.
package disasmtest

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/flamelens/flamelens/disasm/objfile"
)

// SyntheticProfile writes to path a CPU profile of program bin (any
// architecture, not run) whose samples fall on the instructions of its
// functions matching re: every third instruction of each is a location,
// with the function and line the program's tables give it, and samples
// are taken at each location called from the next function's.
func SyntheticProfile(tb testing.TB, bin string, re *regexp.Regexp, path string) {
	tb.Helper()
	f, err := objfile.Open(bin)
	if err != nil {
		tb.Fatal(err)
	}
	m := &profile.Mapping{ID: 1, Start: 0x10000, Limit: 0x10000000, File: bin, BuildID: f.BuildID, HasFunctions: true, HasLineNumbers: true}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
		Mapping:    []*profile.Mapping{m},
	}
	funcs := map[string]*profile.Function{}
	function := func(name, file string) *profile.Function {
		if fn := funcs[name]; fn != nil {
			return fn
		}
		fn := &profile.Function{ID: uint64(len(p.Function) + 1), Name: name, SystemName: name, Filename: file}
		funcs[name] = fn
		p.Function = append(p.Function, fn)
		return fn
	}
	var callers []*profile.Location
	for _, s := range f.Symbols(re) {
		if strings.Contains(s.Name, ".") && s.End > s.Start {
			var locs []*profile.Location
			for i, in := range f.Decode(s.Start, s.End) {
				if i%3 != 0 || in.File == "" {
					continue
				}
				loc := &profile.Location{ID: uint64(len(p.Location) + 1), Mapping: m, Address: in.Addr + f.Offset(m.Start),
					Line: []profile.Line{{Function: function(s.Name, in.File), Line: int64(in.Line)}}}
				p.Location = append(p.Location, loc)
				locs = append(locs, loc)
			}
			for i, loc := range locs {
				stack := []*profile.Location{loc}
				if len(callers) > 0 {
					stack = append(stack, callers[i%len(callers)])
				}
				p.Sample = append(p.Sample, &profile.Sample{Location: stack, Value: []int64{int64(1 + i%5), int64(1+i%5) * 10_000_000}})
			}
			if len(locs) > 0 {
				callers = locs
			}
		}
	}
	if len(p.Sample) == 0 {
		tb.Fatalf("no function of %s matches %s", bin, re)
	}
	if err := p.CheckValid(); err != nil {
		tb.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer out.Close()
	if err := p.Write(out); err != nil {
		tb.Fatal(err)
	}
}
