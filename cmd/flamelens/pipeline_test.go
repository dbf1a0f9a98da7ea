package main

import (
	"strings"
	"testing"
)

// TestFlagsMeanTheSameEverywhere runs one table of flag combinations
// through the window's command line and each headless command: the same
// combinations are refused with the same words, and the rest accepted.
func TestFlagsMeanTheSameEverywhere(t *testing.T) {
	const (
		a = "../../testdata/json-gogcoff.cpu.pprof"
		b = "../../testdata/json-gogc10.cpu.pprof"
	)
	tests := []struct {
		name  string
		flags []string
		want  string // the usage error, or "" for none
	}{
		{"plain", nil, ""},
		{"diff_base", []string{"-diff_base", a}, ""},
		{"base", []string{"-base", a}, ""},
		{"diff_base normalized", []string{"-diff_base", a, "-normalize"}, ""},
		{"base normalized", []string{"-base", a, "-normalize"}, ""},
		{"both bases", []string{"-diff_base", a, "-base", a}, "-diff_base and -base cannot both be given"},
		{"normalize alone", []string{"-normalize"}, "-normalize needs -diff_base or -base"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, cmd := range []struct{ head, tail []string }{
				{nil, []string{b}}, // the window
				{[]string{"top"}, []string{b}},
				{[]string{"export", "-o", t.TempDir() + "/out.folded"}, []string{b}},
				{[]string{"find"}, []string{"json", b}},
			} {
				if cmd.head == nil && tc.want == "" {
					continue // a valid window needs a display: the smoke tests open one
				}
				args := append(append(append([]string{}, cmd.head...), tc.flags...), cmd.tail...)
				_, stderr, code := runCLI(args...)
				switch {
				case tc.want == "" && code != 0:
					t.Errorf("%v: exit %d: %s", args, code, stderr)
				case tc.want != "" && (code != 2 || strings.TrimSpace(stderr) != "flamelens: "+tc.want):
					t.Errorf("%v: exit %d, %q; want exit 2, %q", args, code, stderr, tc.want)
				}
			}
		})
	}
}
