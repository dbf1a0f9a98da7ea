// Package disasm decodes a profiled program's machine code (its ELF
// file, through objfile) and sets the profile's costs per address beside
// each instruction, as go tool pprof -disasm prints them. It is an analysis
// beside the model, as pprof keeps binutils out of profile.
package disasm

import (
	"cmp"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/flamelens/flamelens/disasm/objfile"
	"github.com/flamelens/flamelens/model"
)

// AsmRoutine is one function's instructions with the profile's costs beside
// them: what go tool pprof -disasm prints under a ROUTINE header.
type AsmRoutine struct {
	Symbol objfile.Symbol
	// Flat and Cum sum the costs of the routine's addresses (NEW's in a
	// comparison's two-sided stacks, BASE's in the Other fields).
	Flat, Cum           int64
	OtherFlat, OtherCum int64
	Insts               []AsmInst
}

// AsmInst is an instruction with the costs of the addresses from it to
// the next instruction (a sample may land inside one).
type AsmInst struct {
	objfile.Inst
	// Function is the function the samples there were taken in: the
	// outermost one, where code was inlined ("" with no samples).
	Function            string
	Flat, Cum           int64
	OtherFlat, OtherCum int64
	// Path is the source file as the program's line table gives it (File
	// is its base name, as pprof prints it).
	Path string
}

// Disassemble finds the functions of f whose names match re and that have
// costs, and annotates their instructions, as go tool pprof -disasm does.
// start is where the profile says f was mapped (its mapping's Start).
// As pprof, it looks in f only when re matches the name of an address in
// the costs; a REGEX that is a number ("0x4d6141") also finds the function
// at that address.
func Disassemble(f *objfile.File, costs *model.AddressCosts, re *regexp.Regexp, start uint64) ([]AsmRoutine, error) {
	offset := f.Offset(start)
	var syms []objfile.Symbol
	if addr, err := strconv.ParseUint(re.String(), 0, 64); err == nil {
		if name, _ := f.Lookup(addr - offset); name != "" {
			syms = f.Named(name)
		}
		if len(syms) == 0 {
			return nil, fmt.Errorf("no function of %s is at address %#x", f.Path, addr)
		}
	} else if costs.Matches(re) {
		syms = f.Symbols(re)
	}
	out := disassemble(f, costs, syms, offset)
	if len(out) == 0 {
		return nil, fmt.Errorf("no matches found for regexp %s", re)
	}
	return out, nil
}

// DisassembleFunction is function's routines in f (a name can be on more
// than one symbol) with costs beside their instructions; with no costs
// in them, an error.
func DisassembleFunction(f *objfile.File, costs *model.AddressCosts, function string, start uint64) ([]AsmRoutine, error) {
	syms := f.Named(function)
	if len(syms) == 0 {
		return nil, fmt.Errorf("%s has no function %s: is it the program profiled?", f.Path, function)
	}
	out := disassemble(f, costs, syms, f.Offset(start))
	if len(out) == 0 {
		return nil, fmt.Errorf("no samples in the code of %s in this view (all of it may have been inlined into its callers)", function)
	}
	return out, nil
}

// disassemble annotates the symbols that have costs, by name and address.
func disassemble(f *objfile.File, costs *model.AddressCosts, syms []objfile.Symbol, offset uint64) []AsmRoutine {
	var out []AsmRoutine
	for _, s := range syms {
		in := costs.In(s.Start+offset, s.End+offset)
		if len(in) == 0 {
			continue // no samples: pprof lists it not
		}
		r := AsmRoutine{Symbol: s}
		for _, c := range in {
			r.Flat, r.Cum, r.OtherFlat, r.OtherCum = r.Flat+c.Flat, r.Cum+c.Cum, r.OtherFlat+c.OtherFlat, r.OtherCum+c.OtherCum
		}
		r.Insts = annotate(f.Decode(s.Start, s.End), in, offset)
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b AsmRoutine) int {
		if c := strings.Compare(a.Symbol.Name, b.Symbol.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.Symbol.Start, b.Symbol.Start)
	})
	return out
}

// annotate puts each cost on the instruction it falls in: from the
// instruction's address up to the next one's (the last instruction takes
// the rest).
func annotate(insts []objfile.Inst, costs []model.AddressCost, offset uint64) []AsmInst {
	out := make([]AsmInst, len(insts))
	c := 0
	for i, in := range insts {
		a := AsmInst{Inst: in, Path: in.File}
		if a.File != "" {
			a.File = filepath.Base(a.File)
		}
		next := ^uint64(0)
		if i+1 < len(insts) {
			next = insts[i+1].Addr
		}
		for ; c < len(costs) && costs[c].Address-offset < next; c++ {
			cost := costs[c]
			a.Flat, a.Cum, a.OtherFlat, a.OtherCum = a.Flat+cost.Flat, a.Cum+cost.Cum, a.OtherFlat+cost.OtherFlat, a.OtherCum+cost.OtherCum
			if a.File == "" && cost.File != "" {
				a.File = filepath.Base(cost.File)
			}
			if a.Line == 0 {
				a.Line = int(cost.Line)
			}
			if a.Function == "" {
				a.Function = cost.Function
			}
		}
		out[i] = a
	}
	return out
}

// Where is "function file:line", as much of it as is known.
func (a AsmInst) Where() string {
	s := ""
	if a.Function != "" {
		s = a.Function + " "
	}
	if a.File != "" {
		s += a.File
		if a.Line != 0 {
			s += fmt.Sprintf(":%d", a.Line)
		}
	}
	return s
}
