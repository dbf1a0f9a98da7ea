package session

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/runstats"
	"github.com/flamelens/flamelens/session/fetch"
)

// profileExtensions and profileNames are what profile files are called:
// by pprof and go test (cpu.pprof, mem.prof, profile.pb.gz, a service's
// /debug/pprof endpoints saved as they are named), and the folded stacks
// of flamegraph.pl and inferno (.folded, .collapsed, .txt).
var (
	profileExtensions = []string{".pprof", ".prof", ".pb.gz", ".pb", ".gz", ".folded", ".collapsed", ".txt",
		".perf", ".cpuprofile", ".json"} // perf script, Chrome/Node, speedscope and trace events
	profileNames = []string{"profile", "heap", "allocs", "goroutine", "goroutineleak", "block", "mutex", "threadcreate"}
)

// ProfileExtensions are the endings of profile files' names, for file
// choosers' filters; a saved session's ".flamelens" is not among them.
func ProfileExtensions() []string { return slices.Clone(profileExtensions) }

// ProfileNames are whole names of profile files (pprof's endpoints).
func ProfileNames() []string { return slices.Clone(profileNames) }

// IsProfileName reports whether a file's name is one a profile has: a
// known extension, an endpoint's name, or no extension at all (a profile
// saved from a URL as it came).
func IsProfileName(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range profileExtensions {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return !strings.Contains(strings.TrimPrefix(lower, "."), ".") || slices.Contains(profileNames, lower)
}

// ExpandRuns lists the runs spec names, one profile a run: a folder (its
// profiles, by IsProfileName, in name order; hidden files left out), a
// glob ("runs/before-*.pprof", in name order), a comma-separated list of
// files and URLs, or one source. A Pyroscope source with runs=N among its
// parameters (or n > 1 given) is its range split into N equal runs; another
// URL with n > 1 is captured n times, one after another.
func ExpandRuns(spec string, n int, opt fetch.Options, now time.Time) ([]string, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, usageError("no runs given")
	}
	if fetch.IsPyroscope(spec) {
		return pyroscopeRuns(spec, n, opt.Pyroscope, now)
	}
	if info, err := os.Stat(spec); err == nil {
		if !info.IsDir() {
			return []string{spec}, nil // a file is one run, however many -runs asks of a URL
		}
		return folderRuns(spec)
	}
	if strings.ContainsAny(spec, "*?[") && !fetch.IsRemote(spec) {
		paths, err := filepath.Glob(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", spec, err)
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("no file matches %s", spec)
		}
		return paths, nil
	}
	if strings.Contains(spec, ",") {
		var paths []string
		for _, p := range strings.Split(spec, ",") {
			if p = strings.TrimSpace(p); p != "" {
				paths = append(paths, p)
			}
		}
		return paths, nil
	}
	return repeat(spec, n), nil
}

func repeat(source string, n int) []string {
	out := []string{source}
	for len(out) < n {
		out = append(out, source)
	}
	return out
}

// folderRuns are the profiles in dir, in name order.
func folderRuns(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	var paths []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && IsProfileName(e.Name()) {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s has no profiles (files named *.pprof, *.pb.gz, *.prof, *.folded, ...)", dir)
	}
	return paths, nil
}

// pyroscopeRuns splits a Pyroscope query's range into runs equal parts:
// runs=N among its parameters, else n.
func pyroscopeRuns(spec string, n int, defaults fetch.PyroscopeQuery, now time.Time) ([]string, error) {
	base, query, _ := strings.Cut(spec, "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", spec, err)
	}
	if r := params.Get("runs"); r != "" {
		if n, err = strconv.Atoi(r); err != nil || n < 1 {
			return nil, fmt.Errorf("%s: runs=%q is not a number of runs", spec, r)
		}
		params.Del("runs")
	}
	source := base
	if len(params) > 0 {
		source += "?" + params.Encode()
	}
	if n <= 1 {
		return []string{source}, nil
	}
	ps, err := fetch.ParsePyroscope(source, defaults)
	if err != nil {
		return nil, err
	}
	rng, err := ps.Query.ResolveRange(now)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	step := rng.To.Sub(rng.From) / time.Duration(n)
	if step < time.Second {
		return nil, fmt.Errorf("%s: %s split into %d runs leaves less than a second each", source, rng, n)
	}
	var out []string
	for i := range n {
		run := ps
		run.Query.From = rng.From.Add(time.Duration(i) * step).UTC().Format(time.RFC3339Nano)
		run.Query.To = rng.From.Add(time.Duration(i+1) * step).UTC().Format(time.RFC3339Nano)
		out = append(out, run.String())
	}
	return out, nil
}

// Runs is one side of a comparison of runs: each run's total and its
// functions' flat and cum values, as the view asked for shows them (its
// sample type, granularity and filters), in the sample type's unit.
type Runs struct {
	// Sources are the runs read, in the order given.
	Sources []string
	// Failed are the runs that could not be read, each with its error;
	// they are left out.
	Failed []model.Part
	// SampleType is the runs' sample type (all the same).
	SampleType model.SampleType
	// Totals are each run's total: the sum of the view's stacks.
	Totals []int64
	// Durations are each run's duration, as its profile says (0 if not).
	Durations []time.Duration

	names []string       // functions by first appearance
	index map[string]int // a function's place in names
	flat  [][]int64      // per function, per run
	cum   [][]int64      // per function, per run
}

// OpenRuns reads every run of paths for the view req asks for: files a
// core each at once, URLs one after another (two captures of one service
// at once would each measure the other). A run that fails is named in
// Failed and left out; it is an error only when none can be read, or when
// the runs are profiles of different sample types.
func OpenRuns(ctx context.Context, paths []string, req Request, opt fetch.Options) (*Runs, error) {
	if len(paths) == 0 {
		return nil, usageError("no runs given")
	}
	type result struct {
		info  *model.Info
		st    model.SampleType
		total int64
		stats []model.FuncStat // the table is all that is kept of a run
		err   error
	}
	results := make([]result, len(paths))
	cores := make(chan struct{}, runtime.GOMAXPROCS(0))
	remote := make(chan struct{}, 1)
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Go(func() {
			lane := cores
			if fetch.IsRemote(path) {
				lane = remote
			}
			lane <- struct{}{}
			defer func() { <-lane }()
			if err := ctx.Err(); err != nil {
				results[i].err = err
				return
			}
			info, s, _, err := OpenTable(ctx, Source{Path: path, Fetch: opt}, req)
			if err == nil {
				results[i] = result{info: info, st: s.SampleType, total: s.Sum(), stats: s.Functions()}
			} else {
				results[i].err = err
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &Runs{index: map[string]int{}}
	var tables [][]model.FuncStat // each run's read
	first := -1
	for i, res := range results {
		if res.err != nil {
			r.Failed = append(r.Failed, model.Part{Source: paths[i], Name: paths[i], Err: res.err})
			continue
		}
		if first < 0 {
			first = i
			r.SampleType = res.st
		} else if res.st != r.SampleType {
			return nil, mixedTypes(paths[first], r.SampleType, paths[i], res.st)
		}
		r.Sources = append(r.Sources, paths[i])
		r.Totals = append(r.Totals, res.total)
		r.Durations = append(r.Durations, model.HeaderOf(res.info, res.st, 0).Duration)
		tables = append(tables, res.stats)
	}
	if first < 0 {
		return nil, noRunRead(r.Failed)
	}
	r.gather(tables)
	return r, nil
}

// OpenRunSets reads two sets of runs at once (OpenRuns), each side's
// error naming it (BEFORE, AFTER).
func OpenRunSets(ctx context.Context, before, after []string, req Request, opt fetch.Options) (b, a *Runs, err error) {
	var berr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		b, berr = OpenRuns(ctx, before, req, opt)
	}()
	a, err = OpenRuns(ctx, after, req, opt)
	<-done
	switch {
	case berr != nil:
		return nil, nil, fmt.Errorf("BEFORE: %w", berr)
	case err != nil:
		return nil, nil, fmt.Errorf("AFTER: %w", err)
	}
	return b, a, nil
}

// noRunRead is the error of a set none of whose runs could be read: the
// error most runs share (a bad filter is every run's), ties to the first.
func noRunRead(failed []model.Part) error {
	count := map[string]int{}
	best := failed[0].Err
	for _, f := range failed {
		msg := f.Err.Error()
		count[msg]++
		if count[msg] > count[best.Error()] {
			best = f.Err
		}
	}
	if count[best.Error()] > 1 {
		return best // said of every run alike: not about one run
	}
	return fmt.Errorf("no run could be read: %w", best)
}

// mixedTypes says that two runs are profiles of different kinds.
func mixedTypes(a string, at model.SampleType, b string, bt model.SampleType) error {
	if at.Name == bt.Name {
		return fmt.Errorf("%s is in %s, %s in %s: runs compared must be in one unit", a, at.Unit, b, bt.Unit)
	}
	return fmt.Errorf("%s is a profile of %s, %s of %s: runs compared must be of one sample type (-sample_index)", a, at, b, bt)
}

// gather turns each run's table into a column per function.
func (r *Runs) gather(tables [][]model.FuncStat) {
	n := len(tables)
	for run, rows := range tables {
		for _, row := range rows {
			f, ok := r.index[row.Name]
			if !ok {
				f = len(r.names)
				r.index[row.Name] = f
				r.names = append(r.names, row.Name)
				r.flat = append(r.flat, make([]int64, n))
				r.cum = append(r.cum, make([]int64, n))
			}
			r.flat[f][run] += row.Flat
			r.cum[f][run] += row.Cum
		}
	}
}

// Len is the number of runs read.
func (r *Runs) Len() int { return len(r.Sources) }

// Value is a function's flat (or cum) value in each run; nil for a
// function none of the runs has.
func (r *Runs) Value(name string, cum bool) []int64 {
	f, ok := r.index[name]
	if !ok {
		return nil
	}
	if cum {
		return r.cum[f]
	}
	return r.flat[f]
}

// Normalize is how each run's values are made comparable across runs.
type Normalize string

const (
	// NormalizeAuto is per second for profiles of time whose runs all say
	// their duration, NormalizeNone otherwise.
	NormalizeAuto Normalize = ""
	// NormalizeNone compares the values as recorded: per run.
	NormalizeNone Normalize = "none"
	// NormalizeSeconds divides each run's values by its duration.
	NormalizeSeconds Normalize = "seconds"
	// NormalizeTotal divides each run's values by its total: shares.
	NormalizeTotal Normalize = "total"
)

// ParseNormalize reads -normalize's value.
func ParseNormalize(s string) (Normalize, error) {
	switch n := Normalize(s); n {
	case NormalizeAuto, NormalizeNone, NormalizeSeconds, NormalizeTotal:
		return n, nil
	}
	return "", usageError(fmt.Sprintf("-normalize %q: none, seconds or total", s))
}

// RunsOptions say how two sets of runs are compared.
type RunsOptions struct {
	Normalize Normalize
	// Flat compares functions' flat values; else their cum.
	Flat  bool
	Stats runstats.Options
}

// RunsComparison is two sets of runs compared: the total and every
// function, normalized as Normalize says (Unit is what a value is).
type RunsComparison struct {
	Before, After *Runs
	// Normalize is the normalization used (never NormalizeAuto).
	Normalize Normalize
	// Unit is what a normalized value is in: the sample type's unit,
	// "nanoseconds/second" (per second) or "share" (a fraction of the
	// run's total).
	Unit string
	// Options are the options as asked (Normalize may be NormalizeAuto):
	// comparing again with them gives the same comparison.
	Options RunsOptions
	Result  runstats.Result
}

// CompareRuns compares before and after, function by function.
func CompareRuns(before, after *Runs, opt RunsOptions) (*RunsComparison, error) {
	if before.SampleType != after.SampleType {
		return nil, mixedTypes(before.Sources[0], before.SampleType, after.Sources[0], after.SampleType)
	}
	c := &RunsComparison{Before: before, After: after, Options: opt, Normalize: opt.Normalize}
	if c.Normalize == NormalizeAuto {
		c.Normalize = NormalizeNone
		if model.IsTimeUnit(before.SampleType.Unit) && before.untimed() == "" && after.untimed() == "" {
			c.Normalize = NormalizeSeconds
		}
	}
	c.Unit = before.SampleType.Unit
	switch c.Normalize {
	case NormalizeSeconds:
		for _, r := range []*Runs{before, after} {
			if untimed := r.untimed(); untimed != "" {
				return nil, fmt.Errorf("%s does not say how long it ran: -normalize seconds needs every run's duration (use -normalize none or total)", untimed)
			}
		}
		c.Unit += "/second"
	case NormalizeTotal:
		c.Unit = "share"
	}
	total := runstats.Series{Name: "total", Before: before.normalized(before.Totals, c.Normalize), After: after.normalized(after.Totals, c.Normalize)}
	names := slices.Clone(before.names)
	for _, name := range after.names {
		if _, ok := before.index[name]; !ok {
			names = append(names, name)
		}
	}
	funcs := make([]runstats.Series, len(names))
	for i, name := range names {
		funcs[i] = runstats.Series{Name: name,
			Before: before.normalized(before.valueOrZero(name, !opt.Flat), c.Normalize),
			After:  after.normalized(after.valueOrZero(name, !opt.Flat), c.Normalize)}
	}
	c.Result = runstats.Compare(total, funcs, opt.Stats)
	return c, nil
}

// CompareFlatAndCum compares before and after twice, as opt says: by the
// functions' flat values and by their cum.
func CompareFlatAndCum(before, after *Runs, opt RunsOptions) (flat, cum *RunsComparison, err error) {
	opt.Flat = true
	if flat, err = CompareRuns(before, after, opt); err != nil {
		return nil, nil, err
	}
	opt.Flat = false
	cum, err = CompareRuns(before, after, opt)
	return flat, cum, err
}

// untimed is the first run that does not say its duration; "" if all do.
func (r *Runs) untimed() string {
	for i, d := range r.Durations {
		if d <= 0 {
			return r.Sources[i]
		}
	}
	return ""
}

func (r *Runs) valueOrZero(name string, cum bool) []int64 {
	if v := r.Value(name, cum); v != nil {
		return v
	}
	return make([]int64, r.Len())
}

// normalized is values (one per run) as n says.
func (r *Runs) normalized(values []int64, n Normalize) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = float64(v)
		switch n {
		case NormalizeSeconds:
			out[i] /= r.Durations[i].Seconds()
		case NormalizeTotal:
			if r.Totals[i] != 0 {
				out[i] /= math.Abs(float64(r.Totals[i]))
			}
		}
	}
	return out
}

// Values are each run of r's normalized value of the function name (""
// for the total), in the runs' order.
func (c *RunsComparison) Values(r *Runs, name string) []float64 {
	if name == "" {
		return r.normalized(r.Totals, c.Normalize)
	}
	return r.normalized(r.valueOrZero(name, !c.Options.Flat), c.Normalize)
}
