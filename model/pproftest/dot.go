package pproftest

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// DotNode is a node of go tool pprof -dot's graph.
type DotNode struct {
	Name      string
	Flat, Cum int64
}

// DotEdge is an edge of go tool pprof -dot's graph.
type DotEdge struct {
	Src, Dst         string
	Weight           int64
	Residual, Inline bool
}

var (
	dotNodeRx  = regexp.MustCompile(`^N(\d+) \[label="([^"]*)".* tooltip="(.*) \(-?\d+(?:ns|B)?\)"`)
	dotEdgeRx  = regexp.MustCompile(`^N(\d+) -> N(\d+) \[label=" (-?\d+)(?:ns|B)?([^"]*)"(.*)`)
	flatRx     = regexp.MustCompile(`^(-?\d+)(?:ns|B)? \(`)
	cumRx      = regexp.MustCompile(`^(?:(-?\d+)(?:ns|B)? )?of (-?\d+)(?:ns|B)? \(`)
	dotQuoteRx = regexp.MustCompile(`\\n`)
)

// Dot runs go tool pprof -dot with flags on file (of the given unit) and
// returns its nodes in pprof's order and its edges.
func Dot(tb testing.TB, file, unit string, flags ...string) ([]DotNode, []DotEdge) {
	tb.Helper()
	args := []string{"tool", "pprof", "-dot"}
	args = append(args, unitFlag(unit)...)
	args = append(args, flags...)
	args = append(args, file)
	out, err := exec.Command(GoTool(tb), args...).Output()
	if err != nil {
		tb.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	var nodes []DotNode
	byID := map[string]string{}
	var edges []DotEdge
	for _, line := range strings.Split(string(out), "\n") {
		if m := dotNodeRx.FindStringSubmatch(line); m != nil {
			n := DotNode{Name: m[3]}
			cum := false
			for _, part := range dotQuoteRx.Split(m[2], -1) {
				if c := cumRx.FindStringSubmatch(part); c != nil {
					if c[1] != "" {
						n.Flat = value(tb, c[1])
					}
					n.Cum, cum = value(tb, c[2]), true
				} else if f := flatRx.FindStringSubmatch(part); f != nil {
					n.Flat = value(tb, f[1])
				}
			}
			if !cum {
				n.Cum = n.Flat
			}
			byID[m[1]] = n.Name
			nodes = append(nodes, n)
			continue
		}
		if m := dotEdgeRx.FindStringSubmatch(line); m != nil {
			edges = append(edges, DotEdge{
				Src: byID[m[1]], Dst: byID[m[2]], Weight: value(tb, m[3]),
				Inline: strings.Contains(m[4], "(inline)"), Residual: strings.Contains(m[5], "style=\"dotted\""),
			})
		}
	}
	if len(nodes) == 0 {
		tb.Fatalf("go tool pprof -dot printed no nodes:\n%.2000s", out)
	}
	return nodes, edges
}
