package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// What other profilers write is told from the content, never from the
// file's name: each reader below recognizes its format by what the format
// always has, and the formats flamelens does not read are refused by name
// with what to do instead. What is left is a pprof profile or folded
// stacks, and folded stacks only if most of its lines are stacks.

// Formats read from other profilers' files.
const (
	// FormatPerf is the text of `perf script` (Linux perf).
	FormatPerf Format = "perf script"
	// FormatCPUProfile is a Chrome DevTools or Node.js .cpuprofile.
	FormatCPUProfile Format = "cpuprofile"
	// FormatTraceEvents is Chrome's trace-event JSON (chrome://tracing,
	// Perfetto's JSON, Node's --prof-process-less traces, many tracers).
	FormatTraceEvents Format = "trace events"
	// FormatSpeedscope is speedscope's own JSON file format.
	FormatSpeedscope Format = "speedscope"
	// FormatGoroutines is a Go goroutine dump: /debug/pprof/goroutine?debug=2,
	// a panic's or SIGQUIT's traceback.
	FormatGoroutines Format = "goroutine dump"
)

// parseOther reads data if it is one of the other formats flamelens reads,
// or says what it is if it is a format it refuses; handled is false for
// data left to the pprof and folded readers.
func parseOther(name string, data []byte) (p *Profile, handled bool, err error) {
	if looksHTML(data) {
		return nil, true, fmt.Errorf("%s: is an HTML page, not a profile (for a live service, use its /debug/pprof/profile endpoint)", name)
	}
	if what := refusedBinary(data); what != "" {
		return nil, true, fmt.Errorf("%s: %s", name, what)
	}
	if !looksText(data) {
		return nil, false, nil
	}
	head := data[:min(len(data), 64<<10)]
	for _, r := range textReaders {
		if !r.looks(head) {
			continue
		}
		p, err := r.parse(name, data)
		if err != nil {
			return nil, true, fmt.Errorf("%s: %w", name, err)
		}
		return p, true, nil
	}
	if what := refusedText(head); what != "" {
		return nil, true, fmt.Errorf("%s: %s", name, what)
	}
	return nil, false, nil
}

// textReaders are the readers of other profilers' text formats, each
// with what tells its format from the start of the data.
var textReaders = []struct {
	looks func(head []byte) bool
	parse func(name string, data []byte) (*Profile, error)
}{
	{isJSON, parseJSONProfile},
	{looksGoroutines, parseGoroutines},
	{looksPerfScript, parsePerfScript},
}

// refusedBinary names the binary formats of other tools that are not
// profiles flamelens reads, with what to do instead; "" for any other data.
func refusedBinary(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("PERFILE2")) || bytes.HasPrefix(data, []byte("PERFFILE")):
		return "this is a perf.data file: run `perf script -i FILE > out.perf` and open out.perf"
	case bytes.HasPrefix(data, []byte("FLR\x00")):
		return "this is a Java Flight Recorder (.jfr) file: convert it with async-profiler's jfrconv (`jfrconv --cpu FILE out.pb.gz`) and open that"
	case bytes.HasPrefix(data, []byte("go 1.")) && bytes.Contains(data[:min(len(data), 16)], []byte(" trace\x00")):
		return "this is a Go execution trace, not a profile: `go tool trace -pprof=sched FILE > sched.pprof` (or net, sync, syscall) makes one"
	case bytes.HasPrefix(data, []byte("SQLite format 3\x00")):
		return "this is an SQLite database, not a profile"
	}
	return ""
}

// refusedTexts are text formats that are not profiles flamelens reads:
// reports other tools print about a profile, and dumps of one.
var refusedTexts = []struct {
	match func(head string) bool
	what  string
}{
	{
		// go tool pprof -raw: "PeriodType: cpu nanoseconds", "Samples:", "Locations".
		func(h string) bool {
			return hasLine(h, "Samples:") && (strings.HasPrefix(h, "PeriodType: ") || hasLine(h, "Locations"))
		},
		"this looks like pprof -raw output, a dump of a profile: open the profile itself",
	},
	{
		// protoc --decode=perftools.profiles.Profile, or the profile printed as text.
		func(h string) bool {
			return protoTextBlock.MatchString(h) && protoTextField.MatchString(h)
		},
		"this looks like a pprof profile decoded as protobuf text (protoc --decode): open the profile itself",
	},
	{
		// go tool pprof -top / -text / -traces.
		func(h string) bool {
			return pprofTopHeader.MatchString(h) || strings.Contains(h, "Showing nodes accounting for") || pprofTracesRule.MatchString(h)
		},
		"this looks like a report printed by go tool pprof (-top, -text or -traces): open the profile itself",
	},
	{
		// macOS sample(1) and Activity Monitor's "Sample process".
		func(h string) bool {
			return strings.HasPrefix(h, "Analysis of sampling ") || hasLine(h, "Call graph:") && strings.Contains(h, "Process:")
		},
		"this is a macOS `sample` report, which flamelens does not read: record with Instruments or a pprof-writing profiler",
	},
	{
		// perf report's text.
		func(h string) bool {
			return strings.Contains(h, "# Samples: ") && strings.Contains(h, "# Event count") || strings.HasPrefix(h, "# To display the perf.data header info")
		},
		"this is a `perf report` listing: open `perf script` output instead (`perf script > out.perf`)",
	},
	{
		// Java's jstack thread dump.
		func(h string) bool {
			return strings.Contains(h, "Full thread dump ") || jstackThread.MatchString(h)
		},
		"this is a Java thread dump (jstack), which flamelens does not read: async-profiler's collapsed or pprof output opens",
	},
}

var (
	protoTextBlock  = regexp.MustCompile(`(?m)^\s*(sample_type|sample|location|function|mapping) \{\s*$`)
	protoTextField  = regexp.MustCompile(`(?m)^\s*(string_table|location_id|value): `)
	pprofTopHeader  = regexp.MustCompile(`(?m)^\s*flat\s+flat%\s+sum%\s+cum\s+cum%`)
	pprofTracesRule = regexp.MustCompile(`(?m)^-----------\+-------`)
	jstackThread    = regexp.MustCompile(`(?m)^"[^"]+" #\d+ .*prio=`)
)

// refusedText names the text formats flamelens refuses, "" for others.
func refusedText(head []byte) string {
	h := string(head)
	for _, r := range refusedTexts {
		if r.match(h) {
			return r.what
		}
	}
	return ""
}

// hasLine reports whether text has a line that is line, spaces aside.
func hasLine(text, line string) bool {
	for l := range strings.Lines(text) {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}

// isJSON reports whether data is a JSON object or an array of objects.
func isJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return false
	}
	if t[0] == '{' {
		return true // no folded stack starts with a brace
	}
	// An array of trace events, "[{…", perhaps cut short (the format
	// allows it); a folded stack may start "[unknown];…".
	rest := bytes.TrimLeft(t[1:], " \t\r\n")
	return len(rest) == 0 || rest[0] == '{' || rest[0] == ']'
}

// parseJSONProfile reads a JSON profile, telling the kind from its keys.
func parseJSONProfile(name string, data []byte) (*Profile, error) {
	data = bytes.TrimLeft(data, " \t\r\n\ufeff")
	if data[0] == '[' {
		return parseTraceEvents(name, data) // the array form of trace events
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", jsonError(data, err))
	}
	switch {
	case keys["$schema"] != nil && bytes.Contains(keys["$schema"], []byte("speedscope")) || keys["shared"] != nil && keys["profiles"] != nil:
		return parseSpeedscope(name, data)
	case keys["nodes"] != nil && keys["samples"] != nil:
		return parseCPUProfile(name, data)
	case keys["traceEvents"] != nil:
		return parseTraceEvents(name, data)
	case keys["meta"] != nil && keys["threads"] != nil:
		return nil, fmt.Errorf("this is a Firefox Profiler (Gecko) file, which flamelens does not read: export it from profiler.firefox.com as a Chrome trace or speedscope file")
	case keys["sample_type"] != nil || keys["sampleType"] != nil:
		return nil, fmt.Errorf("this looks like a pprof profile written as JSON: open the profile itself (.pb.gz)")
	}
	return nil, fmt.Errorf("this is JSON, but not a profile flamelens reads (speedscope, Chrome or Node .cpuprofile, Chrome trace events)")
}

// jsonError is err with the line it happened at, where it says the offset.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	line := bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
	return fmt.Errorf("line %d: %v", line, err)
}
