package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

func search(t *testing.T, tree *Tree, text string, regex bool) Matches {
	t.Helper()
	q, err := NewQuery(text, regex)
	if err != nil {
		t.Fatal(err)
	}
	return tree.Search(tree.MatchFuncs(q))
}

func TestSearchHighlightAndShare(t *testing.T) {
	// 100 samples; json frames nest in the first stack and recur in the third.
	tree := mustTree(t, folded(t,
		"main;encoding/json.Unmarshal;encoding/json.(*decodeState).object 40",
		"main;net/http.serve;runtime.mallocgc 25",
		"main;encoding/json.Marshal;encoding/json.Marshal 10",
		"main;runtime.gcBgMarkWorker 25",
	))
	tests := []struct {
		query      string
		regex      bool
		wantFrames int
		wantValue  int64
	}{
		{"json", false, 4, 50},     // nested matches counted once per sample
		{"JSON", false, 4, 50},     // any case
		{"runtime.", false, 2, 50}, // a literal dot
		{"^runtime\\.", true, 2, 50},
		{"decodeState|serve", true, 2, 65},
		{"mallocgc", false, 1, 25},
		{"nothing", false, 0, 0},
		{"main", false, 1, 100},
	}
	for _, tc := range tests {
		m := search(t, tree, tc.query, tc.regex)
		if len(m.Nodes) != tc.wantFrames || m.Value != tc.wantValue {
			t.Errorf("%q (regex %v): %d frames, value %d; want %d, %d", tc.query, tc.regex, len(m.Nodes), m.Value, tc.wantFrames, tc.wantValue)
		}
	}
	// Frames come depth-first in child order: the largest subtree first.
	m := search(t, tree, "json", false)
	var names []string
	for _, n := range m.Nodes {
		names = append(names, tree.Name(n))
	}
	want := "encoding/json.Unmarshal encoding/json.(*decodeState).object encoding/json.Marshal encoding/json.Marshal"
	if !strings.HasPrefix(strings.Join(names, " "), want) {
		t.Errorf("order %v", names)
	}
}

func TestBadSearchRegex(t *testing.T) {
	_, err := NewQuery("json(", true)
	if err == nil || !strings.Contains(err.Error(), `bad regular expression "json(": missing closing )`) {
		t.Errorf("error %v", err)
	}
	if _, err := NewQuery("json(", false); err != nil {
		t.Errorf("a substring cannot be bad: %v", err)
	}
}

func TestFuzzyRanking(t *testing.T) {
	p, err := Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	tree := mustTree(t, p)
	x := NewFuzzyIndex(tree.Functions())
	top, total := x.Find("decstateobj", 5)
	if total == 0 || top[0].Name != "encoding/json.(*decodeState).object" {
		t.Fatalf("decstateobj ranked %v first of %d", top, total)
	}
	// The matched letters are the query's, in order.
	var got strings.Builder
	for _, i := range top[0].Matched {
		got.WriteByte(top[0].Name[i])
	}
	if strings.ToLower(got.String()) != "decstateobj" {
		t.Errorf("matched letters %q", got.String())
	}
	// Short names are matched: "json" starts the name; a '/' matches the
	// package path too.
	for _, q := range []string{"json.unmarsh", "encoding/json.unmarshal"} {
		top, _ = x.Find(q, 1)
		if len(top) == 0 || top[0].Name != "encoding/json.Unmarshal" {
			t.Fatalf("%q found %v", q, top)
		}
		var letters strings.Builder
		for _, i := range top[0].Matched {
			letters.WriteByte(top[0].Name[i])
		}
		if strings.ToLower(letters.String()) != q {
			t.Errorf("%q: matched letters %q in %s", q, letters.String(), top[0].Name)
		}
	}
	// Ties in score are broken by cum, largest first.
	all, _ := x.Find("encode", 0)
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Score < b.Score || (a.Score == b.Score && abs(a.Cum) < abs(b.Cum)) {
			t.Fatalf("rows %d and %d out of order: %+v then %+v", i-1, i, a, b)
		}
	}
}

func TestFuzzyMultiWordQueries(t *testing.T) {
	// As in fzf and editors' file finders, each word has to match, in
	// any order.
	p, err := Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	tree := mustTree(t, p)
	x := NewFuzzyIndex(tree.Functions())
	for _, q := range []string{"json literalstore", "literalstore json", "  json   literalStore ", "decode literal"} {
		top, total := x.Find(q, 5)
		if total == 0 || top[0].Name != "encoding/json.(*decodeState).literalStore" {
			t.Errorf("%q ranked %v first of %d", q, names(top), total)
			continue
		}
		for _, i := range top[0].Matched {
			if top[0].Name[i] == ' ' || i < 0 || i >= len(top[0].Name) {
				t.Errorf("%q: matched offset %d", q, i)
			}
		}
		if !slices.IsSorted(top[0].Matched) {
			t.Errorf("%q: matched offsets %v not in order", q, top[0].Matched)
		}
	}
	if top, total := x.Find("json zzzqqq", 5); total != 0 {
		t.Errorf("a word that matches nothing still found %v", names(top))
	}
	// The highlight takes the words the same way.
	q, _ := NewQuery("JSON literalstore", false)
	marks := tree.MatchFuncs(q)
	var lit []string
	for f, ok := range marks {
		if ok {
			lit = append(lit, tree.Funcs[f].Name)
		}
	}
	if len(lit) != 1 || lit[0] != "encoding/json.(*decodeState).literalStore" {
		t.Errorf("highlighted %v", lit)
	}
	// Typing the words one keystroke at a time narrows to the same answer.
	typed := NewFuzzyIndex(tree.Functions())
	query := "json literalstore"
	for i := 1; i <= len(query); i++ {
		a, n1 := typed.Find(query[:i], 10)
		b, n2 := NewFuzzyIndex(tree.Functions()).Find(query[:i], 10)
		if n1 != n2 || fmt.Sprint(names(a)) != fmt.Sprint(names(b)) {
			t.Fatalf("%q: narrowing %d %v, fresh %d %v", query[:i], n1, names(a), n2, names(b))
		}
	}
}

func TestFuzzyNarrowingGivesTheSameAnswer(t *testing.T) {
	raw := pproftest.Generate(pproftest.Spec{Samples: 20_000, Stacks: 8_000, Funcs: 5_000, MaxDepth: 30, Seed: 4})
	tree, err := BuildTree(NewProfile("gen", "", raw), 1)
	if err != nil {
		t.Fatal(err)
	}
	stats := tree.Functions()
	typed := NewFuzzyIndex(stats)
	// The second query switches from short to full names at its '/'.
	for _, query := range []string{"pkg12type3meth", "svc/pkg12type3meth"} {
		for i := 1; i <= len(query); i++ {
			q := query[:i]
			narrowed, n1 := typed.Find(q, 20)
			fresh, n2 := NewFuzzyIndex(stats).Find(q, 20)
			if n1 != n2 || fmt.Sprint(names(narrowed)) != fmt.Sprint(names(fresh)) {
				t.Fatalf("%q: narrowing found %d %v, a fresh search %d %v", q, n1, names(narrowed), n2, names(fresh))
			}
		}
	}
	// Backspace: a shorter query is searched afresh.
	back, n := typed.Find("pkg1", 0)
	fresh, m := NewFuzzyIndex(stats).Find("pkg1", 0)
	if n != m || len(back) != len(fresh) {
		t.Errorf("after backspace %d matches, fresh %d", n, m)
	}
}

func names(ms []FuzzyMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

// BenchmarkSearchKeystroke is the search target: each keystroke of a
// query typed over a 40k-function profile, with the jump list's fuzzy
// ranking and the highlight's function matching, under 10 ms.
func BenchmarkSearchKeystroke(b *testing.B) {
	raw := pproftest.Generate(pproftest.Spec{Samples: 100_000, Stacks: 100_000, Funcs: 40_000, MaxDepth: 32, Seed: 5})
	tree, err := BuildTree(NewProfile("gen", "", raw), 1)
	if err != nil {
		b.Fatal(err)
	}
	stats := tree.Functions()
	b.Logf("%d functions", len(stats))
	query := "pkg123type4method5"
	for _, n := range []int{1, 2, 3, 6, len(query)} {
		benchKeystroke(b, tree, stats, query, n)
	}
	// Two words: the keystrokes that start the second word.
	query = "pkg12 method5"
	for _, n := range []int{6, 7, 8, len(query)} {
		benchKeystroke(b, tree, stats, query, n)
	}
}

// benchKeystroke times typing the n-th letter of query.
func benchKeystroke(b *testing.B, tree *Tree, stats []FuncStat, query string, n int) {
	{
		b.Run(fmt.Sprintf("%q", query[:n]), func(b *testing.B) {
			x := NewFuzzyIndex(stats)
			if n > 1 {
				x.Find(query[:n-1], 50) // the keystroke before
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				x.Find(query[:n], 50)
				b.StopTimer()
				if n > 1 {
					x.Find(query[:n-1], 50) // restore the previous keystroke's state
				} else {
					x.lastQuery, x.lastRows = "", nil
				}
				b.StartTimer()
				q, _ := NewQuery(query[:n], false)
				tree.MatchFuncs(q)
			}
		})
	}
}

func TestPackageOf(t *testing.T) {
	tests := map[string]string{
		"encoding/json.(*decodeState).object":         "encoding/json",
		"runtime.mallocgc":                            "runtime",
		"github.com/a/b.(*T).M":                       "github.com/a/b",
		"github.com/a/b.F[go.shape.*example.com/x.T]": "github.com/a/b",
		"gopkg.in/yaml%2ev3.(*parser).node":           "gopkg.in/yaml%2ev3",
		"[app]":                                       "",
		"<unknown>":                                   "",
		"main":                                        "",
	}
	for name, want := range tests {
		if got := PackageOf(name); got != want {
			t.Errorf("PackageOf(%q) = %q, want %q", name, got, want)
		}
	}
}
