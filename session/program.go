package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/flamelens/flamelens/disasm"
	"github.com/flamelens/flamelens/disasm/objfile"
	"github.com/flamelens/flamelens/model"
)

// Programs finds and reads the programs profiles sampled, for their
// machine code, keeping each one read (a program can be tens of
// megabytes). It is safe for use from several goroutines.
type Programs struct {
	mu    sync.Mutex
	files map[string]*objfile.File
}

// ErrNoProgram says the profiled program was not found: the user can
// name it.
var ErrNoProgram = errors.New("the profiled program was not found")

// Find opens the program the profile info sampled: the file given (a
// -binary flag, a file picked), else the path in the profile, the
// profile's own folder (where go test -cpuprofile leaves its test binary)
// and $PPROF_BINARY_PATH, as go tool pprof looks. When the profile records
// a build ID, a file with another is refused: its code is not the code
// profiled.
func (ps *Programs) Find(info *model.Info, given string) (*objfile.File, model.Program, error) {
	prog, ok := info.Program()
	if !ok && given == "" {
		return nil, prog, fmt.Errorf("%w: %s does not say which program it sampled: give it with -binary", ErrNoProgram, info.Source)
	}
	if given != "" {
		f, err := ps.open(given)
		if err != nil {
			return nil, prog, err
		}
		if prog.BuildID != "" && f.BuildID != "" && f.BuildID != prog.BuildID {
			return nil, prog, fmt.Errorf("%s is not the program profiled: its build ID is %s, the profile's %s", given, f.BuildID, prog.BuildID)
		}
		return f, prog, nil
	}
	looked := programCandidates(info.Source, prog)
	var mismatch []string
	for _, path := range looked {
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			continue
		}
		f, err := ps.open(path)
		if err != nil {
			continue
		}
		if prog.BuildID != "" && f.BuildID != prog.BuildID {
			mismatch = append(mismatch, fmt.Sprintf("%s (build ID %s)", path, f.BuildID))
			continue
		}
		return f, prog, nil
	}
	name := prog.File
	if name == "" {
		name = "(unnamed)"
	}
	if len(looked) == 0 {
		return nil, prog, fmt.Errorf("%w: %s names no file for it: give its path with -binary", ErrNoProgram, info.Source)
	}
	more := ""
	if len(mismatch) > 0 {
		more = fmt.Sprintf("; found other builds (the profile's is %s): %s", prog.BuildID, strings.Join(mismatch, ", "))
	}
	return nil, prog, fmt.Errorf("%w: %s; looked in %s%s: give its path with -binary", ErrNoProgram, name, strings.Join(looked, ", "), more)
}

// programCandidates are the paths a profile's program is looked for at.
func programCandidates(source string, prog model.Program) []string {
	var out []string
	if prog.File != "" {
		out = append(out, prog.File)
	}
	base := filepath.Base(prog.File)
	if prog.File == "" || base == "." || base == "/" {
		return out
	}
	if dir := filepath.Dir(source); dir != "" {
		out = append(out, filepath.Join(dir, base))
	}
	dirs := os.Getenv("PPROF_BINARY_PATH")
	if dirs == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dirs = filepath.Join(home, "pprof", "binaries")
		}
	}
	for _, dir := range filepath.SplitList(dirs) {
		if prog.BuildID != "" {
			out = append(out, filepath.Join(dir, prog.BuildID, base), filepath.Join(dir, prog.BuildID))
		}
		out = append(out, filepath.Join(dir, base))
	}
	return out
}

func (ps *Programs) open(path string) (*objfile.File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s@%d@%d", abs, st.Size(), st.ModTime().UnixNano())
	ps.mu.Lock()
	f := ps.files[key]
	ps.mu.Unlock()
	if f != nil {
		return f, nil
	}
	f, err = objfile.Open(path)
	if err != nil {
		return nil, err
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.files == nil {
		ps.files = map[string]*objfile.File{}
	}
	ps.files[key] = f
	return f, nil
}

// Disassembly is the instructions of the functions of program f whose
// names match re, with the costs of stacks s (at -addresses) beside them,
// as go tool pprof -disasm shows them.
func Disassembly(s *model.Stacks, f *objfile.File, prog model.Program, re *regexp.Regexp) ([]disasm.AsmRoutine, error) {
	costs, err := s.AddressCosts()
	if err != nil {
		return nil, err
	}
	return disasm.Disassemble(f, costs, re, prog.Start)
}

// AsmListing is a function's machine code in a view: a routine per
// symbol of that name in the program, with the denominators of shares.
type AsmListing struct {
	Function string
	Program  string // the program's path
	Routines []disasm.AsmRoutine
	// Total is the view's total (NEW's, in a comparison), Other BASE's.
	Total, Other int64
	Unit         string
	// Comparing says the instructions have BASE's values too.
	Comparing bool
}

// Disassembly is function's machine code in program f, with the costs of
// spec's view of l (its filters and function steps, per address as
// pprof's -disasm counts them) beside each instruction: for a comparison
// NEW's and BASE's. The view's costs are kept for the next function.
func (vs *Views) Disassembly(l Loaded, spec Spec, function string, f *objfile.File, prog model.Program) (*AsmListing, error) {
	spec.Granularity, spec.Inverted = model.Addresses, false
	src := l.profile
	if l.comparison != nil {
		src = l.comparison.New
	}
	key := cacheKey(spec) + "\x00" + stepsKey(spec.Steps)
	av, ok := vs.costs.get(src, key)
	if !ok {
		var s *model.Stacks
		var err error
		if l.comparison != nil {
			s, err = comparisonStacks(l.comparison, spec)
		} else {
			s, err = Stacks(l, spec)
		}
		if err != nil {
			return nil, err
		}
		av = &addressView{total: s.AbsTotal, other: s.OtherAbsTotal, unit: s.SampleType.Unit}
		if av.costs, err = s.AddressCosts(); err != nil {
			return nil, err
		}
		vs.costs.set(src, key, av)
	}
	routines, err := disasm.DisassembleFunction(f, av.costs, function, prog.Start)
	if err != nil {
		return nil, err
	}
	return &AsmListing{Function: function, Program: f.Path, Routines: routines, Total: av.total, Other: av.other,
		Unit: av.unit, Comparing: l.comparison != nil}, nil
}

// addressView is a view's costs per address and its totals.
type addressView struct {
	costs        *model.AddressCosts
	total, other int64
	unit         string
}
