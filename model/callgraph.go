package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// GraphOptions select the nodes and edges of a call graph, as pprof's
// -nodecount, -nodefraction and -edgefraction do for its graph view.
type GraphOptions struct {
	// NodeCount is the most nodes kept; 0 keeps all.
	NodeCount int
	// NodeFraction drops nodes whose cum is below this share of the total.
	NodeFraction float64
	// EdgeFraction drops edges whose weight is below this share of the total.
	EdgeFraction float64
	// Granularity is what a node stands for: a function by default, or
	// a line (-dot -lines), a file...
	Granularity Granularity
}

// DefaultGraphOptions are pprof's defaults for its graph: 80 nodes, 0.5%, 0.1%.
var DefaultGraphOptions = GraphOptions{NodeCount: 80, NodeFraction: 0.005, EdgeFraction: 0.001}

// GraphNode is a function in a call graph.
type GraphNode struct {
	Func      FuncID
	Flat, Cum int64
	In, Out   []int // edge indices, heaviest first
}

// GraphEdge is a call from one node to another with the value that flows
// through it (each sample once).
type GraphEdge struct {
	Src, Dst int // node indices
	Weight   int64
	// Residual marks a call through functions that were dropped: drawn
	// dotted, as pprof does.
	Residual bool
	// Inline marks a call that was inlined.
	Inline bool
}

// CallGraph is pprof's call graph of a profile: functions as nodes and
// calls as edges, trimmed to what matters as pprof trims its graph view.
type CallGraph struct {
	Funcs      []Func
	SampleType SampleType
	// Nodes come in pprof's order for the graph (its "entropy" order:
	// important, branching nodes first); Edges in no particular order.
	Nodes []GraphNode
	Edges []GraphEdge
	// Total is pprof's total, the denominator of the percentages.
	Total int64
	// Shown is the flat sum of the nodes kept; DroppedNodes and
	// DroppedEdges say how much was left out.
	Shown                      int64
	DroppedNodes, DroppedEdges int
}

// graphStack is a distinct stack with each frame's function and whether
// it is inlined into its caller.
type graphStack struct {
	frames []FuncID
	inline []bool
	value  int64
}

// BuildCallGraph builds the call graph of one sample type, selecting nodes
// and edges exactly as go tool pprof does for -dot/-web (node cutoff,
// entropy order, top NodeCount, residual edges, edge cutoff, redundant
// residual edges removed).
func BuildCallGraph(p *Profile, sampleIndex int, opt GraphOptions) (*CallGraph, error) {
	if err := p.CheckSamples(sampleIndex); err != nil {
		return nil, err
	}
	raw := p.Raw
	funcs := &funcTable{granularity: opt.Granularity}
	frames := newFrameTable(raw, funcs)
	locs, values, _, _, err := distinctStacks(raw, sampleIndex, frames)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p.Source, err)
	}
	stacks := make([]graphStack, len(locs))
	for i, stack := range locs {
		gs := graphStack{value: values[i]}
		for j := len(stack) - 1; j >= 0; j-- {
			fs := frames.of(stack[j])
			for k, f := range fs { // outermost line first; the rest are inlined
				gs.frames = append(gs.frames, f)
				gs.inline = append(gs.inline, k > 0)
			}
		}
		stacks[i] = gs
	}
	st := raw.SampleType[sampleIndex]
	b := &graphBuilder{funcs: funcs.funcs, stacks: stacks}

	// pprof's newTrimmedGraph, step by step. The first graph only decides
	// which nodes pass the cutoff, so it needs no edges when there is one.
	g := b.build(nil, opt.NodeFraction <= 0)
	var flatSum int64
	for _, n := range g.Nodes {
		flatSum += n.Flat
	}
	nodeCutoff := abs(int64(float64(flatSum) * opt.NodeFraction))
	edgeCutoff := abs(int64(float64(flatSum) * opt.EdgeFraction))
	dropped := 0
	if nodeCutoff > 0 {
		kept := g.keepAbove(nodeCutoff)
		dropped = len(g.Nodes) - countTrue(kept)
		g = b.build(kept, true)
	} else if opt.NodeFraction > 0 {
		g = b.build(nil, true) // a cutoff of zero: the graph with its edges
	}
	g.sortEntropy()
	if opt.NodeCount > 0 {
		g.trimEdges(edgeCutoff)
		if opt.NodeCount < len(g.Nodes) {
			kept := make([]bool, len(b.funcs))
			for _, n := range g.Nodes[:opt.NodeCount] {
				kept[n.Func] = true
			}
			dropped += len(g.Nodes) - opt.NodeCount
			g = b.build(kept, true)
			g.sortEntropy()
		}
	}
	g.DroppedEdges = g.trimEdges(edgeCutoff)
	g.removeRedundantEdges()
	g.DroppedNodes = dropped
	g.SampleType = SampleType{Name: st.Type, Unit: st.Unit}
	g.Total = p.pprofTotals()[sampleIndex]
	for _, n := range g.Nodes {
		g.Shown += n.Flat
	}
	g.sortEdgeLists()
	return g, nil
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

type graphBuilder struct {
	funcs  []Func
	stacks []graphStack
}

// build is pprof's graph.New over the stacks: frames of functions not in
// kept (when given) are skipped and the calls around them made residual.
// Without withEdges only the nodes' values are gathered.
func (b *graphBuilder) build(kept []bool, withEdges bool) *CallGraph {
	g := &CallGraph{Funcs: b.funcs}
	nodeOf := make([]int32, len(b.funcs))
	for i := range nodeOf {
		nodeOf[i] = -1
	}
	seenNode := make([]int32, len(b.funcs)) // the stack that last counted a node, plus one
	edgeOf := map[uint64]int32{}
	var edgeStamp []int32 // the stack that last counted an edge, plus one
	node := func(f FuncID) int {
		if nodeOf[f] < 0 {
			nodeOf[f] = int32(len(g.Nodes))
			g.Nodes = append(g.Nodes, GraphNode{Func: f})
		}
		return int(nodeOf[f])
	}
	for si, s := range b.stacks {
		if s.value == 0 {
			continue
		}
		stamp := int32(si + 1)
		parent := -1
		residual := false
		for i, f := range s.frames {
			if kept != nil && !kept[f] {
				residual = true
				continue
			}
			n := node(f)
			if seenNode[f] != stamp {
				seenNode[f] = stamp
				g.Nodes[n].Cum += s.value
			}
			if withEdges && parent >= 0 && parent != n {
				key := uint64(parent)<<32 | uint64(n)
				e, ok := edgeOf[key]
				if !ok {
					e = int32(len(g.Edges))
					edgeOf[key] = e
					g.Edges = append(g.Edges, GraphEdge{Src: parent, Dst: n, Residual: residual, Inline: s.inline[i]})
					edgeStamp = append(edgeStamp, 0)
					g.Nodes[parent].Out = append(g.Nodes[parent].Out, int(e))
					g.Nodes[n].In = append(g.Nodes[n].In, int(e))
				}
				if edgeStamp[e] != stamp { // each sample counts once per edge
					edgeStamp[e] = stamp
					ed := &g.Edges[e]
					if ok {
						ed.Residual = ed.Residual || residual
						ed.Inline = ed.Inline && s.inline[i]
					}
					ed.Weight += s.value
				}
			}
			parent = n
			residual = false
		}
		if parent >= 0 && !residual {
			g.Nodes[parent].Flat += s.value
		}
	}
	// Nodes with nothing are not in pprof's graph.
	g.compact(func(i int) bool { return g.Nodes[i].Flat != 0 || g.Nodes[i].Cum != 0 })
	return g
}

// compact keeps the nodes for which keep is true, renumbering edges and
// dropping those to or from removed nodes.
func (g *CallGraph) compact(keep func(i int) bool) {
	newIndex := make([]int, len(g.Nodes))
	var nodes []GraphNode
	for i := range g.Nodes {
		newIndex[i] = -1
		if keep(i) {
			newIndex[i] = len(nodes)
			nodes = append(nodes, g.Nodes[i])
		}
	}
	g.Nodes = nodes
	g.relink(func(e *GraphEdge) bool {
		if newIndex[e.Src] < 0 || newIndex[e.Dst] < 0 {
			return false
		}
		e.Src, e.Dst = newIndex[e.Src], newIndex[e.Dst]
		return true
	})
}

// relink keeps the edges for which keep is true (which may also renumber
// their nodes) and rebuilds the nodes' In and Out lists.
func (g *CallGraph) relink(keep func(*GraphEdge) bool) {
	var edges []GraphEdge
	for _, e := range g.Edges {
		if keep(&e) {
			edges = append(edges, e)
		}
	}
	g.Edges = edges
	for i := range g.Nodes {
		g.Nodes[i].In, g.Nodes[i].Out = nil, nil
	}
	for i, e := range g.Edges {
		g.Nodes[e.Src].Out = append(g.Nodes[e.Src].Out, i)
		g.Nodes[e.Dst].In = append(g.Nodes[e.Dst].In, i)
	}
}

// keepAbove marks the functions whose node's |cum| reaches cutoff.
func (g *CallGraph) keepAbove(cutoff int64) []bool {
	kept := make([]bool, len(g.Funcs))
	for _, n := range g.Nodes {
		if abs(n.Cum) >= cutoff {
			kept[n.Func] = true
		}
	}
	return kept
}

// trimEdges drops edges lighter than cutoff and says how many.
func (g *CallGraph) trimEdges(cutoff int64) int {
	before := len(g.Edges)
	g.relink(func(e *GraphEdge) bool { return abs(e.Weight) >= cutoff })
	return before - len(g.Edges)
}

// sortEntropy orders the nodes as pprof's EntropyOrder: by |score|, where
// a node that only passes its value through scores low; then by name,
// then by |flat|.
func (g *CallGraph) sortEntropy() {
	score := make([]int64, len(g.Nodes))
	for i := range g.Nodes {
		score[i] = g.entropyScore(i)
	}
	order := make([]int, len(g.Nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(
			cmp.Compare(abs(score[b]), abs(score[a])),
			cmp.Compare(g.Funcs[g.Nodes[a].Func].Name, g.Funcs[g.Nodes[b].Func].Name),
			cmp.Compare(abs(g.Nodes[b].Flat), abs(g.Nodes[a].Flat)))
	})
	newIndex := make([]int, len(order))
	nodes := make([]GraphNode, len(order))
	for to, from := range order {
		newIndex[from] = to
		nodes[to] = g.Nodes[from]
	}
	g.Nodes = nodes
	g.relink(func(e *GraphEdge) bool {
		e.Src, e.Dst = newIndex[e.Src], newIndex[e.Dst]
		return true
	})
}

func (g *CallGraph) entropyScore(i int) int64 {
	n := &g.Nodes[i]
	score := 0.0
	if len(n.In) == 0 {
		score++ // favour entry nodes
	} else {
		score += g.edgeEntropy(n.In, 0)
	}
	if len(n.Out) == 0 {
		score++ // favour leaves
	} else {
		score += g.edgeEntropy(n.Out, n.Flat)
	}
	return int64(score*float64(n.Cum)) + n.Flat
}

func (g *CallGraph) edgeEntropy(edges []int, self int64) float64 {
	score := 0.0
	total := self
	for _, e := range edges {
		if w := g.Edges[e].Weight; w > 0 {
			total += abs(w)
		}
	}
	if total != 0 {
		for _, e := range edges {
			frac := float64(abs(g.Edges[e].Weight)) / float64(total)
			score += -frac * math.Log2(frac)
		}
		if self > 0 {
			frac := float64(abs(self)) / float64(total)
			score += -frac * math.Log2(frac)
		}
	}
	return score
}

// removeRedundantEdges drops residual edges for which another path joins
// the same two nodes, lightest first, as pprof does.
func (g *CallGraph) removeRedundantEdges() {
	removed := make([]bool, len(g.Edges))
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		in := slices.Clone(g.Nodes[i].In)
		g.sortEdges(in)
		for j := len(in) - 1; j >= 0; j-- {
			e := in[j]
			if !g.Edges[e].Residual {
				break // never drop an edge heavier than a real call
			}
			if g.redundant(e, removed) {
				removed[e] = true
			}
		}
	}
	edges := g.Edges[:0]
	for i, e := range g.Edges {
		if !removed[i] {
			edges = append(edges, e)
		}
	}
	g.Edges = edges
	g.relink(func(e *GraphEdge) bool { return true })
}

// redundant reports whether e's source still reaches its destination
// without e.
func (g *CallGraph) redundant(e int, removed []bool) bool {
	src, dst := g.Edges[e].Src, g.Edges[e].Dst
	seen := map[int]bool{dst: true}
	queue := []int{dst}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, ie := range g.Nodes[n].In {
			if ie == e || removed[ie] || seen[g.Edges[ie].Src] {
				continue
			}
			if g.Edges[ie].Src == src {
				return true
			}
			seen[g.Edges[ie].Src] = true
			queue = append(queue, g.Edges[ie].Src)
		}
	}
	return false
}

// sortEdges orders edge indices as pprof's edgeList: heaviest first, then
// by source and destination names.
func (g *CallGraph) sortEdges(edges []int) {
	name := func(n int) string { return g.Funcs[g.Nodes[n].Func].Name }
	slices.SortStableFunc(edges, func(a, b int) int {
		ea, eb := &g.Edges[a], &g.Edges[b]
		return cmp.Or(
			cmp.Compare(abs(eb.Weight), abs(ea.Weight)),
			cmp.Compare(name(ea.Src), name(eb.Src)),
			cmp.Compare(name(ea.Dst), name(eb.Dst)))
	})
}

func (g *CallGraph) sortEdgeLists() {
	for i := range g.Nodes {
		g.sortEdges(g.Nodes[i].In)
		g.sortEdges(g.Nodes[i].Out)
	}
}

// Name is node i's function name.
func (g *CallGraph) Name(i int) string { return g.Funcs[g.Nodes[i].Func].Name }

// Neighborhood is the part of the graph around the function named name:
// its node, its callers and its callees, and the edges among them; nil
// when the function is not in the graph.
func (g *CallGraph) Neighborhood(name string) *CallGraph {
	center := -1
	for i := range g.Nodes {
		if g.Name(i) == name {
			center = i
		}
	}
	if center < 0 {
		return nil
	}
	keep := map[int]bool{center: true}
	for _, e := range g.Nodes[center].In {
		keep[g.Edges[e].Src] = true
	}
	for _, e := range g.Nodes[center].Out {
		keep[g.Edges[e].Dst] = true
	}
	out := *g
	out.Nodes = slices.Clone(g.Nodes)
	out.Edges = slices.Clone(g.Edges)
	out.compact(func(i int) bool { return keep[i] })
	out.Shown = 0
	for _, n := range out.Nodes {
		out.Shown += n.Flat
	}
	out.sortEdgeLists()
	return &out
}
