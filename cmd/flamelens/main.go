// Command flamelens is a native desktop flame-graph viewer for pprof
// profiles, with headless subcommands that print the same numbers.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	_ "github.com/flamelens/flamelens/cmd/flamelens/internal/locale" // first: keeps Fyne quiet under LANG=C.UTF-8
	"github.com/flamelens/flamelens/session/fetch"
	"github.com/flamelens/flamelens/ui"
)

const usage = `flamelens: flame graphs, call graphs and comparisons for pprof profiles

Usage:
  flamelens [FLAGS] [SOURCE...]       open each SOURCE (or the built-in sample) in a window
  flamelens top [FLAGS] SOURCE...     print the functions with the largest flat (or cum) values
  flamelens export [FLAGS] SOURCE...  write folded stacks, the flame graph (PNG, SVG) or the call graph
  flamelens find [FLAGS] QUERY SOURCE...
                                      rank functions against a fuzzy QUERY
  flamelens traces [FLAGS] SOURCE...  print every sample: its labels, value and stack
  flamelens insights [FLAGS] SOURCE... say what the profile shows in plain words: findings, largest first
  flamelens report -diff_base BEFORE [FLAGS] AFTER
                                      sum a comparison up for a pull request: Markdown, HTML or JSON
  flamelens compare [FLAGS] BEFORE AFTER
                                      say whether a change between two sets of runs is real: medians,
                                      intervals and p per function, and a gate for CI (-max_regression)
  flamelens list [FLAGS] REGEX SOURCE print the source of matching functions with flat and cum per line
  flamelens disasm [FLAGS] REGEX SOURCE
                                      print the machine code of matching functions with flat and cum per instruction
  flamelens version                   print the version
  flamelens help                      print this help

Run "flamelens COMMAND --help" for a command's flags and examples.

Examples:
  flamelens cpu.pprof
  flamelens -diff_base=before.pprof after.pprof
  flamelens localhost:6060
  flamelens top -focus=Unmarshal cpu.pprof
  flamelens compare -max_regression 2% before/ after/

Every command takes pprof's filters: -focus, -ignore, -hide, -show, -show_from,
-prune_from (regexps on function names and files) and -tagfocus, -tagignore
(on sample labels), with go tool pprof's meaning, and -sample_index,
-diff_base, -base and -normalize as pprof has them.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code:
// 0 on success, 1 when the work failed, 2 for a usage error.
func run(args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 {
		switch args[0] {
		case "top":
			err = runTop(args[1:], stdout, stderr)
		case "export":
			err = runExport(args[1:], stdout, stderr)
		case "find":
			err = runFind(args[1:], stdout, stderr)
		case "traces":
			err = runTraces(args[1:], stdout, stderr)
		case "insights":
			err = runInsights(args[1:], stdout, stderr)
		case "report":
			err = runReport(args[1:], stdout, stderr)
		case "compare":
			err = runCompare(args[1:], stdout, stderr)
		case "list":
			err = runList(args[1:], stdout, stderr)
		case "disasm":
			err = runDisasm(args[1:], stdout, stderr)
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
		case "version", "-version", "--version":
			fmt.Fprintln(stdout, versionLine())
		default:
			err = runWindow(args, stdout, stderr)
		}
	} else {
		err = runWindow(args, stdout, stderr)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errSaid):
		return 1
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "flamelens: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "flamelens: %v\n", err)
		return 1
	}
}

// version is set at build time (-ldflags "-X main.version=..."); else
// the module's version or the commit it was built from is used.
var version = ""

func versionLine() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "" {
		v = info.Main.Version
		if v == "" || v == "(devel)" {
			v = "devel"
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v += " " + s.Value[:12]
				}
			}
		}
	}
	return fmt.Sprintf("flamelens %s (%s, %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func runWindow(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens", synopsis: "[-view flame|graph] [-merge] [-sample_index X] [FILTERS] [-diff_base BASE | -base BASE] [SOURCE...]",
		about: "Opens each SOURCE in a window: a flame graph, the function table and the call graph. With no SOURCE it opens\n" +
			"a built-in sample profile. A file opened while flamelens runs opens in a new window of the running one.\n" +
			"With -merge, every SOURCE opens in one window, merged, each sample labelled with its source.",
		examples: []string{
			"flamelens cpu.pprof",
			"flamelens -view graph -focus=encoding/json cpu.pprof",
			"flamelens -diff_base=before.pprof after.pprof",
			"flamelens -seconds=10 localhost:6060",
			"flamelens -merge -tagroot=source host1:6060 host2:6060 host3:6060",
		}}, stdout, stderr)
	src := addSourceFlags(fs)
	view := fs.String("view", "flame", "the view to start on: flame (the flame graph) or graph (the call graph)")
	binary := fs.String("binary", "", "the profiled `program`, for machine code (default: the path in the profile)")
	module := fs.String("module", "", "your code, for insights and colours: import path prefixes, comma-separated\n(default: the main module, worked out from the profile)")
	merge := fs.Bool("merge", false, "open every SOURCE in one window, merged into one profile as go tool pprof merges them\n(default: a window each)")
	standalone := fs.Bool("standalone", false, "open in a process of its own, not in a new window of a flamelens already running")
	if err := parseFlags(fs, args, 0, maxWindowSources); err != nil {
		return err
	}
	if *view != "flame" && *view != "graph" {
		return usageError{fmt.Sprintf("unknown -view %q (known: flame, graph)", *view)}
	}
	if err := src.source("").Validate(); err != nil {
		return usageError{err.Error()} // as top, export and find say it
	}
	granularity, err := src.granularityFlag()
	if err != nil {
		return err
	}
	if (src.diffBase != "" || src.base != "") && fs.NArg() != 1 && !*merge {
		return usageError{"-diff_base and -base need one SOURCE to compare (or -merge to compare several merged)"}
	}
	// One window per SOURCE (a file manager passes every file chosen), or
	// one for them all, merged. Paths are made absolute: a flamelens
	// already running has another folder.
	sources := fs.Args()
	if len(sources) == 0 {
		sources = []string{""} // the built-in sample
	}
	if src.diffBase != "" && len(sources) == 1 {
		// Two sets of runs (folders, globs, lists): each merged, compared
		// with their statistics beside, as flamelens report shows them.
		_, after, err := src.reportRuns(sources)
		if err != nil {
			return err
		}
		if len(src.baseMore) > 0 || len(after) > 1 {
			sources, *merge = after, true
		}
	}
	for i := range sources {
		sources[i] = absPath(sources[i])
	}
	fetchOpt := src.fetchOptions()
	if err := src.readAuth(&fetchOpt); err != nil {
		return err
	}
	windowSources := [][]string{sources}
	if !*merge {
		windowSources = nil
		for _, source := range sources {
			windowSources = append(windowSources, []string{source})
		}
	}
	var windows []ui.Options
	for _, paths := range windowSources {
		windows = append(windows, ui.Options{Source: paths[0], More: paths[1:], SampleIndex: src.sampleIndex, Granularity: granularity, Filters: src.filters,
			SourcePath: src.sourcePath, TrimPath: src.trimPath,
			DiffBase: absPath(src.diffBase), Base: absPath(src.base), BaseMore: absPaths(src.baseMore), Normalize: src.normalize, Fetch: fetchOpt,
			View: *view, Binary: absPath(*binary), Module: *module, Version: versionLine()})
	}
	return openWindows(windows, *standalone, stderr)
}

// maxWindowSources is how many files one start may open, a window each.
const maxWindowSources = 32

// absPaths are paths made absolute (absPath).
func absPaths(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = absPath(p)
	}
	return out
}

// absPath makes a file path absolute; URLs and "" stay as they are.
func absPath(source string) string {
	if source == "" || fetch.IsRemote(source) {
		return source
	}
	if abs, err := filepath.Abs(source); err == nil {
		return abs
	}
	return source
}
