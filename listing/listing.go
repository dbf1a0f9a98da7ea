// Package listing annotates source code with a view's costs: the routines
// of the functions asked for, each line's flat and cum and the calls out
// of it, as go tool pprof -list prints them.
package listing

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/flamelens/flamelens/model"
)

// Routine is one function's cost line by line in one source file: what
// pprof's list prints under a ROUTINE header, and the source view shows.
type Routine struct {
	Function  string // the function's name
	File      string // its file, as the report names it (cleaned)
	Path      string // its file as the profile gives it, for finding it
	StartLine int64  // the line the function starts at; 0 if unknown
	// Flat and Cum sum the lines' values (pprof's header; a line on a
	// stack twice, as in recursion, counts for each).
	Flat, Cum int64
	// OtherFlat and OtherCum are BASE's, in a comparison.
	OtherFlat, OtherCum int64
	// Lines are the lines with samples, by line number.
	Lines []LineCost
}

// LineCost is one source line's value in a routine.
type LineCost struct {
	Line      int64
	Flat, Cum int64
	// OtherFlat and OtherCum are BASE's, in a comparison.
	OtherFlat, OtherCum int64
	// Calls are the functions called from the line, by value, largest first.
	Calls []LineCall
	// Frames are the frames of the line in the stacks (one, or one per
	// start line), for finding them in a tree at -lines.
	Frames []model.FuncID
}

// LineCall is a function called from a line, with the value that flows
// through those calls.
type LineCall struct {
	Function     string
	Value, Other int64
	Inlined      bool // the call was inlined into the line (in some stack)
}

// Routines returns the routines in s of the functions whose names match re,
// sorted by function name, then file, as pprof's list sorts them. The
// stacks must be at line granularity, as pprof's list reads them.
func Routines(s *model.Stacks, re *regexp.Regexp) ([]Routine, error) {
	if s.Granularity != model.Lines {
		return nil, fmt.Errorf("a listing needs stacks at line granularity, not %s", s.Granularity)
	}
	wanted := make([]bool, len(s.Funcs))
	found := false
	for i, f := range s.Funcs {
		if f.Function != "" && f.File != "" && f.Address == 0 && re.MatchString(f.Function) {
			wanted[i] = true
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("no matches found for regexp: %s", re)
	}
	costs := lineCosts(s, wanted)
	type key struct{ function, file string }
	byKey := map[key]*Routine{}
	var out []*Routine
	for i, f := range s.Funcs {
		c := costs[i]
		if !wanted[i] || c == nil {
			continue
		}
		k := key{f.Function, filepath.Clean(model.TrimSourcePath(f.File, "", ""))}
		r := byKey[k]
		if r == nil {
			r = &Routine{Function: f.Function, File: k.file, Path: f.File, StartLine: f.StartLine}
			byKey[k] = r
			out = append(out, r)
		}
		r.Flat += c.Flat
		r.Cum += c.Cum
		r.OtherFlat += c.OtherFlat
		r.OtherCum += c.OtherCum
		if r.StartLine == 0 || (f.StartLine != 0 && f.StartLine < r.StartLine) {
			r.StartLine = f.StartLine
		}
		c.Line = f.Line
		c.Frames = []model.FuncID{model.FuncID(i)}
		if j, found := slices.BinarySearchFunc(r.Lines, c.Line, func(l LineCost, line int64) int { return cmp.Compare(l.Line, line) }); found {
			r.Lines[j] = mergeLines(r.Lines[j], *c)
		} else {
			r.Lines = slices.Insert(r.Lines, j, *c)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no source information for " + re.String())
	}
	routines := make([]Routine, len(out))
	for i, r := range out {
		routines[i] = *r
	}
	slices.SortFunc(routines, func(a, b Routine) int {
		return cmp.Or(cmp.Compare(a.Function, b.Function), cmp.Compare(a.File, b.File), cmp.Compare(a.StartLine, b.StartLine))
	})
	return routines, nil
}

func mergeLines(a, b LineCost) LineCost {
	a.Flat += b.Flat
	a.Cum += b.Cum
	a.OtherFlat += b.OtherFlat
	a.OtherCum += b.OtherCum
	a.Frames = append(a.Frames, b.Frames...)
	for _, c := range b.Calls {
		a.Calls = addCall(a.Calls, c)
	}
	sortCalls(a.Calls)
	return a
}

// lineCosts sums the wanted frames' flat and cum, both columns, and the
// calls out of them, in one pass over the stacks: flat from the stacks
// they end in, cum and each call once per stack, as pprof counts them.
func lineCosts(s *model.Stacks, wanted []bool) []*LineCost {
	costs := make([]*LineCost, len(s.Funcs))
	stamp := make([]int32, len(s.Funcs))
	type callKey struct {
		from     model.FuncID
		function string
	}
	calls := map[callKey]*LineCall{}
	callStamp := map[callKey]int32{}
	for i := range s.Len() {
		v, other := s.Value(i), s.OtherValue(i)
		frames := s.Frames(i)
		for j, f := range frames {
			if !wanted[f] {
				continue
			}
			c := costs[f]
			if c == nil {
				c = &LineCost{}
				costs[f] = c
			}
			if j == len(frames)-1 {
				c.Flat += v
				c.OtherFlat += other
			}
			if stamp[f] != int32(i+1) {
				stamp[f] = int32(i + 1)
				c.Cum += v
				c.OtherCum += other
			}
			if j+1 < len(frames) {
				callee := s.Funcs[frames[j+1]]
				name := callee.Function
				if name == "" {
					name = callee.Name
				}
				k := callKey{f, name}
				lc := calls[k]
				if lc == nil {
					lc = &LineCall{Function: name}
					calls[k] = lc
				}
				if s.Inlined(i, j+1) {
					lc.Inlined = true
				}
				if callStamp[k] != int32(i+1) {
					callStamp[k] = int32(i + 1)
					lc.Value += v
					lc.Other += other
				}
			}
		}
	}
	for k, lc := range calls {
		if c := costs[k.from]; c != nil {
			c.Calls = append(c.Calls, *lc)
		}
	}
	for _, c := range costs {
		if c != nil {
			sortCalls(c.Calls)
		}
	}
	return costs
}

func addCall(calls []LineCall, c LineCall) []LineCall {
	for i := range calls {
		if calls[i].Function == c.Function {
			calls[i].Value += c.Value
			calls[i].Other += c.Other
			calls[i].Inlined = calls[i].Inlined || c.Inlined
			return calls
		}
	}
	return append(calls, c)
}

func sortCalls(calls []LineCall) {
	slices.SortFunc(calls, func(a, b LineCall) int {
		return cmp.Or(cmp.Compare(abs(b.Value), abs(a.Value)), cmp.Compare(a.Function, b.Function))
	})
}

// listMargin is how many lines pprof's list shows around the sampled ones
// when it does not know where a function starts, and after the last.
const listMargin = 5

// Span is the range of lines pprof's list prints for the routine: from
// the function's start line (or five lines before the first sampled
// line) to five lines after the last sampled line.
func (r Routine) Span() (first, last int64) {
	if len(r.Lines) == 0 {
		return 0, -1
	}
	first = r.StartLine
	if first == 0 {
		first = r.Lines[0].Line - listMargin
	}
	last = r.Lines[len(r.Lines)-1].Line + listMargin
	return max(first, 1), last
}

// Line is the cost of line n, zero if it has no samples.
func (r Routine) Line(n int64) LineCost {
	if j, found := slices.BinarySearchFunc(r.Lines, n, func(l LineCost, line int64) int { return cmp.Compare(l.Line, line) }); found {
		return r.Lines[j]
	}
	return LineCost{Line: n}
}

// SourceReader returns the lines of a routine's file (the first is line
// 1), or an error that says where it looked.
type SourceReader func(r Routine) ([]string, error)

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
