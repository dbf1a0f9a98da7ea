// Package objfile reads the profiled program: its symbols, its machine
// code decoded in-process (amd64, 386, arm64 and arm, with golang.org/x/arch,
// the decoders go tool objdump and go tool pprof use) and, for Go programs,
// the source line of every instruction. It reads ELF files, what Linux
// programs are.
package objfile

import (
	"bytes"
	"cmp"
	"debug/elf"
	"debug/gosym"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"

	"golang.org/x/arch/arm/armasm"
	"golang.org/x/arch/arm64/arm64asm"
	"golang.org/x/arch/x86/x86asm"
)

// File is one program's code and symbols, read into memory.
type File struct {
	Path string
	// Arch is the machine the code is for, as GOARCH names it.
	Arch string
	// BuildID is the GNU build ID ("" if the program has none): what a
	// profile's mapping records of the program it sampled.
	BuildID string

	syms      []Symbol // by address
	text      []byte
	textStart uint64
	load      uint64
	loadErr   error
	lines     *gosym.Table // nil for programs that are not Go's
	decode    decoder
}

// Symbol is a named range of the program, as pprof's disassembly takes it:
// from Start to End, which is the last byte's address (the size minus one).
type Symbol struct {
	Name       string
	Start, End uint64
}

// Inst is one decoded instruction.
type Inst struct {
	Addr uint64
	// Text is the instruction in Go's assembler syntax, "?" for bytes
	// that do not decode.
	Text string
	// File and Line are the source line the instruction was compiled
	// from, for Go programs; "" and 0 when unknown.
	File string
	Line int
}

type decoder func(code []byte, pc uint64, lookup func(uint64) (string, uint64)) (text string, size int)

// Open reads the program at path.
func Open(path string) (*File, error) {
	ef, err := elf.Open(path)
	if err != nil {
		var fe *elf.FormatError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("%s is not an ELF program (flamelens reads the code of Linux programs): %v", path, err)
		}
		return nil, err
	}
	defer ef.Close()
	f := &File{Path: path, BuildID: gnuBuildID(ef)}
	if f.Arch, f.decode = decoderFor(ef.Machine); f.decode == nil {
		return nil, fmt.Errorf("%s: code for %v cannot be decoded: flamelens decodes amd64, 386, arm64 and arm", path, ef.Machine)
	}
	text := ef.Section(".text")
	if text == nil {
		return nil, fmt.Errorf("%s has no .text section: no code to show", path)
	}
	f.textStart = text.Addr
	if f.text, err = text.Data(); err != nil {
		return nil, fmt.Errorf("%s: reading its code: %v", path, err)
	}
	if f.syms, err = symbols(ef); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	f.load, f.loadErr = loadAddress(ef)
	f.lines = goLines(ef, f.syms, f.textStart)
	return f, nil
}

// decoderFor is the GOARCH name and decoder for a machine.
func decoderFor(m elf.Machine) (string, decoder) {
	switch m {
	case elf.EM_X86_64:
		return "amd64", func(code []byte, pc uint64, lookup func(uint64) (string, uint64)) (string, int) {
			return decodeX86(code, pc, lookup, 64)
		}
	case elf.EM_386:
		return "386", func(code []byte, pc uint64, lookup func(uint64) (string, uint64)) (string, int) {
			return decodeX86(code, pc, lookup, 32)
		}
	case elf.EM_AARCH64:
		return "arm64", decodeARM64
	case elf.EM_ARM:
		return "arm", decodeARM
	}
	return m.String(), nil
}

// decodeX86 decodes one instruction as go tool objdump does: an undecodable
// byte is "?" on its own.
func decodeX86(code []byte, pc uint64, lookup func(uint64) (string, uint64), mode int) (string, int) {
	inst, err := x86asm.Decode(code, mode)
	if err != nil || inst.Len == 0 || inst.Op == 0 {
		return "?", 1
	}
	return x86asm.GoSyntax(inst, pc, lookup), inst.Len
}

func decodeARM64(code []byte, pc uint64, lookup func(uint64) (string, uint64)) (string, int) {
	inst, err := arm64asm.Decode(code)
	if err != nil || inst.Op == 0 {
		return "?", 4
	}
	return arm64asm.GoSyntax(inst, pc, lookup, textReader{code, pc}), 4
}

func decodeARM(code []byte, pc uint64, lookup func(uint64) (string, uint64)) (string, int) {
	inst, err := armasm.Decode(code, armasm.ModeARM)
	if err != nil || inst.Len == 0 || inst.Op == 0 {
		return "?", 4
	}
	return armasm.GoSyntax(inst, pc, lookup, textReader{code, pc}), inst.Len
}

// textReader reads the code from pc on at its addresses, for decoders that
// show PC-relative loads as the constants they load.
type textReader struct {
	code []byte
	pc   uint64
}

func (r textReader) ReadAt(data []byte, off int64) (int, error) {
	if off < 0 || uint64(off) < r.pc {
		return 0, io.EOF
	}
	d := uint64(off) - r.pc
	if d >= uint64(len(r.code)) {
		return 0, io.EOF
	}
	n := copy(data, r.code[d:])
	if n < len(data) {
		return n, io.ErrUnexpectedEOF
	}
	return n, nil
}

// symbols are the program's symbols by address, without the section
// markers that would name every address.
func symbols(ef *elf.File) ([]Symbol, error) {
	raw, err := ef.Symbols()
	if err != nil {
		if errors.Is(err, elf.ErrNoSymbols) {
			return nil, errors.New("it has no symbol table (was it stripped?): its functions cannot be found")
		}
		return nil, fmt.Errorf("reading its symbols: %v", err)
	}
	// Sorted and filtered as go tool pprof does, so that where symbols
	// share an address, the one an instruction's operand is named after
	// is the same.
	syms := make([]Symbol, 0, len(raw))
	for _, s := range raw {
		syms = append(syms, Symbol{Name: s.Name, Start: s.Value, End: s.Value + s.Size - 1})
	}
	slices.SortFunc(syms, func(a, b Symbol) int { return cmp.Compare(a.Start, b.Start) })
	return slices.DeleteFunc(syms, func(s Symbol) bool {
		switch s.Name {
		case "runtime.text", "text", "_text", "runtime.etext", "etext", "_etext":
			return true
		}
		return false
	}), nil
}

// gnuBuildID is the program's GNU build ID note, in hex.
func gnuBuildID(ef *elf.File) string {
	s := ef.Section(".note.gnu.build-id")
	if s == nil {
		return ""
	}
	data, err := s.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	order := ef.ByteOrder
	nameSize, descSize := order.Uint32(data), order.Uint32(data[4:])
	start := 12 + (uint64(nameSize)+3)&^3
	if order.Uint32(data[8:]) != 3 || !bytes.HasPrefix(data[12:], []byte("GNU")) || start+uint64(descSize) > uint64(len(data)) {
		return ""
	}
	return fmt.Sprintf("%x", data[start:start+uint64(descSize)])
}

// loadAddress is where the program's code segment starts when mapped, as
// go tool pprof takes it to relate a profile's addresses to the file's.
func loadAddress(ef *elf.File) (uint64, error) {
	for _, p := range ef.Progs {
		if p.Type == elf.PT_LOAD && p.Flags&elf.PF_X != 0 {
			return p.Vaddr - p.Vaddr%p.Align, nil
		}
	}
	return 0, errors.New("no executable segment")
}

// goLines is a Go program's table of source lines by instruction, or nil.
func goLines(ef *elf.File, syms []Symbol, textStart uint64) *gosym.Table {
	s := ef.Section(".gopclntab")
	if s == nil {
		s = ef.Section(".data.rel.ro.gopclntab")
	}
	if s == nil {
		return nil
	}
	data, err := s.Data()
	if err != nil {
		return nil
	}
	for _, sym := range syms {
		if sym.Name == "runtime.text" {
			textStart = sym.Start
		}
	}
	t, err := gosym.NewTable(nil, gosym.NewLineTable(data, textStart))
	if err != nil {
		return nil
	}
	return t
}

// Offset is what to take from a profile's addresses to get the file's,
// for a program mapped at start (a mapping's Start): 0 for programs that
// are not position-independent.
func (f *File) Offset(start uint64) uint64 {
	if start == 0 || f.loadErr != nil {
		return 0
	}
	return start - f.load
}

// Symbols are the program's symbols whose names match re (all with re
// nil), by address.
func (f *File) Symbols(re *regexp.Regexp) []Symbol {
	var out []Symbol
	for _, s := range f.syms {
		if s.Start == 0 && s.End == ^uint64(0) {
			continue // an STT_FILE symbol: no address, no size
		}
		if re == nil || re.MatchString(s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// Named are the program's symbols called name (a name can be on more
// than one).
func (f *File) Named(name string) []Symbol {
	return f.Symbols(regexp.MustCompile("^" + regexp.QuoteMeta(name) + "$"))
}

// Lookup is the symbol at addr and its start, or "" and 0.
func (f *File) Lookup(addr uint64) (string, uint64) {
	i, _ := slices.BinarySearchFunc(f.syms, addr+1, func(s Symbol, a uint64) int { return cmp.Compare(s.Start, a) })
	if i > 0 {
		s := f.syms[i-1]
		if s.Start != 0 && s.Start <= addr && addr <= s.End {
			return s.Name, s.Start
		}
	}
	return "", 0
}

// Decode decodes the instructions from start up to, not including, end,
// as go tool pprof does for a symbol (end being its last byte): the
// code is cut at end, so an instruction that would run past it decodes as
// what the bytes before end make.
func (f *File) Decode(start, end uint64) []Inst {
	textEnd := f.textStart + uint64(len(f.text))
	start, end = max(start, f.textStart), min(end, textEnd)
	if start >= end {
		return nil
	}
	code := f.text[:end-f.textStart]
	var out []Inst
	for pc := start; pc < end; {
		text, size := f.decode(code[pc-f.textStart:], pc, f.Lookup)
		in := Inst{Addr: pc, Text: text}
		if f.lines != nil {
			in.File, in.Line, _ = f.lines.PCToLine(pc)
		}
		out = append(out, in)
		pc += uint64(size)
	}
	return out
}
