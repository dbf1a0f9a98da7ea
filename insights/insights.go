// Package insights says what a profile shows in plain words: rules that
// find known costs (garbage collection, reflection-based encoding, lock
// contention, …) in a view's stacks, with the functions behind them and
// the user's code that leads there. It reads model values only.
package insights

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/flamelens/flamelens/model"
)

// Finding is one insight into a profile: a kind of cost it shows, how
// much, the functions behind it and the user's code that leads there,
// and what usually helps. In a comparison, Value is NEW's and Base is
// BASE's.
type Finding struct {
	Rule     string  `json:"rule"`     // the rule's ID: "gc", "encoding", …
	Title    string  `json:"title"`    // "Garbage collection and allocation"
	Sentence string  `json:"sentence"` // what it is, in one sentence, with its numbers
	Value    int64   `json:"value"`    // in Unit
	Share    float64 `json:"share"`    // Value's share of the profile's total
	Unit     string  `json:"unit"`
	// Base is BASE's value and Delta NEW − BASE, in a comparison.
	Base  int64 `json:"base,omitempty"`
	Delta int64 `json:"delta,omitempty"`
	// Frames are the functions behind it (where the pattern is entered),
	// largest first; Callers the user's functions nearest above them.
	Frames  []Cost `json:"frames"`
	Callers []Cost `json:"callers,omitempty"`
	Advice  string `json:"advice"`
	Doc     string `json:"doc"` // Go documentation that explains it
}

// Cost is a function's part of a finding.
type Cost struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
	// Delta is NEW − BASE in a comparison.
	Delta int64 `json:"delta,omitempty"`
	fn    model.FuncID
}

// Kind is what a profile measures, as far as the rules care.
type Kind uint8

const (
	KindOther      Kind = iota
	KindCPU             // cpu/nanoseconds, samples/count
	KindAllocs          // alloc_space, alloc_objects, inuse_*
	KindContention      // a mutex or block profile: contentions, delay
	KindGoroutines      // a goroutine profile
)

// KindOf is what sample type st measures.
func KindOf(st model.SampleType) Kind {
	switch st.Name {
	case "cpu", "samples":
		return KindCPU
	case "alloc_space", "alloc_objects", "inuse_space", "inuse_objects", "space", "objects":
		return KindAllocs
	case "contentions", "delay":
		return KindContention
	case "goroutine", "goroutines", "goroutineleak":
		return KindGoroutines
	}
	return KindOther
}

// A costRule is a kind of CPU cost told by the functions it is spent in:
// a sample counts once however many of them are on its stack.
type costRule struct {
	id, title string
	// min is the smallest share of the total reported (and, in a
	// comparison, the smallest change, as a share of BASE's total).
	min float64
	// match reports whether a function (its name without the line) is
	// part of the pattern.
	match func(fn string) bool
	// what ends the sentence "X (Y%) of the CPU time is spent …".
	what        string
	advice, doc string
}

// nameIn matches names equal to one of exact or starting with one of prefixes.
func nameIn(exact []string, prefixes ...string) func(string) bool {
	set := map[string]bool{}
	for _, e := range exact {
		set[e] = true
	}
	return func(fn string) bool {
		if set[fn] {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(fn, p) {
				return true
			}
		}
		return false
	}
}

// inPackages matches the functions of packages pkgs.
func inPackages(pkgs ...string) func(string) bool {
	return func(fn string) bool { return slices.Contains(pkgs, model.PackageOf(fn)) }
}

// The CPU rules. Each names the runtime or library functions that are the
// pattern's cost, with the share below which it is not worth a word.
var costRules = []costRule{
	{
		id: "gc", title: "Garbage collection and allocation", min: 0.10,
		// The collector's own work (background marking, assists, sweeping,
		// write barriers) and the allocator's, whose rate drives it.
		match: nameIn([]string{"runtime.gcBgMarkWorker", "runtime.gcAssistAlloc", "runtime.gcAssistAlloc1", "runtime.bgsweep",
			"runtime.sweepone", "runtime.(*mspan).sweep", "runtime.(*sweepLocked).sweep", "runtime.gcStart", "runtime.gcMarkDone",
			"runtime.gcMarkTermination", "runtime.wbBufFlush", "runtime.wbBufFlush1", "runtime.bulkBarrierPreWrite",
			"runtime.newobject", "runtime.newarray", "runtime.growslice", "runtime.makeslice", "runtime.makeslicecopy",
			"runtime.makemap", "runtime.makemap_small", "runtime.mallocgc", "runtime.rawstring", "runtime.rawbyteslice"},
			"runtime.gcDrain", "runtime.markroot", "runtime.scanobject", "runtime.scanblock", "runtime.scanstack", "runtime.greyobject",
			"runtime.(*gcWork).", "runtime.mallocgc", "gcWriteBarrier", "internal/runtime/gc/"),
		what: "collecting garbage and allocating memory",
		advice: "Allocate less: reuse buffers and objects (sync.Pool), size slices and maps up front, keep values rather " +
			"than pointers in hot data. A heap profile (alloc_space) shows which code allocates most. GOGC or GOMEMLIMIT trade " +
			"memory for fewer collections.",
		doc: "https://go.dev/doc/gc-guide",
	},
	{
		id: "encoding", title: "Encoding and decoding by reflection", min: 0.10,
		match: inPackages("encoding/json", "encoding/xml", "encoding/gob", "encoding/asn1", "reflect", "encoding/json/v2",
			"encoding/json/jsontext", "encoding/json/internal/jsonwire"),
		what: "in reflection-based encoding and decoding (encoding/json, encoding/xml, encoding/gob, reflect)",
		advice: "Decode once into concrete struct types rather than map[string]any, stream with json.Decoder instead of " +
			"reading whole documents, skip fields you do not need; on the hottest paths, code-generated marshalers avoid " +
			"reflection altogether.",
		doc: "https://pkg.go.dev/encoding/json",
	},
	{
		id: "regexp-compile", title: "Regular expressions compiled on the hot path", min: 0.01,
		match: nameIn([]string{"regexp.Compile", "regexp.MustCompile", "regexp.compile", "regexp.CompilePOSIX", "regexp.MustCompilePOSIX"},
			"regexp/syntax.Parse", "regexp/syntax.Compile", "regexp/syntax.(*parser)."),
		what: "compiling regular expressions",
		advice: "Compile each expression once, at package level (var re = regexp.MustCompile(`…`)), and reuse it: " +
			"a *regexp.Regexp is safe for concurrent use.",
		doc: "https://pkg.go.dev/regexp#MustCompile",
	},
	{
		id: "fmt", title: "fmt formatting and string concatenation", min: 0.05,
		match: nameIn([]string{"runtime.concatstrings", "runtime.concatstring2", "runtime.concatstring3", "runtime.concatstring4",
			"runtime.concatstring5", "runtime.concatbytes", "runtime.concatbyte2", "runtime.concatbyte3"},
			"fmt.Sprint", "fmt.Fprint", "fmt.Errorf", "fmt.Append", "fmt.(*pp)."),
		what: "formatting with fmt and concatenating strings",
		advice: "Build strings with strings.Builder (or append to a []byte with strconv.AppendInt and friends) instead of " +
			"fmt.Sprintf and += in loops; fmt formats by reflection and += copies the string each time.",
		doc: "https://pkg.go.dev/strings#Builder",
	},
	{
		id: "locks", title: "Lock contention", min: 0.05,
		match: nameIn([]string{"sync.(*Mutex).lockSlow", "internal/sync.(*Mutex).lockSlow", "sync.(*Mutex).unlockSlow",
			"internal/sync.(*Mutex).unlockSlow", "sync.(*RWMutex).rUnlockSlow", "sync.runtime_SemacquireMutex",
			"internal/sync.runtime_SemacquireMutex", "sync.runtime_SemacquireRWMutex", "sync.runtime_SemacquireRWMutexR",
			"runtime.semacquire1", "runtime.lock2", "runtime.procyield", "runtime.osyield"}),
		what: "waiting for and handing over locks (sync.Mutex slow paths, the runtime's locks)",
		advice: "Hold locks for less time (no I/O or allocation under them), shard the state behind a lock, or use " +
			"sync.RWMutex, sync/atomic or per-goroutine data; a mutex profile (runtime.SetMutexProfileFraction) names the " +
			"contended locks.",
		doc: "https://pkg.go.dev/runtime#SetMutexProfileFraction",
	},
	{
		id: "syscalls", title: "System calls", min: 0.10,
		match: nameIn([]string{"syscall.Syscall", "syscall.Syscall6", "syscall.RawSyscall", "syscall.RawSyscall6",
			"syscall.rawSyscallNoError", "syscall.rawVforkSyscall", "internal/runtime/syscall/linux.Syscall6",
			"runtime/internal/syscall.Syscall6", "internal/runtime/syscall.Syscall6", "runtime.write1", "runtime.read"},
			"internal/syscall/unix."),
		what: "in system calls",
		advice: "Make fewer, larger calls: wrap files and connections in bufio.Writer and bufio.Reader, batch small " +
			"writes, and keep files open rather than reopening them.",
		doc: "https://pkg.go.dev/bufio",
	},
	{
		id: "scheduler", title: "Scheduler overhead", min: 0.15,
		match: nameIn([]string{"runtime.schedule", "runtime.findRunnable", "runtime.findrunnable", "runtime.park_m",
			"runtime.gopreempt_m", "runtime.goschedImpl", "runtime.stealWork", "runtime.runqgrab", "runtime.netpoll",
			"runtime.notesleep", "runtime.notewakeup", "runtime.wakep", "runtime.startm", "runtime.stopm",
			"runtime.resetspinning", "runtime.checkTimers", "runtime.ready", "runtime.goready", "runtime.newproc",
			"runtime.newproc1", "runtime.gfget", "runtime.casgstatus", "runtime.execute"}),
		what: "scheduling goroutines (parking, waking, stealing work, starting goroutines)",
		advice: "Do more work per goroutine and per channel operation: batch items, use a fixed pool of workers " +
			"instead of a goroutine per item, and avoid channels in the tightest loops.",
		doc: "https://go.dev/doc/diagnostics#execution-tracer",
	},
	{
		id: "maps", title: "Map access, hashing and growth", min: 0.10,
		match: nameIn(nil, "runtime.mapassign", "runtime.mapaccess", "runtime.mapdelete", "runtime.mapiter", "runtime.mapclear",
			"runtime.makemap", "runtime.hashGrow", "runtime.growWork", "runtime.evacuate", "internal/runtime/maps.",
			"runtime.memhash", "runtime.strhash", "runtime.nilinterhash", "runtime.interhash", "runtime.typehash", "aeshash"),
		what: "in map operations (hashing, lookups, inserts, growth)",
		advice: "Give maps a size hint (make(map[K]V, n)) so they do not grow step by step, use cheaper keys " +
			"(ints or small structs rather than long strings), and a slice where keys are small dense integers.",
		doc: "https://go.dev/blog/swisstable",
	},
}

// Insights are the findings in stacks s, largest first. In a comparison
// (stacks with BASE's values) they are about the change: what grew most.
func Insights(s *model.Stacks, owner model.Owner) []Finding {
	switch KindOf(s.SampleType) {
	case KindCPU:
		return costInsights(s, owner)
	case KindAllocs:
		return placeInsights(s, owner, allocRule)
	case KindContention:
		return placeInsights(s, owner, contentionRule)
	case KindGoroutines:
		return goroutineInsights(s, owner)
	}
	return nil
}

// tally is a rule's sums over the stacks.
type tally struct {
	value, base     int64
	frames, callers map[model.FuncID]*[2]int64 // NEW and BASE per function
}

func (t *tally) add(m map[model.FuncID]*[2]int64, f model.FuncID, v, b int64) {
	c := m[f]
	if c == nil {
		c = &[2]int64{}
		m[f] = c
	}
	c[0] += v
	c[1] += b
}

// costInsights applies the CPU rules in one pass over the stacks: each
// stack counts once for a rule, at its outermost frame in the pattern
// (where it is entered), and for the user's function nearest above that.
func costInsights(s *model.Stacks, owner model.Owner) []Finding {
	origins := owner.Origins(s.Funcs)
	masks := make([]uint32, len(s.Funcs))
	for f := range s.Funcs {
		name := s.Funcs[f].Function
		if name == "" {
			name = s.Funcs[f].Name
		}
		if strings.HasSuffix(s.Funcs[f].File, "_test.go") {
			continue // a test or benchmark is the harness around the pattern, not part of it
		}
		for r := range costRules {
			if costRules[r].match(name) {
				masks[f] |= 1 << r
			}
		}
	}
	tallies := make([]tally, len(costRules))
	for r := range tallies {
		tallies[r] = tally{frames: map[model.FuncID]*[2]int64{}, callers: map[model.FuncID]*[2]int64{}}
	}
	growth := map[model.FuncID]*leafGrowth{} // in a comparison: each leaf function's change, by rule
	for i := 0; i < s.Len(); i++ {
		v, b := s.Value(i), s.OtherValue(i)
		var seen uint32
		mine := model.NoFunc // the user's function nearest above the frame
		frames := s.Frames(i)
		for _, f := range frames {
			if m := masks[f] &^ seen; m != 0 {
				seen |= m
				for r := range costRules {
					if m&(1<<r) != 0 {
						t := &tallies[r]
						t.value += v
						t.base += b
						t.add(t.frames, f, v, b)
						if mine != model.NoFunc {
							t.add(t.callers, mine, v, b)
						}
					}
				}
			}
			if origins[f] == model.OriginMine {
				mine = f
			}
		}
		if s.Comparing() && len(frames) > 0 && v != b {
			leaf := frames[len(frames)-1]
			g := growth[leaf]
			if g == nil {
				g = &leafGrowth{}
				growth[leaf] = g
			}
			g.value, g.delta = g.value+v, g.delta+v-b
			for r := range costRules {
				if seen&(1<<r) != 0 {
					g.byRule[r] += v - b
				}
			}
		}
	}
	var out []Finding
	if s.Comparing() {
		if f, ok := growthFinding(s, growth); ok {
			out = append(out, f)
		}
	}
	for r, rule := range costRules {
		t := &tallies[r]
		f, ok := finding(s, t, rule.id, rule.title, rule.min)
		if !ok {
			continue
		}
		f.Advice, f.Doc = rule.advice, rule.doc
		f.Sentence = costSentence(s, &f, rule.what)
		out = append(out, f)
	}
	return sortFindings(out, s.Comparing())
}

// leafGrowth is a function's change as the leaf of stacks (its flat
// change), and how much of it was in stacks each rule matched.
type leafGrowth struct {
	value, delta int64 // NEW's flat, and NEW − BASE
	byRule       [32]int64
}

// Growth findings: the functions whose flat value grew most, at least this
// share of BASE's total each, told by the rule that explains them.
const (
	growthMin   = 0.02
	growthShown = 3
)

// growthFinding names, in a comparison, the functions that grew most and
// the rule that explains each (the one most of its growth is under).
func growthFinding(s *model.Stacks, growth map[model.FuncID]*leafGrowth) (Finding, bool) {
	type grown struct {
		f model.FuncID
		g *leafGrowth
	}
	var top []grown
	for f, g := range growth {
		if float64(g.delta) >= growthMin*float64(s.OtherAbsTotal) {
			top = append(top, grown{f, g})
		}
	}
	if len(top) == 0 {
		return Finding{}, false
	}
	slices.SortFunc(top, func(a, b grown) int {
		return cmp.Or(cmp.Compare(b.g.delta, a.g.delta), cmp.Compare(s.Funcs[a.f].Name, s.Funcs[b.f].Name))
	})
	top = top[:min(len(top), growthShown)]
	f := Finding{Rule: "growth", Title: "Largest growth", Unit: s.SampleType.Unit, Doc: "https://go.dev/doc/diagnostics#profiling",
		Advice: "Start with the first: its growth is the largest, and the pattern named beside it says what usually helps."}
	var parts []string
	for _, t := range top {
		f.Delta += t.g.delta
		f.Frames = append(f.Frames, Cost{Name: s.Funcs[t.f].Name, Value: t.g.value, Delta: t.g.delta, fn: t.f})
		why := "no known pattern"
		best := int64(0)
		for r := range costRules {
			if t.g.byRule[r] > best && 2*t.g.byRule[r] >= t.g.delta {
				best, why = t.g.byRule[r], strings.ToLower(costRules[r].title[:1])+costRules[r].title[1:]
			}
		}
		parts = append(parts, fmt.Sprintf("%s (%s; %s)", s.Funcs[t.f].Name, signed(t.g.delta, f.Unit), why))
	}
	f.Value = f.Delta
	if s.OtherAbsTotal > 0 {
		f.Share = float64(f.Delta) / float64(s.OtherAbsTotal)
	}
	f.Sentence = "NEW grew most in " + strings.Join(parts, ", ") + "."
	return f, true
}

// finding is the tally of a rule as a finding, if it is large enough:
// min of the total, or in a comparison a change of min of BASE's total.
func finding(s *model.Stacks, t *tally, id, title string, min float64) (Finding, bool) {
	f := Finding{Rule: id, Title: title, Value: t.value, Unit: s.SampleType.Unit}
	if s.AbsTotal > 0 {
		f.Share = float64(t.value) / float64(s.AbsTotal)
	}
	if s.Comparing() {
		f.Base, f.Delta = t.base, t.value-t.base
		if s.OtherAbsTotal == 0 || float64(abs(f.Delta)) < min*float64(s.OtherAbsTotal) {
			return f, false
		}
	} else if t.value <= 0 || f.Share < min {
		return f, false
	}
	f.Frames = costs(s, t.frames, s.Comparing())
	f.Callers = costs(s, t.callers, s.Comparing())
	return f, true
}

// costs are the functions of m, largest first (by change in a
// comparison), the first five.
func costs(s *model.Stacks, m map[model.FuncID]*[2]int64, comparing bool) []Cost {
	out := make([]Cost, 0, len(m))
	for f, c := range m {
		cost := Cost{Name: s.Funcs[f].Name, Value: c[0], fn: f}
		if comparing {
			cost.Delta = c[0] - c[1]
		}
		out = append(out, cost)
	}
	slices.SortFunc(out, func(a, b Cost) int {
		if comparing {
			if c := cmp.Compare(abs(b.Delta), abs(a.Delta)); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Name, b.Name))
	})
	return out[:min(len(out), 5)]
}

// sortFindings puts the largest first: by value, or by change.
func sortFindings(out []Finding, comparing bool) []Finding {
	slices.SortStableFunc(out, func(a, b Finding) int {
		if comparing {
			return cmp.Compare(abs(b.Delta), abs(a.Delta))
		}
		return cmp.Compare(b.Value, a.Value)
	})
	return out
}

// costSentence says a CPU finding in one sentence.
func costSentence(s *model.Stacks, f *Finding, what string) string {
	var b strings.Builder
	if s.Comparing() {
		more := "more"
		if f.Delta < 0 {
			more = "less"
		}
		fmt.Fprintf(&b, "NEW spends %s (%s) %s than BASE %s (%s against %s)", model.FormatValue(abs(f.Delta), f.Unit),
			SignedPercent(f.Delta, f.Base), more, what, model.FormatValue(f.Value, f.Unit), model.FormatValue(f.Base, f.Unit))
		if len(f.Frames) > 0 {
			fmt.Fprintf(&b, "; the change is largest in %s (%s)", f.Frames[0].Name, signed(f.Frames[0].Delta, f.Unit))
		}
	} else {
		fmt.Fprintf(&b, "%s (%s) of the profile is spent %s", model.FormatValue(f.Value, f.Unit), model.Percent(f.Value, s.AbsTotal), what)
		if len(f.Frames) > 0 {
			fmt.Fprintf(&b, ", most of it in %s (%s)", f.Frames[0].Name, model.Percent(f.Frames[0].Value, s.AbsTotal))
		}
	}
	if len(f.Callers) > 0 {
		fmt.Fprintf(&b, "; your code that leads there: %s", f.Callers[0].Name)
	}
	return b.String() + "."
}

// signed is v with its sign, in unit.
func signed(v int64, unit string) string {
	if v < 0 {
		return "-" + model.FormatValue(-v, unit)
	}
	return "+" + model.FormatValue(v, unit)
}

// SignedPercent is v as a signed share of base ("+12.34%"), "new" when
// base is 0.
func SignedPercent(v, base int64) string {
	if base == 0 {
		return "new"
	}
	p := model.Percent(v, base)
	if v >= 0 {
		p = "+" + p
	}
	return p
}

// A placeRule finds where in the code a profile's whole value arises —
// what allocates, where goroutines wait — by passing over the frames
// that are the mechanism (the allocator, the lock) from the leaf up.
type placeRule struct {
	id, title string
	min       float64 // the top place's smallest share reported
	skip      func(fn string) bool
	verb      func(st model.SampleType) string // "allocates", "holds", "made goroutines wait"
	advice    func(st model.SampleType) string
	doc       string
}

var allocRule = placeRule{
	id: "allocations", title: "Where memory is allocated", min: 0.20,
	skip: func(fn string) bool {
		pkg := model.PackageOf(fn)
		return pkg == "runtime" || strings.HasPrefix(pkg, "internal/runtime/")
	},
	verb: func(st model.SampleType) string {
		if strings.HasPrefix(st.Name, "inuse") {
			return "holds"
		}
		return "allocates"
	},
	advice: func(st model.SampleType) string {
		return "Allocate less there: reuse buffers and objects (sync.Pool), size slices and maps once, avoid " +
			"converting between string and []byte, keep values rather than pointers; every byte allocated is work for the " +
			"garbage collector (GOGC and GOMEMLIMIT set how often it runs)."
	},
	doc: "https://go.dev/doc/gc-guide#Optimization_guide",
}

var contentionRule = placeRule{
	id: "contention", title: "Lock contention and blocking", min: 0.20,
	skip: func(fn string) bool {
		pkg := model.PackageOf(fn)
		return pkg == "runtime" || pkg == "sync" || pkg == "internal/sync" || strings.HasPrefix(pkg, "internal/runtime/")
	},
	verb: func(model.SampleType) string { return "made goroutines wait" },
	advice: func(model.SampleType) string {
		return "Shorten the critical section there (no I/O, allocation or logging under the lock), shard the data " +
			"the lock guards, or replace the lock with sync/atomic or per-goroutine state; for channels, buffer them or " +
			"batch the items sent."
	},
	doc: "https://go.dev/doc/diagnostics#profiling",
}

// placeOf is the index in frames of the frame where the stack's value
// arises: the innermost that skip does not pass over (the leaf if it
// passes over all); -1 for an empty stack.
func placeOf(s *model.Stacks, frames []model.FuncID, skip func(string) bool) int {
	for i := len(frames) - 1; i >= 0; i-- {
		f := &s.Funcs[frames[i]]
		name := f.Function
		if name == "" {
			name = f.Name
		}
		if !skip(name) {
			return i
		}
	}
	return len(frames) - 1
}

// nearestMine is the user's function nearest above frames[at] (or at it).
func nearestMine(frames []model.FuncID, at int, origins []model.Origin) model.FuncID {
	for i := at; i >= 0; i-- {
		if origins[frames[i]] == model.OriginMine {
			return frames[i]
		}
	}
	return model.NoFunc
}

// placeInsights is rule's finding: the places with the most value.
func placeInsights(s *model.Stacks, owner model.Owner, rule placeRule) []Finding {
	origins := owner.Origins(s.Funcs)
	t := tally{frames: map[model.FuncID]*[2]int64{}, callers: map[model.FuncID]*[2]int64{}}
	places := make([]int, s.Len()) // each stack's place, by index
	for i := range places {
		frames := s.Frames(i)
		if places[i] = placeOf(s, frames, rule.skip); places[i] >= 0 {
			t.add(t.frames, frames[places[i]], s.Value(i), s.OtherValue(i))
		}
	}
	top := costs(s, t.frames, s.Comparing())
	if len(top) == 0 {
		return nil
	}
	// The user's code leading to the top place (not to the others).
	for i, at := range places {
		frames := s.Frames(i)
		if at < 0 || frames[at] != top[0].fn {
			continue
		}
		if mine := nearestMine(frames, at, origins); mine != model.NoFunc {
			t.add(t.callers, mine, s.Value(i), s.OtherValue(i))
		}
	}
	// The finding's value is the top place's: what one change could save.
	t.value, t.base = t.frames[top[0].fn][0], t.frames[top[0].fn][1]
	f, ok := finding(s, &t, rule.id, rule.title, rule.min)
	if !ok {
		return nil
	}
	f.Advice, f.Doc = rule.advice(s.SampleType), rule.doc
	verb := rule.verb(s.SampleType)
	if s.Comparing() {
		f.Sentence = fmt.Sprintf("%s %s %s (%s) than in BASE (%s against %s)", f.Frames[0].Name, verb,
			signed(f.Delta, f.Unit), SignedPercent(f.Delta, f.Base), model.FormatValue(f.Value, f.Unit), model.FormatValue(f.Base, f.Unit))
	} else {
		f.Sentence = fmt.Sprintf("%s %s %s, %s of the profile's %s", f.Frames[0].Name, verb, model.FormatValue(f.Value, f.Unit),
			model.Percent(f.Value, s.AbsTotal), s.SampleType.Name)
	}
	if len(f.Callers) > 0 && f.Callers[0].Name != f.Frames[0].Name {
		f.Sentence += "; your code that leads there: " + f.Callers[0].Name
	}
	f.Sentence += "."
	return []Finding{f}
}

// Goroutine leaks: many goroutines parked at the same place.
const (
	leakMin      = 100 // goroutines at one place that are always worth a word
	leakMinShare = 0.5 // or this share of them, if at least leakFloor
	leakFloor    = 10
)

// goroutineInsights finds places where many goroutines wait: the
// innermost frame outside the runtime, with the runtime call they wait in.
func goroutineInsights(s *model.Stacks, owner model.Owner) []Finding {
	origins := owner.Origins(s.Funcs)
	type group struct {
		count  int64
		waitIn model.FuncID
		mine   model.FuncID
	}
	groups := map[model.FuncID]*group{}
	for i := 0; i < s.Len(); i++ {
		frames := s.Frames(i)
		at := placeOf(s, frames, contentionRule.skip)
		if at < 0 {
			continue
		}
		place := frames[at]
		g := groups[place]
		if g == nil {
			g = &group{waitIn: model.NoFunc, mine: nearestMine(frames, at, origins)}
			if at+1 < len(frames) {
				g.waitIn = frames[at+1]
			}
			groups[place] = g
		}
		g.count += s.Value(i)
	}
	// The goroutineleak profile (Go 1.26's GOEXPERIMENT=goroutineleakprofile)
	// holds only goroutines the collector proved can never run again:
	// every one of them is a leak worth a word.
	leaked := s.SampleType.Name == "goroutineleak"
	var out []Finding
	for place, g := range groups {
		share := float64(g.count) / float64(max(s.AbsTotal, 1))
		if !leaked && g.count < leakMin && (g.count < leakFloor || share < leakMinShare) {
			continue
		}
		name := s.Funcs[place].Name
		f := Finding{Rule: "goroutines", Title: "Many goroutines parked at one place", Value: g.count, Share: share,
			Unit: s.SampleType.Unit, Frames: []Cost{{Name: name, Value: g.count}},
			Advice: "Goroutines piling up at one wait are how a leak shows: make sure every goroutine can finish — " +
				"a sender for every receive, a receiver for every send, a context that cancels the wait, a closed channel.",
			Doc: "https://go.dev/doc/effective_go#goroutines"}
		f.Sentence = fmt.Sprintf("%d goroutines (%s) wait at %s", g.count, model.Percent(g.count, s.AbsTotal), name)
		if leaked {
			f.Rule, f.Title = "goroutineleak", "Leaked goroutines"
			f.Advice = "These goroutines are blocked on something no running goroutine can reach, so they will never finish: " +
				"give the wait a way out (a sender, a closed channel, a cancelled context) where your code starts them."
			f.Doc = "https://pkg.go.dev/runtime/pprof#Profile"
			f.Sentence = fmt.Sprintf("%d leaked goroutines (%s) wait forever at %s", g.count, model.Percent(g.count, s.AbsTotal), name)
		}
		if g.waitIn != model.NoFunc {
			f.Sentence += " in " + s.Funcs[g.waitIn].Name
		}
		if g.mine != model.NoFunc && g.mine != place {
			f.Callers = []Cost{{Name: s.Funcs[g.mine].Name, Value: g.count}}
			f.Sentence += "; your code that leads there: " + s.Funcs[g.mine].Name
		}
		f.Sentence += "."
		out = append(out, f)
	}
	return sortFindings(out, false)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
