package model

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

// `perf script` prints each sample as a header line and, with call
// graphs, its frames, leaf first, one a line, indented:
//
//	myprog 1234/1240 [002] 5678.901234:     250000 cpu-clock:u:
//		          4a2b3c main.work+0x1c (/tmp/myprog)
//		          4a2a00 main.main+0x20 (/tmp/myprog)
//		ffffffff81000000 [unknown] ([kernel.kallsyms])
//
// The header's fields depend on -F: the command (which may hold spaces),
// pid[/tid], [cpu], time:, the period, the event. flamelens reads them as
// FlameGraph's stackcollapse-perf.pl does by default: the command is the
// root frame; a frame's name is its symbol without "+0x…" and without a
// C++ argument list; a frame without a symbol is named by its binary
// ("[libc.so.6]"), or "[unknown]"; a sample counts its period where the
// header has one, else 1. Each event is a sample type of its own (the
// first event's first); pid, tid and cpu are labels (-tagroot=pid,tid
// puts them above the command, stackcollapse-perf's --pid and --tid), and
// each frame keeps its address and binary (-addresses, --addrs).

// perfHeader matches a sample's header: the command (lazily, so that
// the first number field is the pid), pid[/tid] and the rest.
var perfHeader = regexp.MustCompile(`^(\S.*?)\s+(\d+)(?:/(\d+))?\s+(.*\S:)\s*$`)

// splitPerfFrame splits a frame line, "\t  4a2b3c main.work+0x1c
// (/tmp/myprog)", into its address, symbol and binary (both may be "";
// the binary is in the last parentheses, which may nest).
func splitPerfFrame(line string) (addr uint64, sym, object string, ok bool) {
	s := strings.TrimLeft(line, " \t")
	if len(s) == len(line) {
		return 0, "", "", false // not indented
	}
	hex, _, _ := strings.Cut(s, " ")
	if hex, _, _ = strings.Cut(hex, "\t"); hex == "" {
		return 0, "", "", false
	}
	addr, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		return 0, "", "", false
	}
	rest := strings.TrimSpace(s[len(hex):])
	// The binary's parentheses follow a space; others are the symbol's own.
	if i := lastGroup(rest); i == 0 || i > 0 && (rest[i-1] == ' ' || rest[i-1] == '\t') {
		return addr, strings.TrimSpace(rest[:i]), rest[i+1 : len(rest)-1], true
	}
	return addr, rest, "", true
}

// perfTime matches the time field, "5678.901234:".
var perfTime = regexp.MustCompile(`^\d+\.\d+:$`)

// looksPerfScript reports whether head starts like perf script output: a
// sample's header, then one of its frames.
func looksPerfScript(head []byte) bool {
	var prev []byte
	for line := range bytes.Lines(head) {
		line = bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			prev = nil
			continue
		}
		if _, _, _, ok := splitPerfFrame(string(line)); prev != nil && ok {
			if _, ok := readPerfHeader(string(prev)); ok {
				return true
			}
		}
		prev = nil
		if line[0] != ' ' && line[0] != '\t' {
			prev = line
		}
	}
	return false
}

// perfSample is a sample header's fields.
type perfSample struct {
	comm          string
	pid, tid, cpu int64 // -1 where the header has none
	period        int64
	event         string
}

// readPerfHeader reads a sample's header line.
func readPerfHeader(line string) (perfSample, bool) {
	m := perfHeader.FindStringSubmatch(line)
	if m == nil {
		return perfSample{}, false
	}
	s := perfSample{comm: m[1], tid: -1, cpu: -1, period: 1}
	s.pid, _ = strconv.ParseInt(m[2], 10, 64)
	if m[3] != "" {
		s.tid, _ = strconv.ParseInt(m[3], 10, 64)
	}
	fields := strings.Fields(m[4])
	for i, f := range fields {
		switch {
		case strings.HasPrefix(f, "[") && strings.HasSuffix(f, "]"):
			if n, err := strconv.ParseInt(f[1:len(f)-1], 10, 64); err == nil {
				s.cpu = n
			}
		case perfTime.MatchString(f):
		case i == len(fields)-1 || strings.HasSuffix(f, ":") && !perfTime.MatchString(f):
			if !strings.HasSuffix(f, ":") {
				return perfSample{}, false
			}
			s.event = strings.TrimSuffix(f, ":")
			if i > 0 {
				if n, err := strconv.ParseInt(fields[i-1], 10, 64); err == nil {
					s.period = n
				}
			}
			return s, s.event != ""
		}
	}
	return perfSample{}, false
}

// perfReader reads perf script output into one sample type per event.
type perfReader struct {
	b      *stackBuilder // its sample types are set once every event is known
	events []string
	index  map[string]int
	frames map[string]*profile.Location // by frame line: lines repeat
}

// perfStack is the sample being read: its event, period and labels.
type perfStack struct {
	event  int
	period int64
	labels sampleLabels
}

// parsePerfScript reads perf script output.
func parsePerfScript(name string, data []byte) (*Profile, error) {
	r := &perfReader{b: newStackBuilder(&profile.ValueType{}), index: map[string]int{}, frames: map[string]*profile.Location{}}
	var cur *perfStack
	var locs []*profile.Location // cur's frames, leaf first: reused
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	lineNo, bad, firstBad := 0, 0, 0
	done := func() {
		if cur != nil {
			locs = append(locs, r.b.location(frame{name: cur.labels.str["comm"][0]})) // the command, the root
			r.b.addAt(locs, cur.event, cur.period, cur.labels)
			cur = nil
		}
	}
	for sc.Scan() {
		lineNo++
		line := bytes.TrimRight(sc.Bytes(), "\r")
		switch {
		case len(bytes.TrimSpace(line)) == 0:
			done()
		case line[0] == '#':
		case line[0] == ' ' || line[0] == '\t':
			if cur == nil {
				continue // a frame of a sample whose header was not read, or an srcline
			}
			if l := r.frame(line); l != nil {
				locs = append(locs, l)
			}
		default:
			done()
			h, ok := readPerfHeader(string(line))
			if !ok {
				bad++
				if firstBad == 0 {
					firstBad = lineNo
				}
				continue
			}
			cur = &perfStack{event: r.event(h.event), period: h.period, labels: perfLabels(h)}
			locs = locs[:0]
		}
	}
	done()
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("perf script, line %d: %v", lineNo+1, err)
	}
	if len(r.b.p.Sample) == 0 {
		return nil, errors.New("perf script: no samples")
	}
	p, err := r.profile(name)
	if err != nil {
		return nil, err
	}
	if bad > 0 {
		p.Warnings = []string{fmt.Sprintf("%s: skipped %d lines that are not perf script samples (the first, line %d)", name, bad, firstBad)}
	}
	return p, nil
}

// frame is the location of a frame line, nil for a line that is not one
// (a source line under -F srcline).
func (r *perfReader) frame(line []byte) *profile.Location {
	key := bytes.TrimSpace(line)
	if l, ok := r.frames[string(key)]; ok {
		return l
	}
	var l *profile.Location
	if f, ok := perfFrameOf(string(line)); ok {
		l = r.b.location(f)
	}
	r.frames[string(key)] = l
	return l
}

// event is the sample type index of event, made the first time.
func (r *perfReader) event(event string) int {
	if i, ok := r.index[event]; ok {
		return i
	}
	r.index[event] = len(r.events)
	r.events = append(r.events, event)
	return len(r.events) - 1
}

// profile is the samples read from name, one sample type per event.
func (r *perfReader) profile(name string) (*Profile, error) {
	types := make([]*profile.ValueType, len(r.events))
	for i, e := range r.events {
		types[i] = &profile.ValueType{Type: e, Unit: perfUnit(e)}
	}
	b := r.b
	b.p.SampleType, b.p.PeriodType = types, types[0]
	b.p.DefaultSampleType = r.events[0] // stackcollapse-perf's default: the first event
	b.fill()
	return b.result(name, FormatPerf)
}

// perfUnit is the unit of an event's period: the clock events count
// nanoseconds, the others events.
func perfUnit(event string) string {
	base, _, _ := strings.Cut(event, ":")
	switch base {
	case "cpu-clock", "task-clock":
		return "nanoseconds"
	}
	return "count"
}

// perfLabels are a sample's command, pid, tid and cpu as labels.
func perfLabels(h perfSample) sampleLabels {
	l := sampleLabels{str: map[string][]string{"comm": {h.comm}}, num: map[string][]int64{"pid": {h.pid}}}
	if h.tid >= 0 {
		l.num["tid"] = []int64{h.tid}
	}
	if h.cpu >= 0 {
		l.num["cpu"] = []int64{h.cpu}
	}
	return l
}

// perfFrameOf reads a frame line, naming the frame as stackcollapse-perf
// does.
func perfFrameOf(line string) (frame, bool) {
	addr, sym, object, ok := splitPerfFrame(line)
	if !ok {
		return frame{}, false
	}
	switch object {
	case "unknown":
		object = "[unknown]"
	case "inlined":
		object = "" // a frame perf found inlined at the address of the one below
	}
	sym = perfTidy(sym)
	if sym == "" || sym == "[unknown]" {
		sym = "[unknown]"
		if object != "" && object != "[unknown]" {
			sym = "[" + path.Base(object) + "]"
		}
	}
	if object == "[unknown]" {
		object = ""
	}
	return frame{name: sym, addr: addr, object: object}, true
}

// trimOffset is sym without its offset, "+0x1c".
func trimOffset(sym string) string {
	i := strings.LastIndex(sym, "+0x")
	if i < 0 || i+3 == len(sym) {
		return sym
	}
	for _, c := range sym[i+3:] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return sym
		}
	}
	return sym[:i]
}

// perfTidy is a symbol as stackcollapse-perf names it: no offset, no
// C++ argument list, no JVM "L" (a Go method's receiver, "main.(*T).m", and
// "(anonymous namespace)" are not argument lists), no semicolons (they
// part frames in folded stacks).
func perfTidy(sym string) string {
	sym = trimOffset(sym)
	if strings.HasPrefix(sym, "L") && strings.Contains(sym, "/") {
		sym = sym[1:] // a JVM type signature's "L": "Lcom/example/Server;::handle"
	}
	for i := 0; i < len(sym); i++ {
		if sym[i] != '(' || i == 0 {
			continue
		}
		if sym[i-1] == '.' || strings.HasPrefix(sym[i:], "(anonymous namespace)") {
			continue
		}
		sym = sym[:i]
		break
	}
	return strings.ReplaceAll(sym, ";", ":")
}
