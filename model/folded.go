package model

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

// ParseFolded reads folded stacks ("root;caller;callee 123" per line, the
// format of stackcollapse, py-spy and async-profiler) into a pprof profile
// with one sample type, samples/count. Blank lines and lines starting with
// '#' are skipped; anything else that is not a stack and an integer count is
// an error naming the line.
func ParseFolded(r io.Reader) (*profile.Profile, error) {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}},
		PeriodType: &profile.ValueType{Type: "samples", Unit: "count"},
		Period:     1,
	}
	locByName := make(map[string]*profile.Location)
	location := func(name string) *profile.Location {
		if loc, ok := locByName[name]; ok {
			return loc
		}
		id := uint64(len(p.Function) + 1)
		fn := &profile.Function{ID: id, Name: name, SystemName: name}
		loc := &profile.Location{ID: id, Line: []profile.Line{{Function: fn}}}
		p.Function = append(p.Function, fn)
		p.Location = append(p.Location, loc)
		locByName[name] = loc
		return loc
	}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		stack, value, err := splitFoldedLine(line)
		if err != nil {
			return nil, fmt.Errorf("folded stacks, line %d: %v", lineNo, err)
		}
		frames := strings.Split(stack, ";")
		locs := make([]*profile.Location, 0, len(frames))
		for i := len(frames) - 1; i >= 0; i-- { // pprof stores the leaf first
			if frames[i] == "" {
				continue
			}
			locs = append(locs, location(frames[i]))
		}
		if len(locs) == 0 {
			return nil, fmt.Errorf("folded stacks, line %d: stack has no frames", lineNo)
		}
		p.Sample = append(p.Sample, &profile.Sample{Location: locs, Value: []int64{value}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("folded stacks, line %d: %v", lineNo+1, err)
	}
	if len(p.Sample) == 0 {
		return nil, fmt.Errorf("folded stacks: no stack lines")
	}
	return p, nil
}

// splitFoldedLine splits "a;b;c 123" into its stack and its count. Frame
// names may contain spaces: the count is what follows the last one.
func splitFoldedLine(line string) (stack string, value int64, err error) {
	i := strings.LastIndexAny(line, " \t")
	if i <= 0 {
		return "", 0, fmt.Errorf("want \"frame;frame;... count\", got %q", clip(line, 60))
	}
	value, err = strconv.ParseInt(line[i+1:], 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("count %q is not an integer", clip(line[i+1:], 30))
	}
	stack = strings.TrimSpace(line[:i])
	if stack == "" {
		return "", 0, fmt.Errorf("want \"frame;frame;... count\", got %q", clip(line, 60))
	}
	return stack, value, nil
}

// WriteFolded writes the tree as folded stacks: one line per distinct stack,
// root first, with its summed value (the node's self value). Lines come in
// the tree's depth-first order. Frame names are written as they are, except
// that ';' and line breaks, which would split a frame, become '_'.
func WriteFolded(w io.Writer, t *Tree) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	names := make([]string, len(t.Funcs))
	for i, f := range t.Funcs {
		names[i] = frameSafe.Replace(f.Name) // bytes, so names that are not UTF-8 stay as they are
	}
	var path []string
	t.Walk(func(n NodeID, depth int) bool {
		if n == Root {
			return true
		}
		path = append(path[:depth-1], names[t.Fn[n]])
		if t.Self[n] != 0 {
			bw.WriteString(strings.Join(path, ";"))
			bw.WriteByte(' ')
			bw.WriteString(strconv.FormatInt(t.Self[n], 10))
			bw.WriteByte('\n')
		}
		return true
	})
	return bw.Flush()
}

// frameSafe replaces what would split a folded frame.
var frameSafe = strings.NewReplacer(";", "_", "\n", "_", "\r", "_")

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
