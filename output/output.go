// Package output is every way a view leaves flamelens: one table of
// formats, with their file name extensions and what each needs, and one
// Write that the window's menus, the headless commands and the comparison
// summary all call. The rules that follow a view out — a sandwich written
// as pprof would write it, reports and insights root-first, titles, the
// differential colouring of pictures — are here once, as pprof's
// report.Generate keeps every output format behind one switch.
package output

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Format is one way out of a view.
type Format struct {
	// Name is what -format calls it: "svg", "report-json".
	Name string
	// Exts are its file name extensions, lower case, the usual one first.
	Exts []string
	// About says what is written, for help text.
	About string
	// Graph says whether the format draws the call graph (-view graph)
	// instead of the flame graph: GraphNo, GraphToo or GraphOnly.
	Graph GraphUse
	// Comparison marks formats that sum up two profiles: a report.
	Comparison bool
	// Binary marks formats that are not text (a PNG, a gzipped profile).
	Binary bool
	// Table marks formats written from a view's stacks alone (WriteTable),
	// which a command can stream without reading the whole profile.
	Table bool
}

// GraphUse says what a format does with the call graph.
type GraphUse uint8

const (
	GraphNo   GraphUse = iota // the flame graph's, or not a picture
	GraphToo                  // either graph's picture
	GraphOnly                 // the call graph's only (DOT)
)

// Formats is the table, in the order help lists them.
var Formats = []Format{
	{Name: "folded", Exts: []string{".folded", ".txt"}, About: "the view's stacks as folded text, one \"main;foo;bar 123\" a line"},
	{Name: "svg", Exts: []string{".svg"}, About: "the picture as SVG", Graph: GraphToo},
	{Name: "png", Exts: []string{".png"}, About: "the picture as PNG", Graph: GraphToo, Binary: true},
	{Name: "html", Exts: []string{".html", ".htm"}, About: "one interactive page: the flame graph and its function table"},
	{Name: "dot", Exts: []string{".dot", ".gv"}, About: "the call graph as Graphviz input", Graph: GraphOnly},
	{Name: "proto", Exts: []string{".pb.gz", ".pprof", ".pb"}, About: "the view as a pprof profile, as go tool pprof -proto writes it", Binary: true},
	{Name: "top", Exts: []string{".top"}, About: "the function table, as go tool pprof -top prints it", Table: true},
	{Name: "traces", Exts: []string{".traces"}, About: "every sample, as go tool pprof -traces prints it"},
	{Name: "list", Exts: []string{".list"}, About: "the source of the functions asked for, costs beside each line, as go tool pprof -list prints it", Table: true},
	{Name: "disasm", Exts: []string{".disasm"}, About: "the machine code of the functions asked for, costs beside each instruction, as go tool pprof -disasm prints it", Table: true},
	{Name: "report", Exts: []string{".md"}, About: "a comparison summed up as Markdown", Comparison: true},
	{Name: "report-html", Exts: []string{".report.html"}, About: "a comparison summed up as one page", Comparison: true},
	{Name: "report-json", Exts: []string{".report.json"}, About: "a comparison's numbers as JSON", Comparison: true},
	{Name: "insights", Exts: []string{".insights.txt"}, About: "what the view shows, in plain words"},
	{Name: "insights-json", Exts: []string{".insights.json"}, About: "the findings as JSON"},
}

// Lookup is the format called name; an unknown name is an error that
// lists the known ones.
func Lookup(name string) (*Format, error) {
	for i := range Formats {
		if Formats[i].Name == name {
			return &Formats[i], nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Names(nil), ", "))
}

// Names are the formats' names that keep says to keep (all, if nil).
func Names(keep func(*Format) bool) []string {
	var out []string
	for i := range Formats {
		if keep == nil || keep(&Formats[i]) {
			out = append(out, Formats[i].Name)
		}
	}
	return out
}

// ForPath is the format a file name asks for by its extension, the
// longest extension that matches winning (".report.html" over ".html");
// among picks, as the window's export offers them. ok is false when none
// matches.
func ForPath(path string, picks ...string) (f *Format, ok bool) {
	name := strings.ToLower(filepath.Base(path))
	best := -1
	for i := range Formats {
		if len(picks) > 0 && !slices.Contains(picks, Formats[i].Name) {
			continue
		}
		for _, ext := range Formats[i].Exts {
			if strings.HasSuffix(name, ext) && (best < 0 || len(ext) > longestExt(&Formats[best], name)) {
				best = i
			}
		}
	}
	if best < 0 {
		return nil, false
	}
	return &Formats[best], true
}

// longestExt is the length of f's longest extension that name ends with.
func longestExt(f *Format, name string) int {
	n := 0
	for _, ext := range f.Exts {
		if strings.HasSuffix(name, ext) {
			n = max(n, len(ext))
		}
	}
	return n
}
