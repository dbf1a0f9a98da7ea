package session

import (
	"debug/buildinfo"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/listing"
	"github.com/flamelens/flamelens/model"
	"github.com/google/pprof/profile"
)

// StepKind is a way of deriving a view from a profile.
type StepKind int

const (
	StepFilter   StepKind = iota // one of pprof's filters (-focus, -hide, …)
	StepFocus                    // only stacks through a function, from it on, call sites merged
	StepSandwich                 // a function's callers above, callees below
	StepMerge                    // a function's frames removed, its time given to its callers
	StepCollapse                 // a function's recursive calls merged into the outermost
)

// Step is one step of a view: pprof's filters, or a reshaping around a
// function. Function steps name their function, so they still apply when
// a filter or a sample type renumbers functions.
type Step struct {
	Kind   StepKind
	Filter model.Filters // StepFilter
	Func   string        // the frame's name, for the other kinds
	// Function is the frame's function when Func names a finer frame (a
	// line), so that the step still applies at another granularity.
	Function string
}

// FuncStep is a function step of kind on frame f.
func FuncStep(kind StepKind, f model.Func) Step {
	st := Step{Kind: kind, Func: f.Name}
	if f.Function != f.Name {
		st.Function = f.Function
	}
	return st
}

// frames are the frames the function step means in s (see model.Stacks.FramesOf).
func (st Step) frames(s *model.Stacks) []model.FuncID {
	function := st.Function
	if function == "" {
		function = st.Func
	}
	return s.FramesOf(st.Func, function)
}

// FilterStep is a pprof filter step: kind is a filter flag's name
// (focus, hide, …), value its regexp.
func FilterStep(kind, value string) Step {
	var f model.Filters
	*f.Field(kind) = value
	return Step{Kind: StepFilter, Filter: f}
}

// ExactName is a regexp matching exactly this function name.
func ExactName(name string) string { return "^" + regexp.QuoteMeta(name) + "$" }

// Label says what the step does, in a few words.
func (s Step) Label() string {
	switch s.Kind {
	case StepFilter:
		return s.Filter.String()
	case StepFocus:
		return "Focus: " + s.Func
	case StepSandwich:
		return "Callers & callees: " + s.Func
	case StepMerge:
		return "Merged into caller: " + s.Func
	case StepCollapse:
		return "Recursion collapsed: " + s.Func
	}
	return s.Func
}

// Spec says which view of a loaded profile to derive: the sample type,
// the granularity of its frames, the steps in order (pprof's filters
// apply first, in their order, then the function steps), and whether the
// stacks are inverted.
type Spec struct {
	SampleIndex int
	Granularity model.Granularity
	Steps       []Step
	Inverted    bool
}

// Request is a view asked for before the profile is read: the sample type
// by its -sample_index value, the granularity and the steps.
type Request struct {
	SampleSpec  string
	Granularity model.Granularity
	Steps       []Step
}

// spec is the request's Spec for a profile whose sample type it resolved.
func (r Request) spec(sampleIndex int) Spec {
	return Spec{SampleIndex: sampleIndex, Granularity: r.Granularity, Steps: r.Steps}
}

// Filters are the spec's pprof filter steps, in order.
func (s Spec) Filters() []model.Filters {
	var out []model.Filters
	for _, st := range s.Steps {
		if st.Kind == StepFilter {
			out = append(out, st.Filter)
		}
	}
	return out
}

// View is what a view of a profile shows: its trees and tables.
type View struct {
	Main    *model.Tree // the graph's tree (for a sandwich: the callees)
	Callers *model.Tree // the sandwich's callers tree, else nil
	// Detail is the tree whose callers and callees a details pane lists:
	// Main, except in a sandwich, where it is the whole (unfocused) view.
	Detail *model.Tree
	Stats  []model.FuncStat  // Detail's function table, in FuncID order
	Table  []model.FuncStat  // Main's function table; an inverted view's root-first, as pprof's
	Fuzzy  *model.FuzzyIndex // Main's functions, for a fuzzy search

	// In a comparison: both sides' values in trees shaped by NEW and by
	// BASE (same node ids), and per-function changes; nil otherwise.
	CmpNew, CmpBase *model.Tree
	Deltas          []model.FuncDelta

	byFunc map[model.FuncID]int // index into Stats
}

// Stat is function f's row of Detail's table.
func (v *View) Stat(f model.FuncID) (model.FuncStat, bool) {
	if i, ok := v.byFunc[f]; ok {
		return v.Stats[i], true
	}
	return model.FuncStat{}, false
}

// Comparing reports whether the view is of a comparison.
func (v *View) Comparing() bool { return v.CmpNew != nil }

// TreeView is the view of one tree, as it stands.
func TreeView(t *model.Tree) View {
	v := View{Main: t, Detail: t}
	v.finish(t)
	return v
}

// FirstView is the quick view of streamed stacks: the tree's outline (what
// the first frame needs) and the whole function table; the whole tree
// replaces the outline once it is built.
func FirstView(s *model.Stacks) View {
	fv := model.NewFirstView(s)
	v := View{Main: fv.Outline, Detail: fv.Outline, Stats: fv.Table, Table: fv.Table, Fuzzy: fv.Index}
	v.index()
	return v
}

// finish computes the tables of a view whose trees are set.
func (v *View) finish(table *model.Tree) {
	v.Stats = v.Detail.Functions()
	v.index()
	v.Table = v.Stats
	if table != v.Detail {
		v.Table = table.Functions()
	}
	v.Fuzzy = model.NewFuzzyIndex(v.Table)
	if v.CmpNew != nil {
		v.Deltas = v.CmpNew.FunctionDeltas()
	}
}

func (v *View) index() {
	v.byFunc = make(map[model.FuncID]int, len(v.Stats))
	for i, r := range v.Stats {
		v.byFunc[r.Func] = i
	}
}

// Views derives views of profiles, keeping the last filtered tree, so
// that steps which do not filter the profile (a focus on a function, an
// inversion, …) skip the copy and the filtering, and the last view's
// stacks at line granularity, for source listings. It is safe for use
// from several goroutines.
type Views struct {
	tree  kept[*model.Tree]
	lines kept[*model.Stacks]
	costs kept[*addressView]
}

// kept is the last value made for a profile and a key.
type kept[T any] struct {
	mu    sync.Mutex
	src   *model.Profile
	key   string
	value T
}

// get is the value kept for src and key, if it is the one kept.
func (k *kept[T]) get(src *model.Profile, key string) (T, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.src == src && k.key == key {
		return k.value, true
	}
	var none T
	return none, false
}

// set keeps v as the value for src and key.
func (k *kept[T]) set(src *model.Profile, key string, v T) {
	k.mu.Lock()
	k.src, k.key, k.value = src, key, v
	k.mu.Unlock()
}

// View derives spec's view of l: pprof's filters, then the function steps,
// then the inversion; a comparison's view has both sides' trees too.
func (vs *Views) View(l Loaded, spec Spec) (View, error) {
	c := l.comparison
	if c != nil && c.Mode == model.DiffBase {
		return diffView(c, spec)
	}
	base, err := vs.filtered(l.profile, spec)
	if err != nil {
		return View{}, err
	}
	var v View
	s, sandwich, transformed := applyFunctionSteps(base.Stacks(), spec.Steps)
	switch {
	case sandwich != nil:
		v.Callers = s.CallersOf(sandwich...).Tree()
		v.Main = s.FocusOn(sandwich...).Tree()
		v.Detail = s.Tree()
	case spec.Inverted:
		// The graph turned over; the details and the table root-first, as
		// pprof's: a function's flat and callers do not turn with it.
		v.Main = s.Inverted().Tree()
		v.Detail = s.Tree()
	case !transformed:
		v.Main = base
	default:
		v.Main = s.Tree()
	}
	if v.Detail == nil {
		v.Detail = v.Main
	}
	if c != nil {
		s, err := comparisonStacks(c, spec)
		if err != nil {
			return View{}, err
		}
		v.CmpNew, v.CmpBase, _ = s.CompareTrees(c.Mode)
	}
	table := v.Main
	if spec.Inverted && sandwich == nil {
		table = v.Detail
	}
	v.finish(table)
	return v, nil
}

// Keep records t as l's tree of its sample type and granularity with no
// filter, so that a view of it need not build it again.
func (vs *Views) Keep(l Loaded, t *model.Tree) {
	if l.profile != nil {
		vs.tree.set(l.profile, cacheKey(Spec{SampleIndex: t.SampleIndex, Granularity: t.Stacks().Granularity}), t)
	}
}

// Forget lets go of the trees, stacks and costs kept.
func (vs *Views) Forget() {
	vs.tree.set(nil, "", nil)
	vs.lines.set(nil, "", nil)
	vs.costs.set(nil, "", nil)
}

func (vs *Views) filtered(p *model.Profile, spec Spec) (*model.Tree, error) {
	key := cacheKey(spec)
	if t, ok := vs.tree.get(p, key); ok {
		return t, nil
	}
	s, err := filteredStacks(p, spec)
	if err != nil {
		return nil, err
	}
	t := s.Tree()
	vs.tree.set(p, key, t)
	return t, nil
}

// cacheKey says which filtered tree a spec needs: its sample type,
// granularity and filters.
func cacheKey(spec Spec) string {
	var key strings.Builder
	key.WriteString(strconv.Itoa(spec.SampleIndex) + "/" + spec.Granularity.String())
	for _, f := range spec.Filters() {
		key.WriteString("\x00" + f.String())
	}
	return key.String()
}

// diffView is a -diff_base comparison's view, from its two-sided stacks
// alone: NEW minus BASE from them has pprof's numbers exactly, so pprof's
// merge is not needed.
func diffView(c *model.Comparison, spec Spec) (View, error) {
	s, err := comparisonStacks(c, spec)
	if err != nil {
		return View{}, err
	}
	var v View
	v.CmpNew, v.CmpBase, v.Main = s.CompareTrees(c.Mode)
	v.Detail = v.Main
	if spec.Inverted {
		// The table and details root-first, as in View.
		spec.Inverted = false
		rs, err := comparisonStacks(c, spec)
		if err != nil {
			return View{}, err
		}
		_, _, v.Detail = rs.CompareTrees(c.Mode)
	}
	v.finish(v.Detail)
	return v, nil
}

// comparisonStacks are a comparison's two-sided stacks with the spec's
// filters and function steps applied (a sandwich shows its callees side).
func comparisonStacks(c *model.Comparison, spec Spec) (*model.Stacks, error) {
	fc, err := c.Filter(spec.Filters()...)
	if err != nil {
		return nil, err
	}
	s, err := fc.Stacks(spec.SampleIndex, spec.Granularity)
	if err != nil {
		return nil, err
	}
	return reshaped(s, spec), nil
}

// Stacks are the stacks spec's view of l shows, without building its
// trees: what a table of functions or folded stacks need. A comparison's
// are NEW minus BASE; in a sandwich, the callees side.
func Stacks(l Loaded, spec Spec) (*model.Stacks, error) {
	p := l.profile
	if c := l.comparison; c != nil && c.Mode == model.DiffBase {
		s, err := comparisonStacks(c, spec)
		if err != nil {
			return nil, err
		}
		return s.NewMinusBase(c.Mode), nil
	}
	s, err := filteredStacks(p, spec)
	if err != nil {
		return nil, err
	}
	return reshaped(s, spec), nil
}

// filteredStacks are p's stacks of spec's sample type and granularity
// with its pprof filters applied.
func filteredStacks(p *model.Profile, spec Spec) (*model.Stacks, error) {
	fp, err := p.Filter(spec.Filters()...)
	if err != nil {
		return nil, err
	}
	return model.CollectStacks(fp, spec.SampleIndex, spec.Granularity)
}

// reshaped is s with spec's function steps and inversion applied; a
// sandwich gives its callees side.
func reshaped(s *model.Stacks, spec Spec) *model.Stacks {
	s, sandwich, _ := applyFunctionSteps(s, spec.Steps)
	if sandwich != nil {
		s = s.FocusOn(sandwich...)
	}
	if spec.Inverted {
		s = s.Inverted()
	}
	return s
}

// applyFunctionSteps applies the steps that reshape stacks (focus, merge,
// collapse) in order, by frame name (see Step.frames); a sandwich step's
// frames are returned, not applied, as it makes two trees. transformed
// says whether any applied.
func applyFunctionSteps(s *model.Stacks, steps []Step) (out *model.Stacks, sandwich []model.FuncID, transformed bool) {
	for _, st := range steps {
		if st.Kind == StepFilter {
			continue
		}
		f := st.frames(s)
		if len(f) == 0 {
			continue // filtered away: nothing to do
		}
		transformed = true
		switch st.Kind {
		case StepFocus:
			s = s.FocusOn(f...)
		case StepMerge:
			s = s.MergeIntoCaller(f...)
		case StepCollapse:
			s = s.CollapseRecursion(f...)
		case StepSandwich:
			sandwich = f
		}
	}
	return s, sandwich, transformed
}

// CallGraph builds the call graph of spec's view of l (pprof's filters
// apply; the function steps do not, as in pprof's graph). A comparison's
// graph is of NEW minus BASE, as pprof's; diff says so.
func CallGraph(l Loaded, spec Spec, opt model.GraphOptions) (g *model.CallGraph, diff bool, err error) {
	fp, err := Samples(l, spec)
	if err != nil {
		return nil, false, err
	}
	diff = l.comparison != nil
	opt.Granularity = spec.Granularity
	g, err = model.BuildCallGraph(fp, spec.SampleIndex, opt)
	return g, diff, err
}

// Samples is the profile whose samples spec's view of l shows, pprof's
// filters applied (the function steps are of stacks, not of samples): a
// comparison's is pprof's merge of its two sides, as pprof's -traces and
// call graph read it.
func Samples(l Loaded, spec Spec) (*model.Profile, error) {
	p, err := l.merged()
	if err != nil {
		return nil, err
	}
	return p.Filter(spec.Filters()...)
}

// Listing is a function's source listing in a view: a routine per file
// it has lines in, with the denominators of their shares.
type Listing struct {
	Function string
	Routines []listing.Routine
	// Total is the view's total (NEW's, in a comparison), Other BASE's.
	Total, Other int64
	Unit         string
	// Comparing says the routines have BASE's values too.
	Comparing bool
}

// SourceListing lists function in spec's view of l (its filters and
// function steps, at line granularity, as pprof's list reads a profile):
// for one profile each line's flat and cum, for a comparison each line's
// NEW and BASE. The view's stacks at line granularity are kept, so the
// next function's listing in the same view is quick.
func (vs *Views) SourceListing(l Loaded, spec Spec, function string) (*Listing, error) {
	spec.Granularity, spec.Inverted = model.Lines, false
	s, err := vs.lineStacks(l, spec)
	if err != nil {
		return nil, err
	}
	routines, err := listing.Routines(s, regexp.MustCompile(ExactName(function)))
	if err != nil {
		return nil, fmt.Errorf("no source lines for %s in this view", function)
	}
	return &Listing{Function: function, Routines: routines, Total: s.AbsTotal, Other: s.OtherAbsTotal,
		Unit: s.SampleType.Unit, Comparing: l.comparison != nil}, nil
}

// PrepareListing derives what SourceListing needs of spec's view of l, so
// that the next listing in that view is quick.
func (vs *Views) PrepareListing(l Loaded, spec Spec) error {
	spec.Granularity, spec.Inverted = model.Lines, false
	_, err := vs.lineStacks(l, spec)
	return err
}

// lineStacks are spec's view of l at line granularity: for a comparison
// both sides' values, else the profile's; kept for the next listing.
func (vs *Views) lineStacks(l Loaded, spec Spec) (*model.Stacks, error) {
	if c := l.comparison; c != nil {
		return comparisonStacks(c, spec)
	}
	key := cacheKey(spec) + "\x00" + stepsKey(spec.Steps)
	if s, ok := vs.lines.get(l.profile, key); ok {
		return s, nil
	}
	s, err := Stacks(l, spec)
	if err != nil {
		return nil, err
	}
	vs.lines.set(l.profile, key, s)
	return s, nil
}

// stepsKey tells the function steps apart, for lineStacks' cache.
func stepsKey(steps []Step) string {
	var b strings.Builder
	for _, st := range steps {
		if st.Kind != StepFilter {
			fmt.Fprintf(&b, "%d %s %s\x00", st.Kind, st.Func, st.Function)
		}
	}
	return b.String()
}

// bothSides are the stacks of spec's view of l; a comparison's with NEW's
// values and BASE's beside them (not NEW minus BASE, as Stacks gives).
func bothSides(l Loaded, spec Spec) (*model.Stacks, error) {
	if c := l.comparison; c != nil {
		return comparisonStacks(c, spec)
	}
	return Stacks(l, spec)
}

// Insights are the findings of insights.Insights in spec's view of l: of the
// profile, or in a comparison of the change from BASE to NEW. modules
// name the user's code (-module); else it is worked out from the profile.
func Insights(l Loaded, spec Spec, modules []string) ([]insights.Finding, model.Owner, error) {
	s, err := bothSides(l, spec)
	if err != nil {
		return nil, model.Owner{}, err
	}
	owner := ownerOf(l, s, modules)
	return insights.Insights(s, owner), owner, nil
}

// ownerOf is whose code the functions of s are: modules (-module) if
// given, else worked out from the functions and the program's build info.
func ownerOf(l Loaded, s *model.Stacks, modules []string) model.Owner {
	owner := model.FindOwner(s.Funcs, modules)
	if len(modules) == 0 {
		if m := mainModule(l.Info()); m != "" && !slices.Contains(owner.Modules, m) {
			owner.Modules = append(owner.Modules, m) // the program's build info says so
		}
	}
	return owner
}

// mainModule is the main module's path from the build info of the program
// info sampled, when it is at hand where machine code looks for it; ""
// when not. Only the build info is read, not the program's code.
func mainModule(info *model.Info) string {
	prog, ok := info.Program()
	if !ok {
		return ""
	}
	for _, path := range programCandidates(info.Source, prog) {
		bi, err := buildinfo.ReadFile(path)
		if err == nil && bi.Main.Path != "" && bi.Main.Path != "command-line-arguments" {
			return bi.Main.Path
		}
	}
	return ""
}

// Proto is spec's view of l as a pprof profile, what go tool pprof -proto
// writes for the same flags: the profile with pprof's filters applied (a
// comparison: NEW and BASE merged, BASE negated and labelled pprof::base).
// A view reshaped by the window's function steps or inverted is written
// from its stacks (model.ProfileOfStacks), one sample type.
func Proto(l Loaded, spec Spec) (*profile.Profile, error) {
	if spec.Inverted || len(spec.Filters()) != len(spec.Steps) {
		s, err := bothSides(l, spec)
		if err != nil {
			return nil, err
		}
		return model.ProfileOfStacks(s, l.Info()), nil
	}
	if c := l.comparison; c != nil {
		fc, err := c.Filter(spec.Filters()...)
		if err != nil {
			return nil, err
		}
		merged, err := fc.PprofMerge()
		if err != nil {
			return nil, err
		}
		return merged.Raw, nil
	}
	fp, err := l.profile.Filter(spec.Filters()...)
	if err != nil {
		return nil, err
	}
	return fp.Raw, nil
}
