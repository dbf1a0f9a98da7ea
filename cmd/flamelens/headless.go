package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
	"github.com/flamelens/flamelens/session/fetch"
)

// usageError is a mistake in the command line, reported with exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// command describes a subcommand for its -h: what it does, its synopsis
// and examples.
type command struct {
	name, synopsis, about string
	examples              []string
}

// flagSet is a command's flags, and where its help goes.
type flagSet struct {
	*flag.FlagSet
	stdout io.Writer
	query  string // what the argument before SOURCE is called: QUERY, REGEX
}

// newFlagSet makes a command's flag set. Its help (-h, -help, --help)
// goes to stdout; mistakes in the flags go to stderr with the usage.
func newFlagSet(cmd command, stdout, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: %s %s\n\n%s\n\nExamples:\n", cmd.name, cmd.synopsis, cmd.about)
		for _, ex := range cmd.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
		fmt.Fprintf(w, "\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprint(w, sourceHelp)
	}
	query := "QUERY"
	if before, _, ok := strings.Cut(cmd.synopsis, " SOURCE"); ok {
		query = before[strings.LastIndexByte(before, ' ')+1:]
	}
	return &flagSet{fs, stdout, query}
}

// sourceHelp ends every command's help: what a SOURCE may be.
const sourceHelp = `
SOURCE is a pprof profile (gzipped or not, any format go tool pprof reads), a file
of folded stacks ("main;foo;bar 123" per line), or a URL of a service's
/debug/pprof endpoint (host:port alone means its 30-second CPU profile), or a
query of a Grafana Pyroscope server: pyroscope://HOST:PORT (pyroscope+https://
for TLS), with -service, -type, -labels, -from and -to, or the same as its
parameters: pyroscope://HOST:PORT?service=api&type=cpu&from=-2h&to=-1h.
Several SOURCEs are merged into one profile, as go tool pprof merges them.
`

// parseFlags parses args and checks that between minArgs and maxArgs
// positional arguments remain.
func parseFlags(fs *flagSet, args []string, minArgs, maxArgs int) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(fs.stdout)
			fs.Usage()
			return flag.ErrHelp
		}
	}
	// A mistake is one line (run reports it), not the flag package's
	// message followed by the whole usage.
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	// "top: ..." for a subcommand; run says "flamelens: " before it.
	prefix := ""
	if sub, ok := strings.CutPrefix(fs.Name(), "flamelens "); ok {
		prefix = sub + ": "
	}
	if err != nil {
		return usageError{fmt.Sprintf("%s%v (see %s --help)", prefix, err, fs.Name())}
	}
	// A flag after the arguments is an argument to the flag package: a
	// SOURCE named "-n", merged with the others, is surely a mistake.
	for _, a := range fs.Args()[min(fs.NArg(), max(minArgs, 1)):] {
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			return usageError{fmt.Sprintf("%s%q after the arguments: flags go before them (see %s --help)", prefix, a, fs.Name())}
		}
	}
	switch n := fs.NArg(); {
	case n < minArgs && minArgs == 2:
		return usageError{fmt.Sprintf("%s%s and SOURCE expected (see %s --help)", prefix, fs.query, fs.Name())}
	case n < minArgs:
		return usageError{fmt.Sprintf("%sno SOURCE given (see %s --help)", prefix, fs.Name())}
	case n > maxArgs:
		return usageError{fmt.Sprintf("%s%d arguments expected, got %d: %q (flags go before them)", prefix, maxArgs, n, fs.Args())}
	}
	return nil
}

// filterHelp describes pprof's filter flags, which every command takes.
var filterHelp = map[string]string{
	"focus":      "keep only samples with a frame matching this regexp (function name or file)",
	"ignore":     "drop samples with a frame matching this regexp",
	"hide":       "remove frames matching this regexp, keeping their samples",
	"show":       "keep only frames matching this regexp",
	"show_from":  "drop the frames above (the callers of) the outermost frame matching this regexp",
	"prune_from": "drop the frames below (the callees of) frames matching this regexp",
	"tagfocus":   "keep samples whose labels match: regexp on key:value, key=regexp, or a numeric range (bytes=1kb:)",
	"tagignore":  "drop samples whose labels match, as -tagfocus",
	"tagroot":    "label keys, comma-separated: their values become frames at the root of each stack (-tagroot=source: a column per source)",
	"tagleaf":    "label keys, comma-separated: their values become frames at the leaf of each stack",
	"tagbuckets": "numeric label keys whose values -tagroot and -tagleaf group into power-of-two ranges (1kB–2kB), not a frame per value",
	"tagshow":    "keep only the labels whose key matches this regexp",
	"taghide":    "drop the labels whose key matches this regexp",
}

// sourceFlags are the flags every command takes to say what to show:
// the sample type, pprof's filters, and a base profile to compare with.
type sourceFlags struct {
	sampleIndex string
	filters     model.Filters
	diffBase    string
	baseMore    []string // runs merged with -diff_base's (a report of two sets of runs)
	base        string
	normalize   bool
	seconds     int
	timeout     time.Duration
	maxMB       int64
	pyroscope   fetch.PyroscopeQuery // -service, -type, -labels, -from, -to
	authFile    string               // -pyroscope_auth: a file with a token or user:password
	granularity [5]bool              // -functions, -filefunctions, -files, -lines, -addresses
	sourcePath  string               // -source_path: where source files are looked for
	trimPath    string               // -trim_path: prefixes taken off the profile's paths
	stderr      io.Writer            // where notes about fetching go

	// What a saved session given as SOURCE adds (see fromSession).
	sessionSteps  []session.Step // its filter and function steps, before the flags' filters
	inverted      bool           // its flame graph was inverted
	sessionModule string         // whose code it named as the user's
}

// granularityHelp describes pprof's granularity flags, by model.Granularities.
var granularityHelp = []string{
	"frames are functions (the default)",
	"frames are functions, told apart by file",
	"frames are source files",
	"frames are source lines: function file:line",
	"frames are instruction addresses: address function file:line",
}

// addSourceFlags adds the flags of what to show (addViewFlags) and of a
// base profile to compare with: -diff_base, -base and -normalize.
func addSourceFlags(fs *flagSet) *sourceFlags {
	sf := addViewFlags(fs)
	fs.StringVar(&sf.diffBase, "diff_base", "", "compare SOURCE with this base profile: NEW minus BASE, shares of BASE's total")
	fs.StringVar(&sf.base, "base", "", "subtract this base profile from SOURCE (for cumulative profiles such as allocs)")
	fs.BoolVar(&sf.normalize, "normalize", false, "scale the base profile to SOURCE's total before comparing")
	return sf
}

// addViewFlags adds the flags of what to show of a profile: its sample
// type, granularity and filters, and how URLs are fetched.
func addViewFlags(fs *flagSet) *sourceFlags {
	sf := &sourceFlags{}
	fs.StringVar(&sf.sampleIndex, "sample_index", "", "sample type: a name (cpu, alloc_space, ...) or a 0-based index; default as pprof")
	for _, name := range model.FilterNames {
		fs.StringVar(sf.filters.Field(name), name, "", filterHelp[name])
	}
	for i, g := range model.Granularities {
		fs.BoolVar(&sf.granularity[i], g.String(), false, granularityHelp[i])
	}
	fs.StringVar(&sf.sourcePath, "source_path", "", "where to look for source files (folders separated as in $PATH); default the current folder")
	fs.StringVar(&sf.trimPath, "trim_path", "", "prefixes to take off the profile's source paths before looking for them")
	fs.IntVar(&sf.seconds, "seconds", 0, "for a URL: how many seconds a CPU or trace profile captures (sets ?seconds=)")
	fs.DurationVar(&sf.timeout, "timeout", 0, "for a URL: time allowed for the fetch; default 1.5x the capture (at least 5s more), else 60s")
	fs.Int64Var(&sf.maxMB, "max_response_mb", fetch.DefaultMaxBytes>>20, "for a URL: the largest response, and decompressed profile, accepted (MiB)")
	fs.StringVar(&sf.pyroscope.Service, "service", "", "for pyroscope://: the service (its service_name label)")
	fs.StringVar(&sf.pyroscope.Type, "type", "", "for pyroscope://: the profile type, a sample type (cpu, alloc_space) or the server's ID\n(process_cpu:cpu:nanoseconds:cpu:nanoseconds)")
	fs.StringVar(&sf.pyroscope.Labels, "labels", "", "for pyroscope://: more label matchers, as in a Prometheus selector: version=\"v2\",region=~\"eu.*\"")
	fs.StringVar(&sf.pyroscope.From, "from", "", "for pyroscope://: the range's start: -1h, -15m, -7d, now, 2026-11-24T10:00:00Z, \"2026-11-24 10:00\" (UTC) or Unix seconds (default -1h)")
	fs.StringVar(&sf.pyroscope.To, "to", "", "for pyroscope://: the range's end, as -from (default now)")
	fs.StringVar(&sf.authFile, "pyroscope_auth", "", "for pyroscope://: a `file` holding a token or user:password (default: $PYROSCOPE_TOKEN,\nor $PYROSCOPE_USER and $PYROSCOPE_PASSWORD; $PYROSCOPE_TENANT sets X-Scope-OrgID)")
	sf.stderr = fs.Output()
	return sf
}

// fetchOptions are the flags' options for profiles fetched from URLs.
func (sf *sourceFlags) fetchOptions() fetch.Options {
	return fetch.Options{Seconds: sf.seconds, Timeout: sf.timeout, MaxBytes: sf.maxMB << 20, Pyroscope: sf.pyroscope}
}

// readAuth reads -pyroscope_auth's file, if given, into the options.
func (sf *sourceFlags) readAuth(opt *fetch.Options) error {
	if sf.authFile == "" {
		return nil
	}
	auth, err := fetch.ReadPyroscopeAuth(sf.authFile)
	opt.PyroscopeAuth = auth
	return err
}

func (sf *sourceFlags) warnInsecure(source string) {
	if strings.HasPrefix(source, "https+insecure://") {
		fmt.Fprintf(sf.stderr, "flamelens: warning: not checking %s's TLS certificate\n", source)
	}
}

// notes say on stderr what was passed over while reading each profile
// read, and where fetched profiles were kept.
func (sf *sourceFlags) notes(read session.Read) {
	for _, p := range read.Profiles {
		for _, w := range p.Warnings {
			fmt.Fprintf(sf.stderr, "flamelens: warning: %s\n", w)
		}
	}
	for _, c := range read.Copies {
		switch {
		case c.Path != "":
			fmt.Fprintf(sf.stderr, "flamelens: saved the fetched profile in %s\n", c.Path)
		case c.Err != nil:
			fmt.Fprintf(sf.stderr, "flamelens: warning: %v\n", c.Err)
		}
	}
}

// source describes what the flags ask to open for paths (one profile, or
// several merged): the session layer's description, which the window
// gets too.
func (sf *sourceFlags) source(paths ...string) session.Source {
	src := session.Source{Path: paths[0], More: paths[1:], DiffBase: sf.diffBase, Base: sf.base, BaseMore: sf.baseMore, Normalize: sf.normalize, Fetch: sf.fetchOptions()}
	if len(src.More) > 0 {
		remote := slices.ContainsFunc(paths, fetch.IsRemote)
		var mu sync.Mutex
		done := 0
		src.OnPart = func(part model.Part) {
			mu.Lock()
			defer mu.Unlock()
			done++
			switch {
			case part.Err != nil:
				fmt.Fprintf(sf.stderr, "flamelens: warning: %v (left out of the merge)\n", part.Err)
			case remote:
				fmt.Fprintf(sf.stderr, "flamelens: read %s (%d of %d sources)\n", part.Source, done, len(paths))
			}
		}
	}
	return src
}

// maxSources is how many sources one command may merge.
const maxSources = 1000

// granularityFlag is the granularity the flags ask for; more than one is
// a usage error, as in pprof.
func (sf *sourceFlags) granularityFlag() (model.Granularity, error) {
	var set []string
	g := model.Functions
	for i, on := range sf.granularity {
		if on {
			g = model.Granularities[i]
			set = append(set, "-"+g.String())
		}
	}
	if len(set) > 1 {
		return g, usageError{fmt.Sprintf("only one granularity may be given, got %s", strings.Join(set, " "))}
	}
	return g, nil
}

// request is the view the flags ask for, before the profile is read.
func (sf *sourceFlags) request() (session.Request, error) {
	g, err := sf.granularityFlag()
	return session.Request{SampleSpec: sf.sampleIndex, Granularity: g, Steps: sf.steps()}, err
}

// steps are the view's steps: a saved session's, then the flags' pprof
// filters as one step.
func (sf *sourceFlags) steps() []session.Step {
	steps := slices.Clip(sf.sessionSteps)
	if sf.filters.IsZero() {
		return steps
	}
	return append(steps, session.Step{Kind: session.StepFilter, Filter: sf.filters})
}

// topOptions are what top's header says of the view: the flags' filters,
// or every step's label when a saved session adds steps of its own.
func (sf *sourceFlags) topOptions(n int, cum bool) output.TopOptions {
	opt := output.TopOptions{N: n, Cum: cum, Filters: sf.filters}
	if len(sf.sessionSteps) > 0 {
		opt.Filters = model.Filters{}
		for _, st := range sf.steps() {
			opt.Steps = append(opt.Steps, st.Label())
		}
	}
	return opt
}

// fromSession reads paths as a saved session when it is one (a window's
// File > Save Session…, or any .flamelens file): its sources stand in for
// it, and the comparison, sample type, granularity, steps, inversion and
// user's code it saved for the flags that are not given, so a command
// prints what the window showed. Flags given on the command line win; a
// comparison both saved and given is a usage error.
func (sf *sourceFlags) fromSession(paths []string) ([]string, error) {
	if len(paths) != 1 || !session.IsSessionFile(paths[0]) {
		return paths, nil
	}
	st, err := session.ReadState(paths[0])
	if err != nil {
		return nil, err
	}
	if saved := st.Source; saved.DiffBase != "" || saved.Base != "" {
		if sf.diffBase != "" || sf.base != "" {
			return nil, usageError{fmt.Sprintf("%s is a comparison already: give -diff_base or -base with a profile, not with a session", paths[0])}
		}
		sf.diffBase, sf.base, sf.normalize = saved.DiffBase, saved.Base, sf.normalize || saved.Normalize
		sf.baseMore = saved.BaseMore
	}
	if sf.sampleIndex == "" {
		sf.sampleIndex = st.Request.SampleSpec
	}
	if !slices.Contains(sf.granularity[:], true) {
		sf.granularity[slices.Index(model.Granularities, st.Request.Granularity)] = true
	}
	sf.sessionSteps, sf.inverted, sf.sessionModule = st.Request.Steps, st.Inverted, st.Module
	return append([]string{st.Source.Path}, st.Source.More...), nil
}

// module is the user's code: the -module flag's, else a saved session's.
func (sf *sourceFlags) module(flag string) []string {
	if flag == "" {
		flag = sf.sessionModule
	}
	return model.SplitModules(flag)
}

// checked is the source for paths (a saved session's, if paths is one),
// refused as a usage error if the flags contradict each other; it warns of
// URLs whose certificate goes unchecked.
func (sf *sourceFlags) checked(paths []string) (session.Source, error) {
	paths, err := sf.fromSession(paths)
	if err != nil {
		return session.Source{}, err
	}
	src := sf.source(paths...)
	if err := src.Validate(); err != nil {
		return src, usageError{err.Error()}
	}
	if err := sf.readAuth(&src.Fetch); err != nil {
		return src, err
	}
	base, _ := src.Compared()
	sf.warnInsecure(base)
	for _, path := range paths {
		sf.warnInsecure(path)
	}
	return src, nil
}

// table opens paths (merged, if more than one) for the stacks of the flags' view (streamed when
// nothing needs the whole profile), saying on stderr what it should, with
// what the profile says of itself, for a header.
func (sf *sourceFlags) table(paths ...string) (*model.Info, *model.Stacks, error) {
	src, err := sf.checked(paths)
	if err != nil {
		return nil, nil, err
	}
	req, err := sf.request()
	if err != nil {
		return nil, nil, err
	}
	p, s, read, err := session.OpenTable(context.Background(), src, req)
	sf.notes(read)
	return p, s, err
}

// view opens paths (merged, if more than one) and derives the flags'
// view of them.
func (sf *sourceFlags) view(paths ...string) (session.Loaded, session.Spec, error) {
	src, err := sf.checked(paths)
	if err != nil {
		return session.Loaded{}, session.Spec{}, err
	}
	g, err := sf.granularityFlag()
	if err != nil {
		return session.Loaded{}, session.Spec{}, err
	}
	l, read, err := session.Open(context.Background(), src)
	sf.notes(read)
	if err != nil {
		return session.Loaded{}, session.Spec{}, err
	}
	idx, err := l.Info().SampleIndex(sf.sampleIndex)
	return l, session.Spec{SampleIndex: idx, Granularity: g, Steps: sf.steps(), Inverted: sf.inverted}, err
}

func runTop(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens top", synopsis: "[-n N] [-cum] [-sample_index X] [FILTERS] [-diff_base BASE | -base BASE] SOURCE...",
		about: "Prints the functions with the largest flat (or cum) values, as go tool pprof -top does:\n" +
			"a header of # lines, then flat, flat%, cum, cum% and the name, tab-separated, values in the sample type's unit.\n" +
			"The name is pprof's, followed by (inline) or (partial-inline) as pprof marks it. Control characters in a\n" +
			"name (a tab, a newline, ...) are written as \\t, \\n, \\r or \\xHH, so each row is one line of five fields.",
		examples: []string{
			"flamelens top cpu.pprof",
			"flamelens top -n 0 -cum -focus=Unmarshal cpu.pprof",
			"flamelens top -sample_index=inuse_space http://localhost:6060/debug/pprof/heap",
			"flamelens top -diff_base=before.pprof after.pprof",
		}}, stdout, stderr)
	n := fs.Int("n", 20, "number of functions to print; 0 prints all")
	cum := fs.Bool("cum", false, "sort by cumulative value instead of flat")
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 1, maxSources); err != nil {
		return err
	}
	if *n < 0 {
		return usageError{"top: -n must be 0 (all) or more"}
	}
	p, s, err := src.table(fs.Args()...)
	if err != nil {
		return err
	}
	top, _ := output.Lookup("top")
	return output.WriteTable(stdout, top, output.Table{Info: p, Stacks: s}, output.Options{Top: src.topOptions(*n, *cum)})
}

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens export", synopsis: "[-view flame|graph] [-format folded|png|svg|html|dot|proto] [-width W] [-height H] [-o FILE] [FILTERS] SOURCE...",
		about: "Writes the profile as folded stacks, its flame graph as PNG or SVG, or its call graph (-view graph)\n" +
			"as Graphviz DOT, SVG or PNG, the same picture the window draws. A comparison draws the differential flame graph.",
		examples: []string{
			"flamelens export -format svg -o cpu.svg cpu.pprof",
			"flamelens export cpu.pprof > cpu.folded",
			"flamelens export -view graph -format png -o graph.png -focus=json cpu.pprof",
			"flamelens export -format png -diff_base=before.pprof -o diff.png after.pprof",
			"flamelens export -format proto -focus=Unmarshal -o json.pb.gz cpu.pprof",
		}}, stdout, stderr)
	format := fs.String("format", "folded", "output format: folded (stacks as text), png or svg (the picture), html (one interactive page),\ndot (the call graph as Graphviz input), proto (the view as a pprof profile, as go tool pprof -proto writes it)")
	view := fs.String("view", "flame", "what to draw: flame (the flame graph) or graph (the call graph, as pprof's -dot/-web)")
	graphOpt := model.DefaultGraphOptions
	fs.IntVar(&graphOpt.NodeCount, "nodecount", graphOpt.NodeCount, "call graph: the most nodes shown")
	fs.Float64Var(&graphOpt.NodeFraction, "nodefraction", graphOpt.NodeFraction, "call graph: hide nodes below this share of the total")
	fs.Float64Var(&graphOpt.EdgeFraction, "edgefraction", graphOpt.EdgeFraction, "call graph: hide edges below this share of the total")
	width := fs.Int("width", 1200, "picture width in pixels (png, svg)")
	height := fs.Int("height", 0, "picture height in pixels (png, svg); 0 fits every row")
	scale := fs.Float64("scale", 1, "png flame graph: pixels per unit, 2 for a HiDPI screen (width, height, rows and type that much larger)")
	out := fs.String("o", "", "output file; default standard output")
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 1, maxSources); err != nil {
		return err
	}
	opt := output.Options{Graph: *view == "graph", GraphOptions: graphOpt, Width: *width, Height: *height, Scale: *scale}
	f, err := exportFormat(*format, *view)
	if err != nil {
		return err
	}
	if f.Name == "png" || f.Name == "svg" {
		if *width < 16 || *width > 100_000 || *height < 0 || *height > render.MaxExportHeight {
			return usageError{fmt.Sprintf("export: -width must be 16..100000 and -height 0..%d", render.MaxExportHeight)}
		}
		if *scale < 0.5 || *scale > 4 || float64(*width)**scale > 100_000 {
			return usageError{"export: -scale must be 0.5..4, and -width times -scale at most 100000"}
		}
	}
	l, spec, err := src.view(fs.Args()...)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error { return output.Write(w, f, l, spec, opt) }
	if *out == "" {
		return write(stdout)
	}
	return writeFileAtomically(*out, write)
}

// exportFormats are the formats export writes, of the flame graph's view
// and of the call graph's.
var exportFormats = map[string][]string{
	"flame": {"folded", "png", "svg", "html", "proto"},
	"graph": {"dot", "svg", "png"},
}

// exportFormat is the format export's -format and -view ask for.
func exportFormat(format, view string) (*output.Format, error) {
	known, ok := exportFormats[view]
	if !ok {
		return nil, usageError{fmt.Sprintf("export: unknown -view %q (known: flame, graph)", view)}
	}
	if !slices.Contains(known, format) {
		switch {
		case view == "graph":
			return nil, usageError{fmt.Sprintf("export -view graph: unknown -format %q (known: dot, svg, png)", format)}
		case format == "dot":
			return nil, usageError{"export: -format dot is for -view graph"}
		default:
			return nil, usageError{fmt.Sprintf("export: unknown -format %q (known: folded, png, svg, html, proto)", format)}
		}
	}
	return output.Lookup(format)
}

func runFind(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens find", synopsis: "[-n N] [-sample_index X] [FILTERS] QUERY SOURCE...",
		about: "Ranks the profile's functions against a fuzzy QUERY, as the window's search jump list does,\n" +
			"and prints name, flat and cum, tab-separated, best match first.",
		examples: []string{
			"flamelens find unmarshal cpu.pprof",
			"flamelens find -n 5 'json dec' cpu.pprof",
		}}, stdout, stderr)
	n := fs.Int("n", 20, "number of functions to print; 0 prints all")
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 2, 1+maxSources); err != nil {
		return err
	}
	if *n < 0 {
		return usageError{"find: -n must be 0 (all) or more"}
	}
	_, s, err := src.table(fs.Args()[1:]...)
	if err != nil {
		return err
	}
	matches, _ := model.NewFuzzyIndex(s.Functions()).Find(fs.Arg(0), *n)
	bw := bufio.NewWriter(stdout)
	for _, m := range matches {
		fmt.Fprintf(bw, "%s\t%d\t%d\n", model.EscapeControl(m.Name), m.Flat, m.Cum)
	}
	return bw.Flush()
}

func runTraces(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens traces", synopsis: "[-sample_index X] [FILTERS] SOURCE...",
		about: "Prints every sample as go tool pprof -traces does: its labels, then its value beside its leaf frame\n" +
			"and the rest of its stack, one frame a line, after a header of # lines. -tagroot and -tagleaf add label\n" +
			"frames, -tagshow and -taghide choose the labels shown.",
		examples: []string{
			"flamelens traces -tagfocus=tenant=acme cpu.pprof",
			"flamelens traces -tagshow=tenant -focus=Unmarshal cpu.pprof",
		}}, stdout, stderr)
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 1, maxSources); err != nil {
		return err
	}
	l, spec, err := src.view(fs.Args()...)
	if err != nil {
		return err
	}
	for _, st := range spec.Steps {
		if st.Kind != session.StepFilter { // a saved session's
			fmt.Fprintf(stderr, "flamelens: warning: traces prints the samples as recorded: the session's step %q reshapes stacks and is left out\n", st.Label())
		}
	}
	traces, _ := output.Lookup("traces")
	return output.Write(stdout, traces, l, spec, output.Options{})
}

// writeFileAtomically writes path through a temporary file in the same
// folder, so a failed export never leaves half a file behind.
func writeFileAtomically(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
