package main

import (
	"io"

	"github.com/flamelens/flamelens/output"
)

func runInsights(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens insights", synopsis: "[-json] [-module PATH] [-sample_index X] [FILTERS] [-diff_base BASE | -base BASE] SOURCE...",
		about: "Says what the profile shows, in plain words: each finding (garbage collection, reflection-based encoding,\n" +
			"regexps compiled on the hot path, fmt and string building, lock contention, system calls, the scheduler,\n" +
			"maps; in a heap, mutex, block or goroutine profile, where it arises) with its value and share, the\n" +
			"functions behind it, your code that leads there, what usually helps and the Go documentation about it,\n" +
			"largest first. Compared with a BASE, the findings are about the change. -json writes them as JSON.",
		examples: []string{
			"flamelens insights cpu.pprof",
			"flamelens insights -sample_index=alloc_space mem.pprof",
			"flamelens insights -diff_base=before.pprof after.pprof",
			"flamelens insights -json -module=example.com/shop cpu.pprof",
		}}, stdout, stderr)
	asJSON := fs.Bool("json", false, "write the findings as JSON")
	module := fs.String("module", "", "your code: import path prefixes, comma-separated (default: the main module, worked out from the profile)")
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 1, maxSources); err != nil {
		return err
	}
	l, spec, err := src.view(fs.Args()...)
	if err != nil {
		return err
	}
	f, _ := output.Lookup("insights")
	if *asJSON {
		f, _ = output.Lookup("insights-json")
	}
	return output.Write(stdout, f, l, spec, output.Options{Modules: src.module(*module)})
}
