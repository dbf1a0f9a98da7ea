package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/runstats"
	"github.com/flamelens/flamelens/session"
)

// percentFlag is a flag given as a percentage, "2%" or "2"; negative is
// unset.
type percentFlag float64

func (p *percentFlag) String() string {
	if *p < 0 {
		return ""
	}
	return strconv.FormatFloat(float64(*p), 'f', -1, 64) + "%"
}

func (p *percentFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a percentage (2%% or 2)", s)
	}
	*p = percentFlag(v)
	return nil
}

// runsFlags are the flags of a comparison of two sets of runs.
type runsFlags struct {
	runs                  int
	normalize             string
	flat                  bool
	threshold, regression percentFlag
	alpha, confidence     float64
}

func addRunsFlags(fs *flagSet) *runsFlags {
	rf := &runsFlags{threshold: 1, regression: -1}
	fs.IntVar(&rf.runs, "runs", 0, "split a Pyroscope range into this many runs (as runs=N among its parameters), or capture a URL this many times")
	fs.StringVar(&rf.normalize, "normalize", "", "how runs are made comparable: none (values as recorded), seconds (per second of profile),\ntotal (shares of each run's total); default seconds for profiles of time that say their duration, else none")
	fs.BoolVar(&rf.flat, "flat", false, "compare functions' flat values (default: cum)")
	fs.Var(&rf.threshold, "threshold", "the noise floor: changes smaller than this share of BEFORE's total are not tested, shown as ~")
	fs.Float64Var(&rf.alpha, "alpha", runstats.DefaultOptions.Alpha, "the false discovery rate over the functions tested (Benjamini–Hochberg), and the total's significance level")
	fs.Float64Var(&rf.confidence, "confidence", runstats.DefaultOptions.Confidence, "the medians' confidence level")
	return rf
}

// options are the comparison's options, or a usage error.
func (rf *runsFlags) options() (session.RunsOptions, error) {
	n, err := session.ParseNormalize(rf.normalize)
	if err != nil {
		return session.RunsOptions{}, usageError{err.Error()}
	}
	if rf.alpha <= 0 || rf.alpha >= 1 || rf.confidence <= 0 || rf.confidence >= 1 {
		return session.RunsOptions{}, usageError{"-alpha and -confidence must be between 0 and 1"}
	}
	threshold := float64(rf.threshold) / 100
	if threshold == 0 {
		threshold = -1 // no floor
	}
	return session.RunsOptions{Normalize: n, Flat: rf.flat,
		Stats: runstats.Options{Alpha: rf.alpha, Confidence: rf.confidence, Threshold: threshold}}, nil
}

// expandSide lists one side's runs.
func (sf *sourceFlags) expandSide(side, spec string, runs int) ([]string, error) {
	paths, err := session.ExpandRuns(spec, runs, sf.fetchOptions(), time.Now())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", side, err)
	}
	return paths, nil
}

// warnFailed says on stderr which runs of a side failed and were left out.
func (sf *sourceFlags) warnFailed(side string, r *session.Runs) {
	for _, f := range r.Failed {
		fmt.Fprintf(sf.stderr, "flamelens: warning: %s: %v (left out; %d of %d runs read)\n", side, f.Err, r.Len(), r.Len()+len(r.Failed))
	}
}

// openSides reads both sides' runs at once for the flags' view, saying on
// stderr which runs failed and were left out.
func (sf *sourceFlags) openSides(before, after []string) (b, a *session.Runs, err error) {
	opt := sf.fetchOptions()
	if err := sf.readAuth(&opt); err != nil {
		return nil, nil, err
	}
	for _, p := range append(slices.Clone(before), after...) {
		sf.warnInsecure(p)
	}
	req, err := sf.request()
	if err != nil {
		return nil, nil, err
	}
	if b, a, err = session.OpenRunSets(context.Background(), before, after, req, opt); err != nil {
		return nil, nil, err
	}
	sf.warnFailed("BEFORE", b)
	sf.warnFailed("AFTER", a)
	return b, a, nil
}

// compareRuns reads both sides and compares them.
func (sf *sourceFlags) compareRuns(before, after string, rf *runsFlags) (*session.RunsComparison, error) {
	opt, err := rf.options()
	if err != nil {
		return nil, err
	}
	bp, err := sf.expandSide("BEFORE", before, rf.runs)
	if err != nil {
		return nil, err
	}
	ap, err := sf.expandSide("AFTER", after, rf.runs)
	if err != nil {
		return nil, err
	}
	b, a, err := sf.openSides(bp, ap)
	if err != nil {
		return nil, err
	}
	return session.CompareRuns(b, a, opt)
}

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens compare", synopsis: "[-format text|markdown|json] [-max_regression PCT] [-n N] [-sample_index X] [FILTERS] BEFORE AFTER",
		about: "Says whether a change between two sets of runs is real, as benchstat does for benchmarks. BEFORE and AFTER\n" +
			"are each a set of runs, one profile a run: a folder (every profile in it), a quoted glob, a comma-separated\n" +
			"list of files and URLs, or a Pyroscope query split into runs=N equal ranges. For the total and each\n" +
			"function (cum, or -flat), each run's value is normalized (per second of profile for profiles of time), and\n" +
			"the sides' medians are compared: ± the medians' 95% confidence interval, p of the Mann–Whitney U test,\n" +
			"false discoveries among thousands of functions held at -alpha by the Benjamini–Hochberg procedure, and\n" +
			"changes under -threshold of the total not tested (~). Sorted by the size of the significant change.\n" +
			"With -max_regression PCT it is a gate for CI: exit 1 if the total, or any function's cum, grew\n" +
			"significantly by more than PCT of BEFORE's total.",
		examples: []string{
			"flamelens compare before/ after/",
			"flamelens compare 'runs/base-*.pprof' 'runs/change-*.pprof'",
			"flamelens compare -max_regression 2% -format markdown base/ change/",
			"flamelens compare -focus=encoding/json -format json before/ after/",
			"flamelens compare 'pyroscope://localhost:4040?service=api&from=-2h&to=-1h&runs=12' 'pyroscope://localhost:4040?service=api&from=-1h&runs=12'",
		}}, stdout, stderr)
	src := addViewFlags(fs)
	rf := addRunsFlags(fs)
	n := fs.Int("n", 20, "number of functions to print; 0 prints all")
	format := fs.String("format", "text", "text (a table like benchstat's), markdown (for a pull request) or json")
	fs.Var(&rf.regression, "max_regression", "exit 1 if the total, or a function's cum, grew significantly by more than this share of BEFORE's total (2%)")
	fs.query = "BEFORE"
	if err := parseFlags(fs, args, 2, 2); err != nil {
		return err
	}
	if *n < 0 {
		return usageError{"compare: -n must be 0 (all) or more"}
	}
	if !slices.Contains(output.RunsFormats, *format) {
		return usageError{fmt.Sprintf("compare: unknown -format %q (known: %s)", *format, strings.Join(output.RunsFormats, ", "))}
	}
	c, err := src.compareRuns(fs.Arg(0), fs.Arg(1), rf)
	if err != nil {
		return err
	}
	if err := output.WriteRuns(stdout, c, *format, *n); err != nil {
		return err
	}
	if rf.regression < 0 {
		return nil
	}
	return gate(c, float64(rf.regression), stderr)
}

// maxGateLines is how many changes past the gate are named on stderr.
const maxGateLines = 10

// gate says on stderr which changes grew significantly by more than pct
// of BEFORE's total, and fails if any did: the total, or a function's
// cum (compared again if the table compared flat values).
func gate(c *session.RunsComparison, pct float64, stderr io.Writer) error {
	cum := c
	if c.Options.Flat {
		opt := c.Options
		opt.Flat = false
		var err error
		if cum, err = session.CompareRuns(c.Before, c.After, opt); err != nil {
			return err
		}
	}
	if !cum.Result.Enough {
		fmt.Fprintf(stderr, "flamelens: compare: -max_regression needs %d+ runs on each side to test a change; nothing was tested\n", runstats.MinRuns)
		return errSaid
	}
	var failed []runstats.Change // the total first, if it is one
	totalFailed := false
	for i, ch := range append([]runstats.Change{cum.Result.Total}, cum.Result.Funcs...) {
		if ch.Significant && ch.OfTotalPct > pct {
			failed = append(failed, ch)
			totalFailed = totalFailed || i == 0
		}
	}
	if len(failed) == 0 {
		return nil
	}
	limit := fmt.Sprintf("past -max_regression %s of BEFORE's total", strconv.FormatFloat(pct, 'f', -1, 64)+"%")
	for i, ch := range failed {
		if i == maxGateLines {
			fmt.Fprintf(stderr, "flamelens: compare: and %d more functions grew %s (see the table)\n", len(failed)-i, limit)
			break
		}
		what := model.EscapeControl(ch.Name) + "'s cum"
		if i == 0 && totalFailed {
			what = "the total"
		}
		fmt.Fprintf(stderr, "flamelens: compare: %s grew by %.2f%% of the total (%s → %s, p=%.3f), %s\n",
			what, ch.OfTotalPct, output.RunValue(cum, ch.Before.Median), output.RunValue(cum, ch.After.Median), ch.P, limit)
	}
	return errSaid
}
