package model

import (
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"
)

// Query matches function names for highlighting: case-insensitive words,
// each of which the name must contain ("json literalstore"), or a regular
// expression.
type Query struct {
	words []string       // lower-cased words, when not a regexp
	re    *regexp.Regexp // when a regexp
}

// NewQuery compiles text as words separated by spaces or (regex) a regular
// expression; a bad expression is an error saying what is wrong with it.
func NewQuery(text string, regex bool) (*Query, error) {
	if !regex {
		words := strings.Fields(strings.ToLower(text))
		if len(words) == 0 {
			words = []string{""}
		}
		return &Query{words: words}, nil
	}
	re, err := regexp.Compile(text)
	if err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %v", text, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return &Query{re: re}, nil
}

// Match reports whether name matches.
func (q *Query) Match(name string) bool {
	if q.re != nil {
		return q.re.MatchString(name)
	}
	return q.containsAll(strings.ToLower(name))
}

// containsAll reports whether a lower-cased name holds every word.
func (q *Query) containsAll(lower string) bool {
	for _, w := range q.words {
		if !strings.Contains(lower, w) {
			return false
		}
	}
	return true
}

// MatchFuncs marks the tree's functions whose names match, by FuncID.
func (t *Tree) MatchFuncs(q *Query) []bool {
	marks := make([]bool, len(t.Funcs))
	if q.re != nil {
		for i, f := range t.Funcs {
			marks[i] = q.re.MatchString(f.Name)
		}
		return marks
	}
	for i, name := range t.lowerNames() {
		marks[i] = q.containsAll(name)
	}
	return marks
}

// lowerNames are the function names in lower case, made once per function
// table and shared by the trees derived from it.
func (t *Tree) lowerNames() []string {
	names := t.stacks.names
	names.once.Do(func() {
		names.lower = make([]string, len(t.Funcs))
		for i, f := range t.Funcs {
			names.lower[i] = strings.ToLower(f.Name)
		}
	})
	return names.lower
}

// Matches are the frames of a tree whose functions match a search.
type Matches struct {
	// Nodes are the matching frames, depth-first in Children order.
	Nodes []NodeID
	// Value is the value of the samples whose stack holds a match, each
	// sample counted once however many matching frames it has (the
	// "Matched:" figure of FlameGraph).
	Value int64
}

// Search finds the frames whose function is marked in funcs.
func (t *Tree) Search(funcs []bool) Matches {
	var m Matches
	type entry struct {
		n      NodeID
		inside bool // below a matching frame: its value is already counted
	}
	stack := []entry{{Root, false}}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		inside := e.inside
		if e.n != Root && funcs[t.Fn[e.n]] {
			m.Nodes = append(m.Nodes, e.n)
			if !inside {
				m.Value += t.Total[e.n]
				inside = true
			}
		}
		kids := t.Children(e.n)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, entry{kids[i], inside})
		}
	}
	return m
}

// FuzzyMatch is a function found by FuzzyIndex.Find.
type FuzzyMatch struct {
	FuncStat
	// Score is sahilm/fuzzy's score: higher is better.
	Score int
	// Matched are the byte offsets in Name of the letters that matched.
	Matched []int
}

// FuzzyIndex ranks a function table against fuzzy queries, as a jump
// list: github.com/sahilm/fuzzy's score first, then cum, then name.
//
// Queries match the short name ("json.(*decodeState).object", the package
// path cut to its last element), as Go code names functions; a query with
// a '/' matches the full name. Each query that extends the previous one
// searches only the previous one's matches (a fuzzy match of "abc" is a
// match of "ab"), and the scoring is shared among the cores. Safe for
// concurrent use.
type FuzzyIndex struct {
	stats []FuncStat
	names [2]fuzzyNames // [0] short names, [1] full names

	mu        sync.Mutex
	lastQuery string
	lastRows  []int32 // indexes into stats matching lastQuery
}

// fuzzyNames are the strings one kind of query is matched against.
type fuzzyNames struct {
	text  []string // by row
	lower []string // lower-cased text of ASCII names, "" for others
	cut   []int    // where text starts in the full name
}

// NewFuzzyIndex indexes a function table (Tree.Functions).
func NewFuzzyIndex(stats []FuncStat) *FuzzyIndex {
	x := &FuzzyIndex{stats: stats}
	for k := range x.names {
		x.names[k] = fuzzyNames{text: make([]string, len(stats)), lower: make([]string, len(stats)), cut: make([]int, len(stats))}
	}
	for i, s := range stats {
		short, cut := shortName(s.Name)
		x.names[0].text[i], x.names[0].cut[i] = short, cut
		x.names[1].text[i] = s.Name
		if isASCII(s.Name) {
			x.names[1].lower[i] = asciiLower(s.Name)
			x.names[0].lower[i] = x.names[1].lower[i][cut:]
		}
	}
	return x
}

// namesFor picks the strings query is matched against: the full names
// when a word of it has a '/'.
func (x *FuzzyIndex) namesFor(query string) *fuzzyNames {
	if strings.ContainsRune(query, '/') {
		return &x.names[1]
	}
	return &x.names[0]
}

// scored is a matching row and its score, kept small: every match of a
// short query is one.
type scored struct {
	row   int32
	score int32
}

// Find returns the best limit matches of query (all when limit <= 0) and
// how many functions match in all.
func (x *FuzzyIndex) Find(query string, limit int) ([]FuzzyMatch, int) {
	names := x.namesFor(query)
	x.mu.Lock()
	candidates := x.lastRows
	narrow := x.lastQuery != "" && strings.HasPrefix(query, x.lastQuery) && x.namesFor(x.lastQuery) == names
	x.mu.Unlock()
	if !narrow {
		candidates = nil
	}
	var found []scored
	if query != "" {
		found = x.score(query, names, candidates, narrow)
	}
	rows := make([]int32, len(found))
	for i, f := range found {
		rows[i] = f.row
	}
	x.mu.Lock()
	x.lastQuery, x.lastRows = query, rows
	x.mu.Unlock()

	top := x.best(found, limit)
	// Only the rows shown need their matched letters: match them again.
	texts := make([]string, len(top))
	out := make([]FuzzyMatch, len(top))
	for i, f := range top {
		texts[i] = names.text[f.row]
		out[i] = FuzzyMatch{FuncStat: x.stats[f.row], Score: int(f.score)}
	}
	for _, word := range strings.Fields(query) {
		for _, m := range fuzzy.FindNoSort(word, texts) {
			row := top[m.Index].row
			for _, j := range m.MatchedIndexes {
				out[m.Index].Matched = append(out[m.Index].Matched, j+names.cut[row]) // offsets in the full name
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].Matched)
		out[i].Matched = slices.Compact(out[i].Matched)
	}
	return out, len(found)
}

// less orders the jump list: higher score, then larger |cum|, then name.
func (x *FuzzyIndex) less(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	sa, sb := &x.stats[a.row], &x.stats[b.row]
	if ca, cb := abs(sa.Cum), abs(sb.Cum); ca != cb {
		return ca > cb
	}
	return sa.Name < sb.Name
}

// best returns the limit best of found in order (all when limit <= 0),
// choosing them with a small heap rather than sorting every match.
func (x *FuzzyIndex) best(found []scored, limit int) []scored {
	sortAll := func(s []scored) []scored {
		slices.SortFunc(s, func(a, b scored) int {
			switch {
			case x.less(a, b):
				return -1
			case x.less(b, a):
				return 1
			}
			return 0
		})
		return s
	}
	if limit <= 0 || limit >= len(found) {
		return sortAll(slices.Clone(found))
	}
	// heap holds the best so far, the worst of them at the top.
	heap := make([]scored, 0, limit)
	worse := func(i, j int) bool { return x.less(heap[j], heap[i]) }
	for _, f := range found {
		if len(heap) < limit {
			heap = append(heap, f)
			for c := len(heap) - 1; c > 0 && worse(c, (c-1)/2); c = (c - 1) / 2 {
				heap[c], heap[(c-1)/2] = heap[(c-1)/2], heap[c]
			}
			continue
		}
		if !x.less(f, heap[0]) {
			continue
		}
		heap[0] = f
		for i := 0; ; {
			l, r, w := 2*i+1, 2*i+2, i
			if l < len(heap) && worse(l, w) {
				w = l
			}
			if r < len(heap) && worse(r, w) {
				w = r
			}
			if w == i {
				break
			}
			heap[i], heap[w] = heap[w], heap[i]
			i = w
		}
	}
	return sortAll(heap)
}

// score runs the fuzzy matcher over the candidate rows (every row unless
// narrow) that pass a quick case-insensitive subsequence test, split
// between the cores. The query's words (split at spaces, as fzf and
// editors' file finders do) must each match, in any order; a row's score
// is the sum of its words' scores.
func (x *FuzzyIndex) score(query string, names *fuzzyNames, candidates []int32, narrow bool) []scored {
	words := strings.Fields(query)
	if len(words) == 0 {
		return nil
	}
	lower := make([]string, len(words))
	for i, w := range words {
		lower[i] = asciiLower(w)
	}
	ascii := isASCII(query)
	n := len(x.stats)
	if narrow {
		n = len(candidates)
	}
	parts := min(runtime.GOMAXPROCS(0), max(1, n/2000))
	results := make([][]scored, parts)
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows := make([]int32, 0, hi-lo)
			for k := lo; k < hi; k++ {
				i := int32(k)
				if narrow {
					i = candidates[k]
				}
				// The quick test folds ASCII case only, so it judges only ASCII
				// names; the rest go to the fuzzy matcher, which folds all of Unicode.
				if !ascii || names.lower[i] == "" || allSubsequences(lower, names.lower[i]) {
					rows = append(rows, i)
				}
			}
			out := make([]scored, len(rows))
			for j, row := range rows {
				out[j].row = row
			}
			for _, word := range words {
				found := fuzzy.FindFromNoSort(word, nameSource{names.text, rows})
				kept := out[:0]
				for _, f := range found { // in rows' order
					s := out[f.Index]
					s.score += int32(f.Score)
					kept = append(kept, s)
				}
				out = kept
				rows = rows[:0]
				for _, s := range out {
					rows = append(rows, s.row)
				}
			}
			results[p] = out
		}()
	}
	wg.Wait()
	return slices.Concat(results...)
}

// PackageOf returns the package path of a Go function name
// ("encoding/json" for "encoding/json.(*decodeState).object"), or "" when
// the name has none. Type parameters in brackets are not searched, so
// "pkg.F[example.com/x.T]" is in "pkg".
func PackageOf(name string) string {
	head := name
	if i := strings.IndexAny(head, "[("); i >= 0 {
		head = head[:i]
	}
	slash := strings.LastIndexByte(head, '/')
	dot := strings.IndexByte(head[slash+1:], '.')
	if dot < 0 {
		if strings.HasSuffix(head, ".") || slash >= 0 {
			return strings.TrimSuffix(head, ".")
		}
		return ""
	}
	return head[:slash+1+dot]
}

// shortName is name from the last element of its package path on
// ("json.(*decodeState).object"), Go's usual way to write a function, and
// the byte offset where it starts in name.
func shortName(name string) (string, int) {
	cut := strings.LastIndexByte(PackageOf(name), '/') + 1
	return name[cut:], cut
}

// nameSource is a subset of the names, for fuzzy.FindFrom.
type nameSource struct {
	text []string
	rows []int32
}

func (s nameSource) String(i int) string { return s.text[s.rows[i]] }
func (s nameSource) Len() int            { return len(s.rows) }

// allSubsequences reports whether every one of words is a subsequence of s.
func allSubsequences(words []string, s string) bool {
	for _, w := range words {
		if !isSubsequence(w, s) {
			return false
		}
	}
	return true
}

// isSubsequence reports whether the bytes of q appear in s in order.
func isSubsequence(q, s string) bool {
	for i := 0; i < len(q); i++ {
		j := strings.IndexByte(s, q[i])
		if j < 0 {
			return false
		}
		s = s[j+1:]
	}
	return true
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
