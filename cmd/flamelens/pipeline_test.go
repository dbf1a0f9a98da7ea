package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/insights"
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

// TestSessionsMeanTheSameEverywhere gives every command the table of
// saved sessions the window's test opens too (sessiontest.SessionCases):
// top prints pprof's numbers for the view root-first, export -format
// proto writes it as pprof would (a sandwich: the samples through its
// function), a comparison's report and every view's insights are
// root-first even when the session drew the graph inverted, and a file
// that does not check out is refused by each with the same words.
func TestSessionsMeanTheSameEverywhere(t *testing.T) {
	for _, tc := range sessiontest.SessionCases("../../testdata") {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			path := tc.Write(t)
			if tc.Refused != "" {
				for _, cmd := range []string{"top", "export", "report", "insights", "traces"} {
					_, stderr, code := runCLI(cmd, path)
					if code == 0 {
						t.Errorf("%s opened the session", cmd)
					}
					tc.CheckRefusal(t, stderr)
				}
				return
			}
			out, stderr, code := runCLI("top", "-n", "0", path)
			if code != 0 {
				t.Fatalf("top: exit %d: %s", code, stderr)
			}
			m := totalLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("top: no total in\n%s", out)
			}
			total, _ := strconv.ParseInt(m[1], 10, 64)
			tc.Pprof.Check(t, parseTop(t, out), total)

			proto := t.TempDir() + "/view.pb.gz"
			if _, stderr, code := runCLI("export", "-format", "proto", "-o", proto, path); code != 0 {
				t.Fatalf("export -format proto: exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(proto)
			if err != nil {
				t.Fatal(err)
			}
			tc.CheckProto(t, data)

			out, stderr, code = runCLI("insights", "-json", path)
			if code != 0 {
				t.Fatalf("insights: exit %d: %s", code, stderr)
			}
			var findings []insights.Finding
			if err := json.Unmarshal([]byte(out), &findings); err != nil {
				t.Fatal(err)
			}
			tc.CheckFindings(t, findings)

			if tc.Pprof.Comparing() {
				out, stderr, code = runCLI("report", path)
				if code != 0 {
					t.Fatalf("report: exit %d: %s", code, stderr)
				}
				tc.CheckReport(t, out)
			}
		})
	}
}
