package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
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
	findings, owner, err := session.Insights(l, spec, src.module(*module))
	if err != nil {
		return err
	}
	if *asJSON {
		if findings == nil {
			findings = []model.Finding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(findings)
	}
	st := l.Info().SampleTypes()[spec.SampleIndex]
	bw := bufio.NewWriter(stdout)
	fmt.Fprintf(bw, "# file: %s\n# type: %s\n", l.Info().Source, st.Name)
	fmt.Fprintf(bw, "# your code: %s\n", owner)
	if len(findings) == 0 {
		what := "this profile"
		if l.Comparison() != nil {
			what = "the change from BASE to NEW"
		}
		fmt.Fprintf(bw, "No findings: nothing in %s reaches a rule's threshold.\n", what)
	}
	for i, f := range findings {
		fmt.Fprintf(bw, "\n%d. %s — %s (%.1f%%)\n", i+1, f.Title, model.FormatValue(f.Value, f.Unit), 100*f.Share)
		fmt.Fprintf(bw, "   %s\n", f.Sentence)
		fmt.Fprintf(bw, "   frames: %s\n", render.CostList(f.Frames, f.Unit))
		if len(f.Callers) > 0 {
			fmt.Fprintf(bw, "   your code: %s\n", render.CostList(f.Callers, f.Unit))
		}
		fmt.Fprintf(bw, "   what helps: %s\n", f.Advice)
		fmt.Fprintf(bw, "   see: %s\n", f.Doc)
	}
	return bw.Flush()
}
