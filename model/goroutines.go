package model

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

// A goroutine dump is what the Go runtime prints of its goroutines: the
// /debug/pprof/goroutine?debug=2 page, a panic's traceback, SIGQUIT's.
// Each goroutine is a header, its frames (a function line, then a tab and
// its file:line) and maybe the function that created it:
//
//	goroutine 20 [chan receive, 5 minutes, locked to thread labels:{"tenant": "acme"}]:
//	main.leak(...)
//		/src/main.go:10
//	created by main.main.func1 in goroutine 1
//		/src/main.go:15 +0x5f
//
// Each goroutine becomes a sample of value 1 (sample type goroutine/count,
// as the goroutine profile's) with labels from its header: state, wait
// (minutes, a number: 0 when the runtime prints none, under a minute),
// created_by, goid, locked_to_thread, and the pprof labels Go prints since
// tracebacks carry them.

// goroutineHeader matches a goroutine's header; GOTRACEBACK=system and
// crash add gp= m= mp= before the brackets.
var goroutineHeader = regexp.MustCompile(`^goroutine (\d+)(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[(.*)\]:$`)

// headerOf is the submatches of a goroutine's header line, nil for
// other lines.
func headerOf(line string) []string {
	if !strings.HasPrefix(line, "goroutine ") {
		return nil
	}
	return goroutineHeader.FindStringSubmatch(line)
}

// waitMinutes matches the wait of a goroutine's header.
var waitMinutes = regexp.MustCompile(`^(\d+) minutes?$`)

// looksGoroutines reports whether head holds a goroutine's header line.
func looksGoroutines(head []byte) bool {
	if !bytes.Contains(head, []byte("goroutine ")) {
		return false
	}
	for line := range bytes.Lines(head) {
		if goroutineHeader.Match(bytes.TrimRight(line, "\r\n")) {
			return true
		}
	}
	return false
}

// goroutine is a goroutine read so far.
type goroutine struct {
	id        int64
	labels    sampleLabels
	frames    []frame // leaf first
	ancestors bool    // past "[originating from goroutine N]:": frames of others
	createdBy bool    // past "created by": its file line is not a frame
}

// parseGoroutines reads a goroutine dump.
func parseGoroutines(name string, data []byte) (*Profile, error) {
	b := newStackBuilder(&profile.ValueType{Type: "goroutine", Unit: "count"})
	var g *goroutine
	count := 0
	done := func() {
		if g != nil && len(g.frames) > 0 {
			stack := make([]*profile.Location, len(g.frames))
			for i, f := range g.frames {
				stack[i] = b.location(f)
			}
			b.add(stack, []int64{1}, g.labels)
			count++
		}
		g = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if m := headerOf(line); m != nil {
			done()
			id, _ := strconv.ParseInt(m[1], 10, 64)
			g = &goroutine{id: id, labels: goroutineLabels(id, m[2])}
			continue
		}
		if g == nil || g.ancestors {
			if strings.TrimSpace(line) == "" {
				done()
			}
			continue
		}
		switch {
		case strings.TrimSpace(line) == "":
			done()
		case strings.HasPrefix(line, "\t"):
			if g.createdBy || len(g.frames) == 0 {
				continue
			}
			f := &g.frames[len(g.frames)-1]
			f.file, f.line = goroutineFileLine(line)
		case strings.HasPrefix(line, "created by "):
			creator, _, _ := strings.Cut(strings.TrimPrefix(line, "created by "), " in goroutine ")
			g.labels.str["created_by"] = []string{creator}
			g.createdBy = true
		case strings.HasPrefix(line, "[originating from goroutine "):
			g.ancestors = true
		case strings.HasPrefix(line, "...") && strings.HasSuffix(line, "...") || strings.HasPrefix(line, "goroutine running on other thread"):
			// "...additional frames elided...", "...N frames elided...".
		default:
			g.frames = append(g.frames, frame{name: stripArgs(line)})
		}
	}
	done()
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("goroutine dump: %v", err)
	}
	if count == 0 {
		return nil, errors.New("goroutine dump: no goroutine has a stack")
	}
	return b.result(name, FormatGoroutines)
}

// goroutineLabels reads a goroutine header's brackets: "chan receive, 5
// minutes, locked to thread labels:{"k": "v"}".
func goroutineLabels(id int64, header string) sampleLabels {
	l := sampleLabels{str: map[string][]string{}, num: map[string][]int64{"goid": {id}, "wait": {0}},
		numUnit: map[string][]string{"wait": {"minutes"}}}
	if i := strings.Index(header, "labels:{"); i >= 0 {
		for k, v := range pprofLabels(header[i+len("labels:"):]) {
			l.str[k] = []string{v}
		}
		header = strings.TrimRight(header[:i], " ,")
	}
	parts := strings.Split(header, ", ")
	l.str["state"] = []string{parts[0]}
	for _, p := range parts[1:] {
		switch m := waitMinutes.FindStringSubmatch(p); {
		case m != nil:
			l.num["wait"][0], _ = strconv.ParseInt(m[1], 10, 64)
		case p == "locked to thread":
			l.str["locked_to_thread"] = []string{"true"}
		default:
			l.str["detail"] = append(l.str["detail"], p)
		}
	}
	return l
}

// pprofLabels reads the labels a traceback prints, `{"k": "v", "k2":
// "v2"}`, keys and values quoted as Go quotes strings. What it cannot
// read ends the labels.
func pprofLabels(s string) map[string]string {
	out := map[string]string{}
	s = strings.TrimPrefix(s, "{")
	for {
		s = strings.TrimLeft(s, " ,")
		k, rest, ok := quoted(s)
		if !ok {
			return out
		}
		rest = strings.TrimLeft(rest, " ")
		if !strings.HasPrefix(rest, ":") {
			return out
		}
		v, rest, ok := quoted(strings.TrimLeft(rest[1:], " "))
		if !ok {
			return out
		}
		out[k] = v
		s = rest
	}
}

// quoted reads the Go-quoted string s starts with, and what follows it.
func quoted(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", s, false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			v, err := strconv.Unquote(s[:i+1])
			if err != nil {
				return "", s, false
			}
			return v, s[i+1:], true
		}
	}
	return "", s, false
}

// goroutineFileLine reads "\t/src/main.go:15 +0x5f fp=… sp=… pc=…".
func goroutineFileLine(line string) (string, int64) {
	line = strings.TrimSpace(line)
	if i := strings.Index(line, " +0x"); i >= 0 {
		line = line[:i]
	}
	if i := strings.Index(line, " fp="); i >= 0 {
		line = line[:i]
	}
	i := strings.LastIndexByte(line, ':')
	if i < 0 {
		return line, 0
	}
	n, err := strconv.ParseInt(line[i+1:], 10, 64)
	if err != nil {
		return line, 0
	}
	return line[:i], n
}

// stripArgs is a traceback's function line without its arguments:
// "main.(*T).m(0xc000012345, ...)" is "main.(*T).m".
func stripArgs(s string) string {
	if i := lastGroup(s); i > 0 {
		return s[:i]
	}
	return s
}

// lastGroup is where the parenthesised group that ends s opens, the
// groups inside it skipped: 8 in "f(a, g(b))"; -1 when s does not end
// with one.
func lastGroup(s string) int {
	if !strings.HasSuffix(s, ")") {
		return -1
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}
