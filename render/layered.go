package render

import (
	"math"
	"slices"
	"sort"
)

// The call graph is laid out in layers, top down, as Graphviz's dot lays
// out pprof's graphs (Gansner et al., "A Technique for Drawing Directed
// Graphs", 1993): edges that close a cycle are turned around, nodes are
// ranked so that edges point down and are short, long edges pass through
// one virtual node per rank they cross (an edge's label is one of them, so
// labels take room like nodes and never cover one), the order within each
// rank is swept by barycentres to remove crossings, and x positions are
// the least-squares fit of each node to its neighbours (long edges pulled
// straighter than short ones) that keeps every rank's order and spacing.
// Everything is in points, from the top left corner.

const (
	layerNodeSep = 18.0 // between boxes in a rank: dot's nodesep, 0.25 in
	layerRankSep = 18.0 // between ranks: dot's ranksep, 0.5 in, halved when edges have labels as dot does
	layerMargin  = 4.0  // around the drawing
	layerLoop    = 24.0 // how far a call of a function to itself loops out
	labelGap     = 4.0  // between an edge and its label
	sweeps       = 24   // crossing-reduction sweeps
	placeRounds  = 12   // x-placement rounds
)

// vnode is a node of the layered graph: a call graph node or a virtual
// node carrying an edge across a rank.
type vnode struct {
	w, h  float64 // the box kept clear around x, y
	rank  int
	order int // position in its rank
	x, y  float64
	up    []vlink // neighbours one rank above
	down  []vlink // neighbours one rank below
	real  bool
}

// vlink is a segment to a neighbour and how much keeping it straight matters.
type vlink struct {
	to     int
	weight float64
}

// layerEdge is a call graph edge in the layered graph.
type layerEdge struct {
	chain    []int // vnodes top to bottom: the source, virtual nodes, the target
	reversed bool  // drawn bottom-up: it closes a cycle
	label    int   // the vnode the label sits beside, -1 if none
	labelW   float64
}

// layeredGraph places nodes of sizes (points) joined by edges; labels are
// the edges' label sizes (0 for none). Self edges loop beside their node.
type layeredGraph struct {
	nodes  []vnode
	edges  []layerEdge
	layers [][]int
	src    []int // each edge's source and target, by call graph index
	dst    []int
	weight []float64
	labels [][2]float64
	sizes  [][2]float64 // the call graph nodes' boxes, as given
}

// layoutLayers places n nodes of sizes joined by edges src[i] → dst[i] of
// weights (their importance) with labels of sizes labels[i].
func layoutLayers(sizes [][2]float64, src, dst []int, weights []float64, labels [][2]float64) *layeredGraph {
	g := &layeredGraph{src: src, dst: dst, weight: weights, labels: labels, sizes: sizes}
	n := len(sizes)
	for _, s := range sizes {
		g.nodes = append(g.nodes, vnode{w: s[0], h: s[1], real: true})
	}
	for e := range src {
		if v := src[e]; v == dst[e] {
			g.nodes[v].w = max(g.nodes[v].w, sizes[v][0]+2*(layerLoop+labelGap+labels[e][0])) // room for the loop and its label
		}
	}
	reversed := g.breakCycles(n)
	g.rank(n, reversed)
	g.addVirtualNodes(reversed)
	g.order()
	g.placeY()
	g.placeX()
	return g
}

// hasLabels reports whether any edge has a label.
func (g *layeredGraph) hasLabels() bool {
	for _, l := range g.labels {
		if l[0] > 0 {
			return true
		}
	}
	return false
}

// breakCycles finds the edges that close a cycle in a depth-first walk
// from the nodes nothing calls (then from the others, in order), taking
// each node's edges in order: those are turned around for ranking.
func (g *layeredGraph) breakCycles(n int) []bool {
	out := make([][]int, n)
	indeg := make([]int, n)
	for e := range g.src {
		if g.src[e] != g.dst[e] {
			out[g.src[e]] = append(out[g.src[e]], e)
			indeg[g.dst[e]]++
		}
	}
	reversed := make([]bool, len(g.src))
	state := make([]uint8, n) // 0 unseen, 1 on the walk's path, 2 done
	type frame struct{ node, next int }
	walk := func(root int) {
		stack := []frame{{root, 0}}
		state[root] = 1
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(out[top.node]) {
				state[top.node] = 2
				stack = stack[:len(stack)-1]
				continue
			}
			e := out[top.node][top.next]
			top.next++
			switch state[g.dst[e]] {
			case 0:
				state[g.dst[e]] = 1
				stack = append(stack, frame{g.dst[e], 0})
			case 1:
				reversed[e] = true
			}
		}
	}
	for i := range n {
		if indeg[i] == 0 && state[i] == 0 {
			walk(i)
		}
	}
	for i := range n {
		if state[i] == 0 {
			walk(i)
		}
	}
	return reversed
}

// rank gives each node a rank: edges (turned around where they close a
// cycle) point down and span at least minlen ranks (two with labels, the
// label taking the rank between); then each node moves, within the ranks
// its edges allow, to where its edges are shortest by weight.
func (g *layeredGraph) rank(n int, reversed []bool) {
	minlen := 1
	if g.hasLabels() {
		minlen = 2
	}
	type arc struct {
		from, to int
		w        float64
	}
	var arcs []arc
	for e := range g.src {
		if g.src[e] == g.dst[e] {
			continue
		}
		a := arc{g.src[e], g.dst[e], g.weight[e]}
		if reversed[e] {
			a.from, a.to = a.to, a.from
		}
		arcs = append(arcs, a)
	}
	in, out := make([][]int, n), make([][]int, n)
	for i, a := range arcs {
		out[a.from] = append(out[a.from], i)
		in[a.to] = append(in[a.to], i)
	}
	// A topological order, then the longest path from the top.
	indeg := make([]int, n)
	for _, a := range arcs {
		indeg[a.to]++
	}
	var topo []int
	for i := range n {
		if indeg[i] == 0 {
			topo = append(topo, i)
		}
	}
	for k := 0; k < len(topo); k++ {
		for _, a := range out[topo[k]] {
			if indeg[arcs[a].to]--; indeg[arcs[a].to] == 0 {
				topo = append(topo, arcs[a].to)
			}
		}
	}
	rank := make([]int, n)
	for _, v := range topo {
		for _, a := range in[v] {
			rank[v] = max(rank[v], rank[arcs[a].from]+minlen)
		}
	}
	// Balance: a node moves toward the side whose edges weigh more, as
	// far as its edges allow, until nothing moves.
	for range 8 {
		moved := false
		for k := len(topo) - 1; k >= 0; k-- {
			v := topo[k]
			lo, hi := math.MinInt, math.MaxInt
			var wIn, wOut float64
			for _, a := range in[v] {
				lo = max(lo, rank[arcs[a].from]+minlen)
				wIn += arcs[a].w
			}
			for _, a := range out[v] {
				hi = min(hi, rank[arcs[a].to]-minlen)
				wOut += arcs[a].w
			}
			switch {
			case len(out[v]) > 0 && (len(in[v]) == 0 || wOut > wIn) && hi > rank[v]:
				rank[v], moved = hi, true
			case len(in[v]) > 0 && (len(out[v]) == 0 || wIn > wOut) && lo < rank[v] && lo > math.MinInt:
				rank[v], moved = lo, true
			}
		}
		if !moved {
			break
		}
	}
	low := math.MaxInt
	for _, r := range rank {
		low = min(low, r)
	}
	for i := range rank {
		g.nodes[i].rank = rank[i] - low
	}
}

// addVirtualNodes lays each edge down its ranks, a virtual node per rank
// between its ends; a labelled edge's first virtual node is as wide as
// its label, which sits beside it.
func (g *layeredGraph) addVirtualNodes(reversed []bool) {
	g.edges = make([]layerEdge, len(g.src))
	for e := range g.src {
		le := layerEdge{reversed: reversed[e], label: -1}
		if g.src[e] == g.dst[e] {
			g.edges[e] = le
			continue
		}
		top, bottom := g.src[e], g.dst[e]
		if reversed[e] {
			top, bottom = bottom, top
		}
		w := g.weight[e]
		le.chain = []int{top}
		prev := top
		for r := g.nodes[top].rank + 1; r < g.nodes[bottom].rank; r++ {
			v := vnode{w: 2, h: 2, rank: r}
			if le.label < 0 && g.labels[e][0] > 0 {
				v.w, v.h = 2*(labelGap+g.labels[e][0]), g.labels[e][1]
				le.label, le.labelW = len(g.nodes), g.labels[e][0]
			}
			g.nodes = append(g.nodes, v)
			cur := len(g.nodes) - 1
			g.link(prev, cur, w)
			le.chain = append(le.chain, cur)
			prev = cur
		}
		g.link(prev, bottom, w)
		le.chain = append(le.chain, bottom)
		g.edges[e] = le
	}
}

// link joins a and b (b one rank below a) with a segment whose weight is
// the edge's, doubled where one end is virtual and eightfold where both
// are, as dot weighs them: long edges are kept straightest.
func (g *layeredGraph) link(a, b int, w float64) {
	w = max(w, 1e-3)
	switch {
	case !g.nodes[a].real && !g.nodes[b].real:
		w *= 8
	case !g.nodes[a].real || !g.nodes[b].real:
		w *= 2
	}
	g.nodes[a].down = append(g.nodes[a].down, vlink{b, w})
	g.nodes[b].up = append(g.nodes[b].up, vlink{a, w})
}

// order orders each rank to cross as few segments as it can: ranks swept
// down then up, each node at the barycentre of its neighbours on the rank
// swept from, keeping the best order seen.
func (g *layeredGraph) order() {
	ranks := 0
	for _, v := range g.nodes {
		ranks = max(ranks, v.rank+1)
	}
	g.layers = make([][]int, ranks)
	// A first order: the call graph's order (heaviest first), the virtual
	// nodes as their edges come.
	for i := range g.nodes {
		r := g.nodes[i].rank
		g.nodes[i].order = len(g.layers[r])
		g.layers[r] = append(g.layers[r], i)
	}
	best := g.saveOrder()
	bestCross := g.crossings()
	for s := range sweeps {
		down := s%2 == 0
		for k := 1; k < ranks; k++ {
			r := k
			if !down {
				r = ranks - 1 - k
			}
			g.sortByBarycentre(r, down)
		}
		g.transpose()
		if c := g.crossings(); c < bestCross {
			bestCross, best = c, g.saveOrder()
			if c == 0 {
				break
			}
		}
	}
	g.restoreOrder(best)
}

// sortByBarycentre orders rank r by its nodes' neighbours' mean order
// on the rank above (down) or below; a node without any keeps its place.
func (g *layeredGraph) sortByBarycentre(r int, down bool) {
	layer := g.layers[r]
	key := make(map[int]float64, len(layer))
	for _, v := range layer {
		links := g.nodes[v].up
		if !down {
			links = g.nodes[v].down
		}
		if len(links) == 0 {
			key[v] = float64(g.nodes[v].order)
			continue
		}
		sum := 0.0
		for _, l := range links {
			sum += float64(g.nodes[l.to].order)
		}
		key[v] = sum / float64(len(links))
	}
	sort.SliceStable(layer, func(i, j int) bool { return key[layer[i]] < key[layer[j]] })
	for i, v := range layer {
		g.nodes[v].order = i
	}
}

// transpose swaps neighbours in a rank while that crosses fewer segments
// to the ranks above and below, as dot does after each sweep.
func (g *layeredGraph) transpose() {
	for pass := 0; pass < 8; pass++ {
		improved := false
		for _, layer := range g.layers {
			for i := 0; i+1 < len(layer); i++ {
				u, v := layer[i], layer[i+1]
				if g.pairCrossings(v, u) < g.pairCrossings(u, v) {
					layer[i], layer[i+1] = v, u
					g.nodes[v].order, g.nodes[u].order = i, i+1
					improved = true
				}
			}
		}
		if !improved {
			return
		}
	}
}

// pairCrossings counts the crossings between u's and v's segments, up
// and down, with u placed left of v.
func (g *layeredGraph) pairCrossings(u, v int) int {
	c := 0
	for _, side := range [2]bool{true, false} {
		lu, lv := g.nodes[u].up, g.nodes[v].up
		if !side {
			lu, lv = g.nodes[u].down, g.nodes[v].down
		}
		for _, a := range lu {
			for _, b := range lv {
				if g.nodes[a.to].order > g.nodes[b.to].order {
					c++
				}
			}
		}
	}
	return c
}

func (g *layeredGraph) saveOrder() [][]int {
	out := make([][]int, len(g.layers))
	for r, l := range g.layers {
		out[r] = slices.Clone(l)
	}
	return out
}

func (g *layeredGraph) restoreOrder(o [][]int) {
	g.layers = o
	for _, l := range o {
		for i, v := range l {
			g.nodes[v].order = i
		}
	}
}

// crossings counts the segments that cross between each rank and the next.
func (g *layeredGraph) crossings() int {
	total := 0
	var segs [][2]int
	for _, layer := range g.layers {
		segs = segs[:0]
		for _, v := range layer {
			for _, l := range g.nodes[v].down {
				segs = append(segs, [2]int{g.nodes[v].order, g.nodes[l.to].order})
			}
		}
		for i := range segs {
			for j := i + 1; j < len(segs); j++ {
				if (segs[i][0]-segs[j][0])*(segs[i][1]-segs[j][1]) < 0 {
					total++
				}
			}
		}
	}
	return total
}

// placeY puts each rank below the one above, its nodes centred on it.
func (g *layeredGraph) placeY() {
	sep := 2 * layerRankSep
	if g.hasLabels() {
		sep = layerRankSep // as dot: ranks are twice as many, half as far apart
	}
	y := layerMargin
	for _, layer := range g.layers {
		h := 0.0
		for _, v := range layer {
			h = max(h, g.nodes[v].h)
		}
		for _, v := range layer {
			g.nodes[v].y = y + h/2
		}
		y += h + sep
	}
}

// placeX gives each node its x: rounds of fitting each rank to its
// neighbours above, below, then both, each a weighted least-squares fit
// that keeps the rank's order and spacing.
func (g *layeredGraph) placeX() {
	for _, layer := range g.layers {
		x := 0.0
		for _, v := range layer {
			g.nodes[v].x = x + g.nodes[v].w/2
			x += g.nodes[v].w + layerNodeSep
		}
	}
	for round := range placeRounds {
		for k := range g.layers {
			switch round % 3 {
			case 0:
				g.fitLayer(k, true, false)
			case 1:
				g.fitLayer(len(g.layers)-1-k, false, true)
			default:
				g.fitLayer(k, true, true)
			}
		}
	}
	left := math.Inf(1)
	for _, v := range g.nodes {
		left = min(left, v.x-v.w/2)
	}
	for i := range g.nodes {
		g.nodes[i].x += layerMargin - left
	}
}

// fitLayer moves the nodes of rank r to the x that best fits their
// neighbours above (up) and below (down): the weighted least squares
// under the constraint that each node stays right of the one before by
// half their widths and the spacing, solved exactly by pooling adjacent
// violators.
func (g *layeredGraph) fitLayer(r int, up, down bool) {
	layer := g.layers[r]
	type block struct {
		sum, weight float64 // of weight × (wanted − offset)
		n           int
	}
	want := make([]float64, len(layer))
	weight := make([]float64, len(layer))
	for i, v := range layer {
		n := &g.nodes[v]
		var sum, w float64
		add := func(links []vlink) {
			for _, l := range links {
				sum += l.weight * g.nodes[l.to].x
				w += l.weight
			}
		}
		if up {
			add(n.up)
		}
		if down {
			add(n.down)
		}
		if w == 0 {
			want[i], weight[i] = n.x, 1e-3 // nothing pulls it: it stays, if it may
			continue
		}
		want[i], weight[i] = sum/w, w
	}
	// x_i = y_i + offset_i, with y non-decreasing.
	offset := make([]float64, len(layer))
	for i := 1; i < len(layer); i++ {
		a, b := g.nodes[layer[i-1]], g.nodes[layer[i]]
		offset[i] = offset[i-1] + a.w/2 + layerNodeSep + b.w/2
	}
	var blocks []block
	for i := range layer {
		blocks = append(blocks, block{sum: weight[i] * (want[i] - offset[i]), weight: weight[i], n: 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.sum/a.weight <= b.sum/b.weight {
				break
			}
			blocks = append(blocks[:len(blocks)-2], block{a.sum + b.sum, a.weight + b.weight, a.n + b.n})
		}
	}
	i := 0
	for _, b := range blocks {
		y := b.sum / b.weight
		for range b.n {
			g.nodes[layer[i]].x = y + offset[i]
			i++
		}
	}
}

// bounds is the drawing's width and height with its margins.
func (g *layeredGraph) bounds() (w, h float64) {
	for _, v := range g.nodes {
		w = max(w, v.x+v.w/2)
		h = max(h, v.y+v.h/2)
	}
	return w + layerMargin, h + layerMargin
}

// edgePoints is edge e's curve as cubic Bézier control points from its
// source to its target, and its label's centre (ok false if none): each
// end at its node's border, spread along it by where the other ends go.
func (g *layeredGraph) edgePoints(e int) (pts [][2]float64, label [2]float64, ok bool) {
	le := g.edges[e]
	if len(le.chain) == 0 { // a call to itself: a loop on the right
		n := g.nodes[g.src[e]]
		w, h := g.sizes[g.src[e]][0], g.sizes[g.src[e]][1]
		x, y := n.x+w/2, n.y
		pts = [][2]float64{{x, y - h/4}, {x + layerLoop, y - h/4 - layerLoop/2}, {x + layerLoop, y + h/4 + layerLoop/2}, {x, y + h/4}}
		if g.labels[e][0] > 0 {
			label, ok = [2]float64{x + layerLoop + labelGap + g.labels[e][0]/2, y}, true
		}
		return pts, label, ok
	}
	var line [][2]float64
	for k, v := range le.chain {
		n := g.nodes[v]
		switch {
		case k == 0:
			line = append(line, [2]float64{n.x + g.port(v, le.chain[1], true), n.y + n.h/2}) // a call graph node: h is its box's
		case k == len(le.chain)-1:
			line = append(line, [2]float64{n.x + g.port(v, le.chain[k-1], false), n.y - n.h/2})
		case v == le.label:
			x := n.x - n.w/2 + labelGap // the edge on the left, its label on the right
			line = append(line, [2]float64{x, n.y})
			label, ok = [2]float64{x + labelGap + le.labelW/2, n.y}, true
		default:
			line = append(line, [2]float64{n.x, n.y})
		}
	}
	if le.reversed {
		slices.Reverse(line)
	}
	pts = append(pts, line[0])
	for k := 1; k < len(line); k++ {
		p, q := line[k-1], line[k]
		dy := (q[1] - p[1]) / 2
		pts = append(pts, [2]float64{p[0], p[1] + dy}, [2]float64{q[0], q[1] - dy}, q)
	}
	return pts, label, ok
}

// port is where on node v's bottom (out) or top border a segment to
// neighbour other leaves, as an offset from its centre: the node's
// segments on that side share its width in the order of their other ends.
func (g *layeredGraph) port(v, other int, out bool) float64 {
	links := g.nodes[v].up
	if out {
		links = g.nodes[v].down
	}
	if len(links) < 2 || !g.nodes[v].real {
		return 0
	}
	ends := make([]int, 0, len(links))
	for _, l := range links {
		ends = append(ends, l.to)
	}
	sort.SliceStable(ends, func(i, j int) bool { return g.nodes[ends[i]].x < g.nodes[ends[j]].x })
	i := slices.Index(ends, other)
	span := g.sizes[v][0] * 0.6
	return span * (float64(i)/float64(len(ends)-1) - 0.5)
}
