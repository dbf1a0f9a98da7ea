package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/session"
)

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens report", synopsis: "-diff_base BEFORE [-format markdown|html|json] [-o FILE] [-module PATH] [FILTERS] AFTER...",
		about: "Sums a comparison up for a pull request, a chat thread or an incident review: the totals before and after\n" +
			"with the change (per second of profile too, when the durations differ), the functions that grew and shrank\n" +
			"most (flamelens top -diff_base's numbers), the insights about the change and a small differential flame\n" +
			"graph. Markdown (the default) is ready to paste; with -o report.md the graph is written beside it as\n" +
			"report.png. -format html is one self-contained page with the graph inside; json the numbers.\n" +
			"BEFORE and AFTER may each be a set of runs (a folder, a quoted glob, a comma-separated list): each side's\n" +
			"runs are merged, and the headline and every row say whether the change held across the runs, as\n" +
			"flamelens compare tests it (medians, p, significance).",
		examples: []string{
			"flamelens report -diff_base=before.pprof after.pprof",
			"flamelens report -diff_base=before.pprof -o report.md after.pprof",
			"flamelens report -diff_base=before.pprof -format html -o report.html after.pprof",
			"flamelens report -diff_base=runs/base/ -o report.md runs/change/",
		}}, stdout, stderr)
	format := fs.String("format", "markdown", "markdown, html or json")
	out := fs.String("o", "", "output file; default standard output (Markdown then has no image)")
	module := fs.String("module", "", "your code, for the insights: import path prefixes, comma-separated")
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 1, maxSources); err != nil {
		return err
	}
	if *format != "markdown" && *format != "html" && *format != "json" {
		return usageError{fmt.Sprintf("report: unknown -format %q (known: markdown, html, json)", *format)}
	}
	notComparing := usageError{"report: compares two profiles: give the one before with -diff_base BEFORE (or -base), or a saved session of a comparison"}
	if src.diffBase == "" && src.base == "" && !session.IsSessionFile(fs.Arg(0)) {
		return notComparing
	}
	after := fs.Args()
	before, after, err := src.reportRuns(after)
	if err != nil {
		return err
	}
	l, spec, err := src.view(after...)
	if err != nil {
		return err
	}
	if l.Comparison() == nil {
		return notComparing
	}
	f, _ := output.Lookup(map[string]string{"markdown": "report", "html": "report-html", "json": "report-json"}[*format])
	opt := output.Options{Modules: src.module(*module)}
	if before != nil {
		if opt.Runs, err = src.runStatistics(before, after); err != nil {
			return err
		}
	}
	write := func(w io.Writer) error { return output.Write(w, f, l, spec, opt) }
	if *out == "" {
		return write(stdout)
	}
	if f.Name == "report" {
		// The graph beside the Markdown file, which shows it at its end.
		imagePath := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".png"
		opt.ImageFile = func(png []byte) (string, error) {
			err := writeFileAtomically(imagePath, func(w io.Writer) error { _, err := w.Write(png); return err })
			return filepath.Base(imagePath), err
		}
	}
	return writeFileAtomically(*out, write)
}

// reportRuns reads a report's sides as sets of runs when either is one (a
// folder, a glob, a list of more than one): -diff_base's runs are merged
// into BEFORE (its first and baseMore), AFTER's are returned to be merged.
// before is nil for a report of two profiles.
func (sf *sourceFlags) reportRuns(args []string) (before, after []string, err error) {
	if sf.diffBase == "" || session.IsSessionFile(args[0]) {
		return nil, args, nil
	}
	before, err = sf.expandSide("BEFORE", sf.diffBase, 0)
	if err != nil {
		return nil, nil, err
	}
	after = args
	if len(args) == 1 {
		if after, err = sf.expandSide("AFTER", args[0], 0); err != nil {
			return nil, nil, err
		}
	}
	if len(before) == 1 && len(after) == 1 {
		return nil, args, nil
	}
	sf.diffBase, sf.baseMore = before[0], before[1:]
	return before, after, nil
}

// runStatistics compares two sets of runs for a report: flat for its
// rows, cum for its headline.
func (sf *sourceFlags) runStatistics(before, after []string) (*output.RunStatistics, error) {
	b, a, err := sf.openSides(before, after)
	if err != nil {
		return nil, err
	}
	flat, cum, err := session.CompareFlatAndCum(b, a, session.RunsOptions{})
	return &output.RunStatistics{Flat: flat, Cum: cum}, err
}
