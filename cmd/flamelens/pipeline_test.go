package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/session/sessiontest"
)

var totalLine = regexp.MustCompile(`(?m)^# total: (\d+)$`)

// TestFlagsMeanTheSameEverywhere runs the table of flag combinations that
// the window's test runs too (sessiontest.Cases) through each headless
// command: top prints pprof's numbers for each, find and export accept
// what top accepts, and every command, the window's command line too,
// refuses the same combinations with the same words.
func TestFlagsMeanTheSameEverywhere(t *testing.T) {
	for _, tc := range sessiontest.Cases("../../testdata") {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			for _, cmd := range []struct{ head, tail []string }{
				{[]string{"top", "-n", "0"}, tc.Files()},
				{[]string{"export", "-o", t.TempDir() + "/out.folded"}, tc.Files()},
				{[]string{"export", "-view", "graph", "-format", "dot", "-o", t.TempDir() + "/out.dot"}, tc.Files()},
				{[]string{"find"}, append([]string{"json"}, tc.Files()...)},
				{[]string{"-merge"}, tc.Files()}, // the window
			} {
				if cmd.head[0] == "-merge" && tc.Usage == "" {
					continue // a valid window needs a display: the ui test runs this table
				}
				args := append(append(append([]string{}, cmd.head...), tc.Flags()...), cmd.tail...)
				out, stderr, code := runCLI(args...)
				switch {
				case tc.Usage == "" && code != 0:
					t.Errorf("%v: exit %d: %s", args, code, stderr)
				case tc.Usage != "" && (code != 2 || strings.TrimSpace(stderr) != "flamelens: "+tc.Usage):
					t.Errorf("%v: exit %d, %q; want exit 2, %q", args, code, stderr, tc.Usage)
				case tc.Usage == "" && cmd.head[0] == "top":
					m := totalLine.FindStringSubmatch(out)
					if m == nil {
						t.Fatalf("%v: no total in\n%s", args, out)
					}
					total, _ := strconv.ParseInt(m[1], 10, 64)
					tc.Check(t, parseTop(t, out), total)
				}
			}
		})
	}
}
