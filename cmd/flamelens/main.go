// Command flamelens is a native desktop flame-graph viewer for pprof
// profiles, with headless subcommands that print the same numbers.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/flamelens/flamelens/ui"
)

const usage = `flamelens: flame graphs for pprof profiles

Usage:
  flamelens [-sample_index X] [SOURCE]          open SOURCE (or the built-in sample) in a window
  flamelens top [-n N] [-sample_index X] [-cum] SOURCE
                                                print the functions with the largest flat (or cum) values
  flamelens export -format folded|png|svg [-width W] [-height H] [-sample_index X] [-o FILE] SOURCE
                                                write the profile as folded stacks, or its flame graph
  flamelens find [-n N] [-sample_index X] QUERY SOURCE
                                                rank functions against a fuzzy QUERY: name, flat, cum

Every command takes pprof's filters: -focus, -ignore, -hide, -show, -show_from,
-prune_from (regexps on function names and files) and -tagfocus, -tagignore
(on sample labels), with go tool pprof's meaning.

SOURCE is a pprof profile (gzipped or not, any format go tool pprof reads) or a
file of folded stacks ("main;foo;bar 123" per line); the format is read from the
content. Run "flamelens COMMAND -h" for a command's flags.
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
		case "help":
			fmt.Fprint(stdout, usage)
		default:
			err = runWindow(args, stderr)
		}
	} else {
		err = runWindow(args, stderr)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "flamelens: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "flamelens: %v\n", err)
		return 1
	}
}

func runWindow(args []string, stderr io.Writer) error {
	fs := newFlagSet("flamelens", "[-sample_index X] [SOURCE]", stderr)
	src := addSourceFlags(fs)
	view := fs.String("view", "flame", "the view to start on: flame (the flame graph) or graph (the call graph)")
	if err := parseFlags(fs, args, 0, 1); err != nil {
		return err
	}
	if *view != "flame" && *view != "graph" {
		return usageError{fmt.Sprintf("unknown -view %q (known: flame, graph)", *view)}
	}
	if (src.diffBase != "" || src.base != "") && fs.NArg() == 0 {
		return usageError{"-diff_base and -base need a SOURCE to compare"}
	}
	return openWindow(ui.Options{Source: fs.Arg(0), SampleIndex: src.sampleIndex, Filters: src.filters,
		DiffBase: src.diffBase, Base: src.base, Normalize: src.normalize, Fetch: src.fetchOptions(), View: *view})
}
