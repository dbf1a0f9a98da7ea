package model

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/google/pprof/profile"
)

// NodeID indexes the nodes of a Tree. Root is always 0; a node's parent has a
// smaller id than the node.
type NodeID int32

// FuncID indexes Tree.Funcs.
type FuncID int32

// Root is the synthetic node above every stack's outermost frame.
const Root NodeID = 0

// NoFunc is the function of the Root node.
const NoFunc FuncID = -1

// Func is one frame of a tree or table: at the default granularity a
// function as go tool pprof -top shows it (functions with the same name are
// one Func, whatever their file, and inlined frames are Funcs of their
// own); at a finer one (see Granularity) a function in a file, a file, a
// line or an address.
type Func struct {
	// Name is the frame's name as pprof prints it at the granularity, for
	// example "encoding/json.(*decodeState).object", or at -lines
	// "encoding/json.(*decodeState).object /usr/local/go/src/encoding/json/decode.go:641".
	// Frames without symbols are named after their binary ("[app]") or
	// "<unknown>", as pprof does.
	Name string
	// Function is the function's name alone ("" at -files and for frames
	// without symbols): what a source listing is for.
	Function string
	// File is the source file as the profile gives it; "" if unknown.
	File string
	// StartLine is the line the function starts at in File; 0 if unknown.
	StartLine int64
	// Line is the source line, at -lines and -addresses; else 0.
	Line int64
	// FullName is the name before pprof's simplification (a C++ symbol's
	// parameters, a Go generic's type arguments), when it differs; "" if not.
	FullName string
	// Address, for a frame without symbols, is its address: such frames are
	// told apart in trees and drawn as "0x4a2b3c [app]" (see Label), while
	// tables merge them under Name, as pprof does.
	Address uint64

	short string // the label at a finer granularity than functions
	addr  uint64 // the location's address, at -addresses
}

// Label is how the frame is shown in graphs: its name, for a frame without
// symbols its address and binary, and at a finer granularity than
// functions the short form pprof's flame graph draws,
// "json.(*decodeState).object decode.go:641".
func (f Func) Label() string {
	switch {
	case f.Address != 0:
		return fmt.Sprintf("0x%x %s", f.Address, f.Name)
	case f.short != "":
		return f.short
	}
	return f.Name
}

// SampleType is one of a profile's value columns, such as cpu/nanoseconds.
type SampleType struct {
	Name string // "cpu", "alloc_space", "samples"
	Unit string // "nanoseconds", "bytes", "count"
}

func (s SampleType) String() string { return s.Name + "/" + s.Unit }

// Tree is a call tree for one sample type: a node per distinct call path
// from the root, in compact arrays indexed by NodeID (no map or slice per
// node). Values are in the sample type's unit.
type Tree struct {
	// Funcs is the function table; Fn values index it.
	Funcs []Func
	// Fn is each node's function; Fn[Root] is NoFunc.
	Fn []FuncID
	// Parent is each node's caller; Parent[Root] is -1.
	Parent []NodeID
	// Depth is the number of frames from Root: 0 for Root, 1 for outermost frames.
	Depth []int32
	// Self is the value of samples whose stack ends at the node.
	Self []int64
	// Total is Self plus the Total of all children.
	Total []int64
	// OtherSelf and OtherTotal are the other profile's values in a
	// comparison tree (BASE's, unless shaped by BASE); nil otherwise.
	OtherSelf, OtherTotal []int64
	// OtherAbsTotal is the other profile's total in a comparison tree.
	OtherAbsTotal int64
	// SampleType is the value column the tree was built from.
	SampleType SampleType
	// SampleIndex is that column's 0-based index in the profile.
	SampleIndex int
	// AbsTotal is the sum of |value| over all samples, the denominator of
	// every percentage (as in pprof's "of X total").
	AbsTotal int64
	// Partial marks an outline (Stacks.Outline): only the nodes above a
	// size are there, to draw a first frame while the whole tree is built.
	Partial bool

	stacks     *Stacks  // what the tree was built from
	inlined    bitSet   // bit n set: node n's frame was inlined (see Inlined)
	childStart []int32  // children of n are childList[childStart[n]:childStart[n+1]]
	childList  []NodeID // sorted by Total descending, then function name
}

// Stacks returns the stacks the tree was built from, for deriving views.
func (t *Tree) Stacks() *Stacks { return t.stacks }

// Len is the number of nodes, Root included.
func (t *Tree) Len() int { return len(t.Fn) }

// Children returns n's callees, sorted by Total descending, ties by function
// name. The slice is shared: do not modify it.
func (t *Tree) Children(n NodeID) []NodeID {
	return t.childList[t.childStart[n]:t.childStart[n+1]]
}

// Name is the function name of node n ("root" for Root).
func (t *Tree) Name(n NodeID) string {
	if n == Root {
		return "root"
	}
	return t.Funcs[t.Fn[n]].Name
}

// Label is how node n is shown: its name, or for a frame without symbols
// its address and binary.
func (t *Tree) Label(n NodeID) string {
	if n == Root {
		return "root"
	}
	return t.Funcs[t.Fn[n]].Label()
}

// Walk visits the nodes depth-first, each before its children and children
// in Children order. visit returns false to skip a node's subtree.
func (t *Tree) Walk(visit func(n NodeID, depth int) bool) {
	stack := []NodeID{Root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !visit(n, int(t.Depth[n])) {
			continue
		}
		kids := t.Children(n)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
}

// Taken is when the profile was taken; zero if it does not say.
func (p *Info) Taken() time.Time {
	if p.header == nil || p.header.TimeNanos == 0 {
		return time.Time{}
	}
	return time.Unix(0, p.header.TimeNanos)
}

// SampleTypes lists the profile's value columns in order.
func (p *Info) SampleTypes() []SampleType {
	out := make([]SampleType, len(p.header.SampleType))
	for i, st := range p.header.SampleType {
		out[i] = SampleType{Name: st.Type, Unit: st.Unit}
	}
	return out
}

// SampleIndex resolves a -sample_index value as pprof does: "" is the
// profile's default type (else the last), a number is a 0-based index, and
// anything else is a sample type name.
func (p *Info) SampleIndex(spec string) (int, error) {
	i, err := p.header.SampleIndexByName(spec)
	if err != nil {
		return 0, fmt.Errorf("%s: %v", p.Source, err)
	}
	return i, nil
}

// Tree builds the call tree for the sample type named by a -sample_index
// value ("" for the profile's default).
func (p *Profile) Tree(sampleIndex string) (*Tree, error) {
	idx, err := p.SampleIndex(sampleIndex)
	if err != nil {
		return nil, err
	}
	return BuildTree(p, idx)
}

// BuildTree aggregates the profile's samples for one sample type into a
// call tree. Samples whose value is 0 are skipped, as pprof skips them.
func BuildTree(p *Profile, sampleIndex int) (*Tree, error) {
	s, err := CollectStacks(p, sampleIndex, Functions)
	if err != nil {
		return nil, err
	}
	return s.Tree(), nil
}

// CollectStacks gathers the profile's distinct stacks for one sample type,
// with frames at granularity g, in one pass over the samples.
func CollectStacks(p *Profile, sampleIndex int, g Granularity) (*Stacks, error) {
	if err := p.CheckSamples(sampleIndex); err != nil {
		return nil, err
	}
	raw := p.Raw
	funcs := &funcTable{granularity: g}
	s, err := collectStacks(raw, sampleIndex, newFrameTable(raw, funcs))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p.Source, err)
	}
	st := raw.SampleType[sampleIndex]
	s.Funcs, s.SampleType, s.SampleIndex, s.Granularity = funcs.funcs, SampleType{Name: st.Type, Unit: st.Unit}, sampleIndex, g
	if p.totals != nil {
		// Shares stay shares of the whole profile (of BASE, for -diff_base).
		s.AbsTotal = p.totals[sampleIndex]
	}
	return s, nil
}

// Tree builds the call tree of the stacks.
func (s *Stacks) Tree() *Tree {
	t := &Tree{Funcs: s.Funcs, SampleType: s.SampleType, SampleIndex: s.SampleIndex, AbsTotal: s.AbsTotal,
		OtherAbsTotal: s.OtherAbsTotal, stacks: s}

	// Stacks in lexicographic order share each prefix with their neighbour,
	// so the tree is built without looking nodes up: a stack reuses the
	// path of the previous one up to their common prefix and adds the rest.
	// Nodes are thus numbered depth-first, a parent before its children.
	order := s.sorted()
	nodes := 1
	var prev []FuncID
	for _, si := range order {
		cur := s.Frames(int(si))
		nodes += len(cur) - commonPrefix(prev, cur)
		prev = cur
	}
	t.Fn = append(make([]FuncID, 0, nodes), NoFunc)
	t.Parent = append(make([]NodeID, 0, nodes), -1)
	t.Depth = append(make([]int32, 0, nodes), 0)
	t.Self = append(make([]int64, 0, nodes), 0)
	if s.other != nil {
		t.OtherSelf = make([]int64, nodes)
	}
	path := []NodeID{Root} // path[d] is the node at depth d of the previous stack
	prev = nil
	for _, si := range order {
		cur := s.Frames(int(si))
		common := commonPrefix(prev, cur)
		path = path[:common+1]
		for d := common; d < len(cur); d++ {
			n := NodeID(len(t.Fn))
			t.Fn = append(t.Fn, cur[d])
			t.Parent = append(t.Parent, path[d])
			t.Depth = append(t.Depth, int32(d+1))
			t.Self = append(t.Self, 0)
			path = append(path, n)
		}
		if s.inlined != nil {
			for d, pos := 0, s.start[si]; d < len(cur); d, pos = d+1, pos+1 {
				if s.inlined.has(pos) {
					t.inlined.add(int(path[d+1]))
				}
			}
		}
		t.Self[path[len(cur)]] += s.value[si]
		if s.other != nil {
			t.OtherSelf[path[len(cur)]] += s.other[si]
		}
		prev = cur
	}
	t.finish()
	return t
}

func commonPrefix(a, b []FuncID) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// finish computes Total from Self and sorts each node's children.
func (t *Tree) finish() {
	t.Total = totals(t.Self, t.Parent)
	if t.OtherSelf != nil {
		t.OtherTotal = totals(t.OtherSelf, t.Parent)
	}
	t.link()
}

// link lists each node's children, sorted by total, then name.
func (t *Tree) link() {
	n := len(t.Fn)

	t.childStart = make([]int32, n+1)
	for i := 1; i < n; i++ {
		t.childStart[t.Parent[i]+1]++
	}
	for i := 1; i <= n; i++ {
		t.childStart[i] += t.childStart[i-1]
	}
	// Place each node at its parent's cursor; the cursors end where the next
	// parent starts, so shifting them by one restores the starts.
	t.childList = make([]NodeID, n-1)
	for i := 1; i < n; i++ {
		p := t.Parent[i]
		t.childList[t.childStart[p]] = NodeID(i)
		t.childStart[p]++
	}
	copy(t.childStart[1:], t.childStart[:n])
	t.childStart[0] = 0
	t.sortChildren(t.nameRank())
}

// sortChildren orders each node's children by Total, descending, then by
// function name (rank is each function's place in name order).
func (t *Tree) sortChildren(rank []int32) {
	n := len(t.Fn)
	for p := 0; p < n; p++ {
		kids := t.childList[t.childStart[p]:t.childStart[p+1]]
		if len(kids) < 2 {
			continue
		}
		slices.SortFunc(kids, func(a, b NodeID) int {
			if ta, tb := t.Total[a], t.Total[b]; ta != tb {
				if ta > tb {
					return -1
				}
				return 1
			}
			return int(rank[t.Fn[a]]) - int(rank[t.Fn[b]])
		})
	}
}

// totals sums self values up the tree: a parent's id is below its children's.
func totals(self []int64, parent []NodeID) []int64 {
	total := slices.Clone(self)
	for i := len(total) - 1; i > 0; i-- {
		total[parent[i]] += total[i]
	}
	return total
}

// nameRank gives each function its position in name order, so that sorting
// by name compares integers.
func (t *Tree) nameRank() []int32 {
	order := make([]int32, len(t.Funcs))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool { return t.Funcs[order[a]].Name < t.Funcs[order[b]].Name })
	rank := make([]int32, len(order))
	for r, f := range order {
		rank[f] = int32(r)
	}
	return rank
}

// frameTable holds, per location, its frames as FuncIDs from the outermost
// caller to the innermost inlined callee.
type frameTable struct {
	start []int32 // frames of location index i are list[start[i]:start[i+1]]
	list  []FuncID
	locs  []*profile.Location
	index map[*profile.Location]int32 // built only for profiles whose IDs are not 1..n
}

// funcTable interns frames: the table of one tree, or of the two profiles
// of a comparison, so that their FuncIDs agree. At the default granularity
// functions are interned by name; at others by pprof's node.
type funcTable struct {
	granularity Granularity
	funcs       []Func
	byName      map[string]FuncID
	byNode      map[node]FuncID
}

func (ft *funcTable) intern(name string, fn *profile.Function) FuncID {
	return ft.internAt(name, fn, 0)
}

// internAt interns a frame without symbols at address addr: one Func per
// address, all under the binary's name.
func (ft *funcTable) internAt(name string, fn *profile.Function, addr uint64) FuncID {
	key := name
	if addr != 0 {
		key = fmt.Sprintf("%s@%x", name, addr)
	}
	if id, ok := ft.byName[key]; ok {
		return id
	}
	if ft.byName == nil {
		ft.byName = map[string]FuncID{}
	}
	f := Func{Name: name, Address: addr}
	if fn != nil {
		f.File, f.StartLine = fn.Filename, fn.StartLine
		if fn.Name != "" {
			f.Function = fn.Name
		}
		if fn.SystemName != "" && fn.SystemName != name {
			f.FullName = fn.SystemName
		}
	}
	id := ft.add(f)
	ft.byName[key] = id
	return id
}

// internNode interns a frame at a finer granularity than functions.
func (ft *funcTable) internNode(n node, fn *profile.Function) FuncID {
	if id, ok := ft.byNode[n]; ok {
		return id
	}
	if ft.byNode == nil {
		ft.byNode = map[node]FuncID{}
	}
	f := Func{Name: n.printable(), Function: n.name, Line: n.line, short: n.short(), addr: n.address}
	if fn != nil {
		f.File, f.StartLine = fn.Filename, fn.StartLine
		if fn.SystemName != "" && fn.SystemName != fn.Name && n.name != "" {
			f.FullName = fn.SystemName
		}
	}
	id := ft.add(f)
	ft.byNode[n] = id
	return id
}

func (ft *funcTable) add(f Func) FuncID {
	ft.funcs = append(ft.funcs, f)
	return FuncID(len(ft.funcs) - 1)
}

func newFrameTable(raw *profile.Profile, funcs *funcTable) *frameTable {
	ft := &frameTable{start: make([]int32, 0, len(raw.Location)+1), locs: raw.Location}
	byFunction := make(map[*profile.Function]FuncID, len(raw.Function))
	for _, loc := range raw.Location {
		ft.start = append(ft.start, int32(len(ft.list)))
		if len(loc.Line) == 0 {
			ft.list = append(ft.list, funcs.unsymbolized(loc, nil))
			continue
		}
		for j := len(loc.Line) - 1; j >= 0; j-- { // Line[0] is the innermost inlined frame
			fn := loc.Line[j].Function
			if funcs.granularity != Functions {
				ft.list = append(ft.list, funcs.frame(loc, loc.Line[j]))
				continue
			}
			if fn == nil || fn.Name == "" {
				ft.list = append(ft.list, funcs.unsymbolized(loc, fn))
				continue
			}
			id, ok := byFunction[fn]
			if !ok {
				id = funcs.intern(fn.Name, fn)
				byFunction[fn] = id
			}
			ft.list = append(ft.list, id)
		}
	}
	ft.start = append(ft.start, int32(len(ft.list)))
	return ft
}

// frame is the Func of loc's line at a finer granularity than functions.
func (ft *funcTable) frame(loc *profile.Location, line profile.Line) FuncID {
	n := nodeOf(ft.granularity, loc, line)
	if n.name == "" && n.file == "" {
		return ft.unsymbolized(loc, line.Function)
	}
	return ft.internNode(n, line.Function)
}

// unsymbolized is the Func of a frame without a function name (or, at
// -files, without a file): per address in trees and merged under its
// binary's name in tables, except at -addresses, where the address is
// part of the name.
func (ft *funcTable) unsymbolized(loc *profile.Location, fn *profile.Function) FuncID {
	if ft.granularity == Addresses {
		return ft.internNode(nodeOf(Addresses, loc, profile.Line{Function: fn}), fn)
	}
	return ft.internAt(objectName(loc.Mapping), fn, loc.Address)
}

// of returns loc's frames, outermost first.
func (ft *frameTable) of(loc *profile.Location) []FuncID {
	i := int(loc.ID) - 1
	if i < 0 || i >= len(ft.locs) || ft.locs[i] != loc {
		i = ft.indexOf(loc)
	}
	return ft.list[ft.start[i]:ft.start[i+1]]
}

// indexOf finds a location that is not where its ID says, as in profiles
// whose location IDs are not numbered 1..n.
func (ft *frameTable) indexOf(loc *profile.Location) int {
	if ft.index == nil {
		ft.index = make(map[*profile.Location]int32, len(ft.locs))
		for i, l := range ft.locs {
			ft.index[l] = int32(i)
		}
	}
	return int(ft.index[loc])
}

// objectName names a frame without a function as pprof does: after the
// binary it is in, else "<unknown>".
func objectName(m *profile.Mapping) string {
	if m != nil && m.File != "" {
		return "[" + filepath.Base(m.File) + "]"
	}
	return "<unknown>"
}
