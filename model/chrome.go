package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/google/pprof/profile"
)

// Chrome DevTools and Node.js (--cpu-prof, the inspector) write CPU
// profiles as a tree of call frames, the node each sample was taken in
// and the time since the sample before:
//
//	{"nodes": [{"id": 1, "callFrame": {"functionName": "(root)", "url": "", "lineNumber": -1, …},
//	            "hitCount": 0, "children": [2]}, …],
//	 "startTime": 100, "endTime": 2100, "samples": [2, 2, 3], "timeDeltas": [500, 500, 500]}
//
// Times are microseconds. A .cpuprofile becomes two sample types:
// samples/count, and wall/microseconds, where a sample lasts until the
// next one is taken (the last until endTime), as DevTools draws it. Line
// and column numbers count from 0 in the file and from 1 in flamelens.
// Trace-event files carry the same profile in "ProfileChunk" events.

type cpuProfile struct {
	Nodes      []cpuNode `json:"nodes"`
	StartTime  float64   `json:"startTime"`
	EndTime    float64   `json:"endTime"`
	Samples    []int64   `json:"samples"`
	TimeDeltas []float64 `json:"timeDeltas"`
}

type cpuNode struct {
	ID        int64     `json:"id"`
	CallFrame callFrame `json:"callFrame"`
	Children  []int64   `json:"children"`
	Parent    int64     `json:"parent"`
}

type callFrame struct {
	FunctionName string      `json:"functionName"`
	URL          string      `json:"url"`
	LineNumber   json.Number `json:"lineNumber"`
	ColumnNumber json.Number `json:"columnNumber"`
}

// frame is the call frame as a flamelens frame.
func (c callFrame) frame() frame {
	name := c.FunctionName
	if name == "" {
		name = "(anonymous)"
	}
	line, _ := strconv.ParseInt(c.LineNumber.String(), 10, 64)
	f := frame{name: name, file: c.URL}
	if line >= 0 && c.LineNumber != "" {
		f.line, f.startLine = line+1, line+1
	}
	return f
}

// parseCPUProfile reads a .cpuprofile.
func parseCPUProfile(name string, data []byte) (*Profile, error) {
	var cp cpuProfile
	if err := json.Unmarshal(data, &cp); err != nil {
		return nil, fmt.Errorf("cpuprofile: %v", jsonError(data, err))
	}
	b := newCPUProfileBuilder()
	if err := b.addProfile(&cp, sampleLabels{}); err != nil {
		return nil, fmt.Errorf("cpuprofile: %v", err)
	}
	return b.finish(name, FormatCPUProfile)
}

// cpuProfileBuilder makes one profile of one or several CPU profiles
// (a trace's threads).
type cpuProfileBuilder struct {
	*stackBuilder
	duration float64 // µs, summed over the profiles
}

func newCPUProfileBuilder() *cpuProfileBuilder {
	return &cpuProfileBuilder{stackBuilder: newStackBuilder(
		&profile.ValueType{Type: "samples", Unit: "count"},
		&profile.ValueType{Type: "wall", Unit: "microseconds"})}
}

// addProfile adds cp's samples, each with labels.
func (b *cpuProfileBuilder) addProfile(cp *cpuProfile, labels sampleLabels) error {
	if len(cp.Samples) == 0 {
		return nil
	}
	nodes := make(map[int64]*cpuNode, len(cp.Nodes))
	for i := range cp.Nodes {
		nodes[cp.Nodes[i].ID] = &cp.Nodes[i]
	}
	for i := range cp.Nodes {
		for _, c := range cp.Nodes[i].Children {
			if n := nodes[c]; n != nil {
				n.Parent = cp.Nodes[i].ID
			}
		}
	}
	stacks := map[int64][]*profile.Location{}
	stackOf := func(id int64) ([]*profile.Location, error) {
		if s, ok := stacks[id]; ok {
			return s, nil
		}
		n := nodes[id]
		if n == nil {
			return nil, fmt.Errorf("a sample names node %d, which is not in the profile", id)
		}
		var s []*profile.Location
		for depth := 0; n != nil; depth++ {
			if depth > len(nodes) {
				return nil, fmt.Errorf("node %d is its own ancestor", id)
			}
			if n.Parent == 0 && n.CallFrame.FunctionName == "(root)" {
				break
			}
			s = append(s, b.location(n.CallFrame.frame()))
			if n.Parent == 0 {
				break
			}
			n = nodes[n.Parent]
		}
		stacks[id] = s
		return s, nil
	}
	// Sample i is taken at start + the deltas up to i; it lasts until the
	// next (the deltas may be negative: samples are then out of order).
	times := make([]float64, len(cp.Samples))
	t := cp.StartTime
	for i := range cp.Samples {
		if i < len(cp.TimeDeltas) {
			t += cp.TimeDeltas[i]
		}
		times[i] = t
	}
	order := make([]int, len(times))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return times[order[a]] < times[order[b]] })
	end := cp.EndTime
	if end < times[order[len(order)-1]] {
		end = times[order[len(order)-1]]
	}
	values := make([]int64, 2)
	for k, i := range order {
		next := end
		if k+1 < len(order) {
			next = times[order[k+1]]
		}
		s, err := stackOf(cp.Samples[i])
		if err != nil {
			return err
		}
		if len(s) == 0 {
			continue // the root itself: no frame to count it in
		}
		values[0], values[1] = 1, int64(math.Round(next))-int64(math.Round(times[i]))
		b.add(s, values, labels)
	}
	b.duration += end - times[order[0]]
	return nil
}

// finish is the profile made, its duration the profiles' time.
func (b *cpuProfileBuilder) finish(name string, format Format) (*Profile, error) {
	if len(b.p.Sample) == 0 {
		return nil, fmt.Errorf("%s: no samples", format)
	}
	b.p.DurationNanos = int64(b.duration * 1000)
	return b.result(name, format)
}

// A trace-event file ("JSON Array Format" or {"traceEvents": [...]})
// holds events of every kind. flamelens reads its sampled CPU profiles
// (a "Profile" event and its "ProfileChunk"s, as Chrome and Node write
// them) if it has any, and otherwise its duration events ("X", and "B"
// with its "E") as wall time per stack, each event's self time (its
// duration less its children's) counted in its stack, per thread.

type traceEvent struct {
	Name string          `json:"name"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"`
	Dur  float64         `json:"dur"`
	Pid  json.RawMessage `json:"pid"`
	Tid  json.RawMessage `json:"tid"`
	ID   json.RawMessage `json:"id"`
	Args struct {
		Name string `json:"name"` // thread_name's
		Data *struct {
			StartTime  *float64 `json:"startTime"`
			CPUProfile *struct {
				Nodes   []cpuNode `json:"nodes"`
				Samples []int64   `json:"samples"`
			} `json:"cpuProfile"`
			TimeDeltas []float64 `json:"timeDeltas"`
		} `json:"data"`
	} `json:"args"`
}

// parseTraceEvents reads a trace-event file.
func parseTraceEvents(name string, data []byte) (*Profile, error) {
	var events []traceEvent
	if data[0] == '[' {
		if err := unmarshalTruncatedArray(data, &events); err != nil {
			return nil, fmt.Errorf("trace events: %v", jsonError(data, err))
		}
	} else {
		var file struct {
			TraceEvents []traceEvent `json:"traceEvents"`
		}
		if err := json.Unmarshal(data, &file); err != nil {
			return nil, fmt.Errorf("trace events: %v", jsonError(data, err))
		}
		events = file.TraceEvents
	}
	threads := threadNames(events)
	if p, err := traceProfiles(name, events, threads); p != nil || err != nil {
		return p, err
	}
	return traceDurations(name, events, threads)
}

// unmarshalTruncatedArray reads a JSON array of events; the format allows
// the closing bracket to be missing (a trace cut short).
func unmarshalTruncatedArray(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	t := bytes.TrimRight(data, " \t\r\n,")
	if len(t) > 0 && t[len(t)-1] != ']' {
		if json.Unmarshal(append(t[:len(t):len(t)], ']'), v) == nil {
			return nil
		}
	}
	return err
}

// threadKey names a thread of a trace: "pid/tid".
func threadKey(e *traceEvent) string {
	return string(bytes.Trim(e.Pid, `"`)) + "/" + string(bytes.Trim(e.Tid, `"`))
}

// threadNames are the names metadata events give threads.
func threadNames(events []traceEvent) map[string]string {
	names := map[string]string{}
	for i := range events {
		if e := &events[i]; e.Ph == "M" && e.Name == "thread_name" && e.Args.Name != "" {
			names[threadKey(e)] = e.Args.Name
		}
	}
	return names
}

// threadLabels label a thread's samples with its name, or pid/tid.
func threadLabels(key string, names map[string]string) sampleLabels {
	name := names[key]
	if name == "" {
		name = key
	}
	return sampleLabels{str: map[string][]string{"thread": {name}}}
}

// traceProfiles reads the sampled CPU profiles of a trace, nil if it has
// none.
func traceProfiles(name string, events []traceEvent, threads map[string]string) (*Profile, error) {
	type chunked struct {
		thread string
		cp     cpuProfile
	}
	var order []string
	profiles := map[string]*chunked{}
	for i := range events {
		e := &events[i]
		if e.Ph != "P" && e.Ph != "I" && e.Ph != "i" || e.Args.Data == nil || (e.Name != "Profile" && e.Name != "ProfileChunk") {
			continue
		}
		key := string(e.Pid) + "/" + string(e.ID)
		c := profiles[key]
		if c == nil {
			c = &chunked{thread: threadKey(e)}
			profiles[key] = c
			order = append(order, key)
		}
		d := e.Args.Data
		if d.StartTime != nil {
			c.cp.StartTime = *d.StartTime
		}
		if d.CPUProfile != nil {
			c.cp.Nodes = append(c.cp.Nodes, d.CPUProfile.Nodes...)
			c.cp.Samples = append(c.cp.Samples, d.CPUProfile.Samples...)
		}
		c.cp.TimeDeltas = append(c.cp.TimeDeltas, d.TimeDeltas...)
		c.cp.EndTime = max(c.cp.EndTime, e.Ts)
	}
	if len(order) == 0 {
		return nil, nil
	}
	b := newCPUProfileBuilder()
	for _, key := range order {
		c := profiles[key]
		// A chunked profile has no endTime: its last sample lasts 0.
		c.cp.EndTime = 0
		if err := b.addProfile(&c.cp, threadLabels(c.thread, threads)); err != nil {
			return nil, fmt.Errorf("trace events, profile %s: %v", key, err)
		}
	}
	return b.finish(name, FormatTraceEvents)
}

// span is a duration event: its name, start and end (ns).
type span struct {
	name       string
	start, end int64
}

// traceDurations reads the duration events of a trace as wall time per
// stack, per thread.
func traceDurations(name string, events []traceEvent, threads map[string]string) (*Profile, error) {
	spans := map[string][]span{}
	open := map[string][]span{} // B events waiting for their E
	var order []string          // threads, as first seen
	seen := map[string]bool{}
	ns := func(us float64) int64 { return int64(math.Round(us * 1000)) }
	for i := range events {
		e := &events[i]
		key := threadKey(e)
		switch e.Ph {
		case "X":
			if e.Dur < 0 {
				continue
			}
			spans[key] = append(spans[key], span{e.Name, ns(e.Ts), ns(e.Ts + e.Dur)})
		case "B":
			open[key] = append(open[key], span{name: e.Name, start: ns(e.Ts)})
		case "E":
			stack := open[key]
			if len(stack) == 0 {
				continue // an end without its begin: the trace started inside it
			}
			s := stack[len(stack)-1]
			open[key] = stack[:len(stack)-1]
			s.end = ns(e.Ts)
			if s.end >= s.start {
				spans[key] = append(spans[key], s)
			}
		default:
			continue
		}
		if !seen[key] {
			seen[key] = true
			order = append(order, key)
		}
	}
	b := newStackBuilder(&profile.ValueType{Type: "wall", Unit: "nanoseconds"})
	var first, last int64 = math.MaxInt64, math.MinInt64
	for _, key := range order {
		list := spans[key]
		if len(list) == 0 {
			continue
		}
		// Parents first: by start, the longer first.
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].start != list[j].start {
				return list[i].start < list[j].start
			}
			return list[i].end > list[j].end
		})
		labels := threadLabels(key, threads)
		var stack []int // indexes into list
		self := make([]int64, len(list))
		parent := make([]int, len(list))
		for i, s := range list {
			first, last = min(first, s.start), max(last, s.end)
			for len(stack) > 0 && list[stack[len(stack)-1]].end <= s.start {
				stack = stack[:len(stack)-1]
			}
			parent[i] = -1
			end := s.end
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				parent[i] = p
				end = min(end, list[p].end) // a child that outlives its parent is cut at its end
				self[p] -= end - s.start
			}
			list[i].end = end
			self[i] += end - s.start
			stack = append(stack, i)
		}
		for i := range list {
			if self[i] <= 0 {
				continue
			}
			var locs []*profile.Location
			for j := i; j >= 0; j = parent[j] {
				locs = append(locs, b.location(frame{name: list[j].name}))
			}
			b.add(locs, []int64{self[i]}, labels)
		}
	}
	if len(b.p.Sample) == 0 {
		return nil, errors.New("trace events: no sampled profile (ProfileChunk) and no duration events (X, B/E)")
	}
	b.p.DurationNanos = last - first
	return b.result(name, FormatTraceEvents)
}
