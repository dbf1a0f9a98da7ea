package model

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/google/pprof/profile"
)

// Granularity is what a frame stands for, pprof's -functions,
// -filefunctions, -files, -lines and -addresses: frames that agree at the
// granularity are one Func. The zero value is Functions, pprof's default.
type Granularity int

const (
	Functions Granularity = iota
	FileFunctions
	Files
	Lines
	Addresses
)

// Granularities lists them by flag name, in pprof's order.
var Granularities = []Granularity{Functions, FileFunctions, Files, Lines, Addresses}

// String is the granularity's flag name: "functions", "lines".
func (g Granularity) String() string {
	switch g {
	case FileFunctions:
		return "filefunctions"
	case Files:
		return "files"
	case Lines:
		return "lines"
	case Addresses:
		return "addresses"
	}
	return "functions"
}

// ParseGranularity reads a granularity's flag name.
func ParseGranularity(name string) (Granularity, error) {
	for _, g := range Granularities {
		if g.String() == name {
			return g, nil
		}
	}
	return Functions, fmt.Errorf("unknown granularity %q: want functions, filefunctions, files, lines or addresses", name)
}

// node is what pprof keeps of one frame at a granularity (its
// graph.NodeInfo after profile.Aggregate): frames with equal nodes are one
// Func.
type node struct {
	address   uint64
	name      string
	file      string
	startLine int64
	line      int64
	objfile   string
}

// nodeOf is the node of location loc's line at granularity g, as pprof
// builds it for a text report (not for a listing: object names are kept
// only for frames without a function name).
func nodeOf(g Granularity, loc *profile.Location, line profile.Line) node {
	var objfile string
	if loc.Mapping != nil {
		objfile = loc.Mapping.File
	}
	n := node{}
	if g == Addresses {
		n.address = loc.Address
	}
	fn := line.Function
	if fn == nil {
		n.objfile = objfile
		return n
	}
	if g != Files {
		n.name = fn.Name
	}
	if g != Functions && fn.Filename != "" {
		n.file = filepath.Clean(trimProfilePath(fn.Filename))
	}
	if g == Lines || g == Addresses {
		n.line = line.Line
	}
	if n.name == "" {
		n.objfile = objfile
		n.startLine = fn.StartLine
	}
	return n
}

// FrameName is the name pprof's text reports (-traces, -top) print for
// location loc's line at granularity g.
func FrameName(g Granularity, loc *profile.Location, line profile.Line) string {
	return nodeOf(g, loc, line).printable()
}

// printable is the node's name as pprof prints it (NodeInfo's
// PrintableName): "00000000004939b5 runtime.memmove /usr/local/go/src/runtime/memmove_amd64.s:122"
// at -addresses, the file alone at -files.
func (n node) printable() string {
	var parts []string
	if n.address != 0 {
		parts = append(parts, fmt.Sprintf("%016x", n.address))
	}
	if n.name != "" {
		parts = append(parts, n.name)
	}
	switch {
	case n.line != 0:
		parts = append(parts, fmt.Sprintf("%s:%d", n.file, n.line))
	case n.file != "":
		parts = append(parts, n.file)
	case n.name != "":
	case n.objfile != "":
		parts = append(parts, "["+filepath.Base(n.objfile)+"]")
	default:
		parts = append(parts, "<unknown>")
	}
	return strings.Join(parts, " ")
}

// short is how a frame at a finer granularity than functions is drawn: the
// function from its package's last element, then the file's base name and
// line, "json.(*decodeState).object decode.go:641", as pprof's flame graph
// reads; "" when the printable name says as much.
func (n node) short() string {
	if n.file == "" {
		return ""
	}
	if n.name == "" {
		return "" // a file alone: its path (see render.DisplayNames)
	}
	where := filepath.Base(n.file)
	if n.line != 0 {
		where += fmt.Sprintf(":%d", n.line)
	}
	name, _ := shortName(n.name)
	return name + " " + where
}

// trimProfilePath drops the prefixes pprof trims from every file name in a
// report when no -trim_path is given: those of programs built in a
// container's /proc/self/cwd.
func trimProfilePath(path string) string { return TrimSourcePath(path, "", "") }

// TrimSourcePath is pprof's cleaning of a profile's file path before it
// looks for the file: with no trimPath, everything up to and including
// the base name of a searchPath folder is taken off when the path has it
// ("/build/my-project/foo/bar.go" is "foo/bar.go" for a searchPath
// ".../my-project"); then the first of trimPath's prefixes (separated as
// in $PATH) the path starts with, and /proc/self/cwd's.
func TrimSourcePath(path, trimPath, searchPath string) string {
	sPath, searchPath := filepath.ToSlash(path), filepath.ToSlash(searchPath)
	if trimPath == "" {
		for _, dir := range filepath.SplitList(searchPath) {
			want := "/" + filepath.Base(dir) + "/"
			if found := strings.Index(sPath, want); found != -1 {
				return path[found+len(want):]
			}
		}
	}
	prefixes := append(filepath.SplitList(filepath.ToSlash(trimPath)), "/proc/self/cwd/./", "/proc/self/cwd/")
	for _, prefix := range prefixes {
		if !strings.HasSuffix(prefix, "/") {
			prefix += "/"
		}
		if strings.HasPrefix(sPath, prefix) {
			return path[len(prefix):]
		}
	}
	return path
}

// sourceExt matches the extension of a source file's name.
var sourceExt = regexp.MustCompile(`\.(go|s|S|c|cc|cpp|cxx|h|hh|hpp|m|mm|rs|java|kt|scala|py|rb|js|ts|cs|swift|zig)$`)

// IsSourcePath reports whether a frame's label is a source file's path
// (a frame at -files): it ends in a source file's extension and has no
// brackets or spaces.
func IsSourcePath(label string) bool {
	return sourceExt.MatchString(label) && !strings.ContainsAny(label, " ()[]<>")
}

// locationSuffix matches the file (and line) a frame's label ends with at
// a finer granularity than functions: " decode.go:641", " itoa.go".
var locationSuffix = regexp.MustCompile(` [^ ()\[\]<>]+\.[A-Za-z0-9]+(:\d+)?$`)

// SplitLocation parts a frame's label into its function and the file and
// line after it ("json.(*decodeState).object", "decode.go:641"); where is
// "" for a label without one.
func SplitLocation(label string) (function, where string) {
	loc := locationSuffix.FindStringIndex(label)
	if loc == nil || loc[0] == 0 {
		return label, ""
	}
	return label[:loc[0]], label[loc[0]+1:]
}
