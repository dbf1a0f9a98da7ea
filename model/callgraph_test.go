package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

func checkGraph(t *testing.T, file string, sampleIndex int, opt GraphOptions, flags ...string) {
	t.Helper()
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	g, err := BuildCallGraph(p, sampleIndex, opt)
	if err != nil {
		t.Fatal(err)
	}
	flags = append(flags, "-sample_index="+strconv.Itoa(sampleIndex))
	wantNodes, wantEdges := pproftest.Dot(t, file, g.SampleType.Unit, flags...)
	var gotNodes []pproftest.DotNode
	for i, n := range g.Nodes {
		gotNodes = append(gotNodes, pproftest.DotNode{Name: g.Name(i), Flat: n.Flat, Cum: n.Cum})
	}
	if len(gotNodes) != len(wantNodes) {
		t.Errorf("%d nodes, pprof keeps %d", len(gotNodes), len(wantNodes))
	}
	for i := 0; i < len(gotNodes) && i < len(wantNodes); i++ {
		if gotNodes[i] != wantNodes[i] {
			t.Errorf("node %d: %+v, pprof %+v", i+1, gotNodes[i], wantNodes[i])
		}
	}
	var gotEdges []string
	for _, e := range g.Edges {
		gotEdges = append(gotEdges, fmt.Sprintf("%s -> %s %d residual=%v inline=%v", g.Name(e.Src), g.Name(e.Dst), e.Weight, e.Residual, e.Inline))
	}
	var want []string
	for _, e := range wantEdges {
		want = append(want, fmt.Sprintf("%s -> %s %d residual=%v inline=%v", e.Src, e.Dst, e.Weight, e.Residual, e.Inline))
	}
	slices.Sort(gotEdges)
	slices.Sort(want)
	if strings.Join(gotEdges, "\n") != strings.Join(want, "\n") {
		t.Errorf("edges differ from pprof's:\n%s", diffLines(gotEdges, want))
	}
}

// diffLines lists the lines only in a (-) or only in b (+).
func diffLines(a, b []string) string {
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

func TestCallGraphMatchesPprof(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		index int
		opt   GraphOptions
		flags []string
	}{
		{"cpu defaults", "json.cpu.pprof", 1, DefaultGraphOptions, nil},
		{"cpu 30 nodes", "json.cpu.pprof", 1, GraphOptions{NodeCount: 30, NodeFraction: 0.005, EdgeFraction: 0.001}, []string{"-nodecount=30"}},
		{"cpu fractions", "json.cpu.pprof", 1, GraphOptions{NodeCount: 80, NodeFraction: 0.02, EdgeFraction: 0.01}, []string{"-nodefraction=0.02", "-edgefraction=0.01"}},
		{"heap alloc_space", "json.mem.pprof", 1, DefaultGraphOptions, nil},
		{"sort recursion", "sort.cpu.pprof", 1, DefaultGraphOptions, nil},
		{"regexp", "regexp.cpu.pprof", 1, GraphOptions{NodeCount: 40, NodeFraction: 0.005, EdgeFraction: 0.001}, []string{"-nodecount=40"}},
		{"cpu lines", "json.cpu.pprof", 1, GraphOptions{NodeCount: 80, NodeFraction: 0.005, EdgeFraction: 0.001, Granularity: Lines}, []string{"-lines"}},
		{"heap filefunctions", "json.mem.pprof", 1, GraphOptions{NodeCount: 80, NodeFraction: 0.005, EdgeFraction: 0.001, Granularity: FileFunctions}, []string{"-filefunctions"}},
		{"cpu addresses", "json.cpu.pprof", 1, GraphOptions{NodeCount: 80, NodeFraction: 0.005, EdgeFraction: 0.001, Granularity: Addresses}, []string{"-addresses"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGraph(t, "../testdata/"+tc.file, tc.index, tc.opt, tc.flags...)
		})
	}
}

func TestNeighborhood(t *testing.T) {
	p, err := Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	g, err := BuildCallGraph(p, 1, DefaultGraphOptions)
	if err != nil {
		t.Fatal(err)
	}
	const name = "encoding/json.(*decodeState).object"
	n := g.Neighborhood(name)
	if n == nil {
		t.Fatal("no neighbourhood")
	}
	var center int
	var names []string
	for i := range n.Nodes {
		names = append(names, n.Name(i))
		if n.Name(i) == name {
			center = i
		}
	}
	// Every node is the center or next to it; every edge is among them.
	for i := range n.Nodes {
		if i == center {
			continue
		}
		next := false
		for _, e := range n.Edges {
			if (e.Src == center && e.Dst == i) || (e.Dst == center && e.Src == i) {
				next = true
			}
		}
		if !next {
			t.Errorf("%s is not a caller or callee of %s", n.Name(i), name)
		}
	}
	if !slices.Contains(names, "encoding/json.(*decodeState).value") || len(n.Nodes) >= len(g.Nodes) {
		t.Errorf("neighbourhood %v", names)
	}
	if g.Neighborhood("no such function") != nil {
		t.Error("a missing function has a neighbourhood")
	}
}
