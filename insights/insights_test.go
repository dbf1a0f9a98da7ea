package insights

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// insightsOf reads a profile written by testdata/patterns and returns its
// findings for the sample type named sample ("" for the default).
func insightsOf(t *testing.T, path, sample string) []Finding {
	t.Helper()
	p := readProfile(t, path)
	idx, err := p.SampleIndex(sample)
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.CollectStacks(p, idx, model.Functions)
	if err != nil {
		t.Fatal(err)
	}
	return Insights(s, model.FindOwner(s.Funcs, nil))
}

// readProfile parses the profile at path.
func readProfile(t *testing.T, path string) *model.Profile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := model.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func findingOf(fs []Finding, rule string) *Finding {
	for i := range fs {
		if fs[i].Rule == rule {
			return &fs[i]
		}
	}
	return nil
}

func rulesOf(fs []Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Rule)
	}
	return ids
}

// Every rule on a real profile of a small real program that shows its
// pattern: the finding is there, names the functions behind it and the
// program's function that leads there; and on profiles without the
// pattern, it is not.
func TestInsightRulesOnRealPrograms(t *testing.T) {
	prog := pproftest.BuildPatterns(t, t.TempDir())
	runs := map[string]string{}
	for _, p := range []string{"alloc", "json", "regexp", "fmt", "mutex", "syscall", "leak", "maps", "sched", "calm"} {
		runs[p] = prog.Run(t, p, "1s")
	}
	for _, tc := range []struct {
		pattern, file, sample string
		rule                  string
		frame                 string // the functions behind it start with
		caller                string // the program's function that leads there starts with
		not                   []string
	}{
		{"alloc", "cpu.pprof", "", "gc", "runtime.", "main.allocate", []string{"encoding", "regexp-compile", "syscalls"}},
		{"alloc", "heap.pprof", "alloc_space", "allocations", "main.allocate", "main.allocate", nil},
		{"json", "cpu.pprof", "", "encoding", "encoding/json.", "main.decodeOrders", []string{"regexp-compile", "syscalls"}},
		{"regexp", "cpu.pprof", "", "regexp-compile", "regexp.MustCompile", "main.validateEmails", []string{"encoding", "syscalls"}},
		{"fmt", "cpu.pprof", "", "fmt", "runtime.concatstring", "main.formatReport", []string{"encoding", "regexp-compile", "syscalls"}},
		{"mutex", "cpu.pprof", "", "locks", "internal/sync.(*Mutex).", "main.contend.func1", []string{"encoding", "regexp-compile", "syscalls"}},
		{"mutex", "mutex.pprof", "", "contention", "main.contend.func1", "main.contend.func1", nil},
		{"syscall", "cpu.pprof", "", "syscalls", "syscall.", "main.writeByteByByte", []string{"encoding", "regexp-compile", "fmt"}},
		{"leak", "goroutine.pprof", "", "goroutines", "main.awaitReply", "", nil},
		{"maps", "cpu.pprof", "", "maps", "runtime.mapassign", "main.countWords", []string{"encoding", "regexp-compile", "syscalls"}},
		{"sched", "cpu.pprof", "", "scheduler", "runtime.", "main.pingPong.func", []string{"encoding", "regexp-compile", "syscalls", "maps"}},
	} {
		t.Run(tc.pattern+"/"+tc.file, func(t *testing.T) {
			fs := insightsOf(t, filepath.Join(runs[tc.pattern], tc.file), tc.sample)
			f := findingOf(fs, tc.rule)
			if f == nil {
				t.Fatalf("no %q finding; found %v", tc.rule, rulesOf(fs))
			}
			if len(f.Frames) == 0 || !strings.HasPrefix(f.Frames[0].Name, tc.frame) {
				t.Errorf("the frames behind it are %v, want %s… first", f.Frames, tc.frame)
			}
			if tc.caller != "" && (len(f.Callers) == 0 || !strings.HasPrefix(f.Callers[0].Name, tc.caller)) {
				t.Errorf("the code leading there is %v, want %s", f.Callers, tc.caller)
			}
			if f.Value <= 0 || f.Share <= 0 || f.Share > 1 || f.Sentence == "" || f.Advice == "" || !strings.HasPrefix(f.Doc, "https://") {
				t.Errorf("incomplete finding: %+v", *f)
			}
			for _, rule := range tc.not {
				if findingOf(fs, rule) != nil {
					t.Errorf("a %q finding in a profile without the pattern: %+v", rule, *findingOf(fs, rule))
				}
			}
		})
	}
	// A program that only does arithmetic: no finding of any rule in its
	// CPU, goroutine and mutex profiles, and none of its heap's at its code.
	calm := runs["calm"]
	for _, tc := range []struct{ file, sample string }{{"cpu.pprof", ""}, {"goroutine.pprof", ""}, {"mutex.pprof", ""}, {"heap.pprof", "alloc_space"}} {
		fs := insightsOf(t, filepath.Join(calm, tc.file), tc.sample)
		for _, f := range fs {
			// Its heap has allocations, by runtime/pprof: none by the program's own code.
			if tc.file != "heap.pprof" || slices.ContainsFunc(f.Frames, func(c Cost) bool { return strings.HasPrefix(c.Name, "main.") }) {
				t.Errorf("calm %s: %s: %s", tc.file, f.Rule, f.Sentence)
			}
		}
	}
}

// The built-in sample (encoding/json's benchmarks) is about JSON: the
// encoding finding comes first, entered through the package's API, with
// the benchmarks (test files: the user's code) leading there.
func TestInsightsOfTheJSONBenchmarks(t *testing.T) {
	fs := insightsOf(t, "../testdata/json.cpu.pprof", "")
	if len(fs) == 0 || fs[0].Rule != "encoding" || fs[0].Share < 0.9 {
		t.Fatalf("findings %v, want encoding first with most of the profile", rulesOf(fs))
	}
	for _, f := range fs[0].Frames {
		if strings.Contains(f.Name, "Benchmark") {
			t.Errorf("a benchmark among the frames behind it: %v", fs[0].Frames)
		}
	}
	if len(fs[0].Callers) == 0 || !strings.Contains(fs[0].Callers[0].Name, "Benchmark") {
		t.Errorf("the code leading there is %v, want a benchmark", fs[0].Callers)
	}
}

// A comparison's findings are about the change: GOGC=10 against GOGC=off
// spends more in garbage collection, and says so with both values.
func TestInsightsOfAComparison(t *testing.T) {
	c, err := model.NewComparison(readProfile(t, "../testdata/json-gogcoff.cpu.pprof"), readProfile(t, "../testdata/json-gogc10.cpu.pprof"), model.DiffBase, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Stacks(1, model.Functions)
	if err != nil {
		t.Fatal(err)
	}
	fs := Insights(s, model.FindOwner(s.Funcs, nil))
	if len(fs) == 0 || fs[0].Rule != "gc" {
		t.Fatalf("findings %v, want gc first", rulesOf(fs))
	}
	f := fs[0]
	if f.Delta <= 0 || f.Value-f.Base != f.Delta || !strings.HasPrefix(f.Sentence, "NEW spends ") || !strings.Contains(f.Sentence, " more than BASE") {
		t.Errorf("gc change: value %d base %d delta %d: %s", f.Value, f.Base, f.Delta, f.Sentence)
	}
	if len(f.Frames) == 0 || f.Frames[0].Delta <= 0 {
		t.Errorf("the frames behind the change: %v", f.Frames)
	}
	// The largest growth, each function told by the rule that explains it.
	g := findingOf(fs, "growth")
	if g == nil || len(g.Frames) == 0 || g.Frames[0].Delta < g.Frames[len(g.Frames)-1].Delta || !strings.Contains(g.Sentence, "; garbage collection and allocation)") {
		t.Errorf("growth finding: %+v", g)
	}
}

// Whose code a function is.
func TestOwnerFromAProfile(t *testing.T) {
	funcs := []model.Func{
		{Function: "main.main", File: "/home/ann/shop/cmd/api/main.go"},
		{Function: "example.com/shop/internal/cart.(*Cart).Add", File: "/home/ann/shop/internal/cart/cart.go"},
		{Function: "github.com/lib/pq.(*conn).query", File: "/home/ann/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go"},
		{Function: "encoding/json.Unmarshal", File: "/usr/local/go/src/encoding/json/decode.go"},
		{Function: "runtime.mallocgc", File: "/usr/local/go/src/runtime/malloc.go"},
		{Function: "gcWriteBarrier", File: "/usr/local/go/src/runtime/asm_amd64.s"},
		{Function: "internal/runtime/maps.(*table).grow", File: "/usr/local/go/src/internal/runtime/maps/table.go"},
		{Name: "[libc.so.6]"},
	}
	want := []model.Origin{model.OriginMine, model.OriginMine, model.OriginDeps, model.OriginStd, model.OriginRuntime, model.OriginRuntime, model.OriginRuntime, model.OriginUnknown}
	o := model.FindOwner(funcs, nil)
	if !slices.Equal(o.Modules, []string{"example.com/shop"}) {
		t.Errorf("modules %v, want example.com/shop", o.Modules)
	}
	if got := o.Origins(funcs); !slices.Equal(got, want) {
		t.Errorf("origins %v, want %v", got, want)
	}
	// -module overrides: the cart package alone is the user's.
	o = model.FindOwner(funcs, []string{"example.com/shop/internal/cart"})
	if got := o.Origin(&funcs[1]); got != model.OriginMine {
		t.Errorf("-module: cart is %v", got)
	}
	if got := o.Origin(&funcs[2]); got != model.OriginDeps {
		t.Errorf("-module: pq is %v", got)
	}
}
