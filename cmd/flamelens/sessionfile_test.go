package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session"
)

// A saved session given as SOURCE is what the window showed: its sources,
// comparison, sample type, granularity and steps, so top prints what
// go tool pprof prints for the same view. Function steps are checked
// against pprof's -show_from, which keeps the same stacks and frames
// (pprof marks inlined functions; a function step's stacks do not).
func TestSessionFileAsSource(t *testing.T) {
	dir := t.TempDir()
	pproftest.CopyTestdata(t, dir, "json.cpu.pprof", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof")
	in := func(name string) string { return filepath.Join(dir, name) }
	object := "encoding/json.(*decodeState).object"
	for _, tc := range []struct {
		name       string
		file       session.File
		flags      []string // given to flamelens top with the session
		unit       string
		pprof      []string // pprof's flags for the same view
		pprofFile  string
		ignoreMark bool
	}{
		{"filters, sample type and lines", session.File{Source: in("json.cpu.pprof"), SampleType: "samples", Granularity: "lines",
			Steps: []session.FileStep{{Kind: "filter", Filter: map[string]string{"focus": "Unmarshal"}}, {Kind: "filter", Filter: map[string]string{"ignore": "literalStore"}}}},
			nil, "count", []string{"-sample_index=samples", "-lines", "-focus=Unmarshal", "-ignore=literalStore"}, "json.cpu.pprof", false},
		{"a comparison, filtered", session.File{Source: in("json-gogc10.cpu.pprof"), DiffBase: in("json-gogcoff.cpu.pprof"),
			Steps: []session.FileStep{{Kind: "filter", Filter: map[string]string{"focus": "decodeState"}}}},
			nil, "nanoseconds", []string{"-diff_base=" + in("json-gogcoff.cpu.pprof"), "-focus=decodeState"}, "json-gogc10.cpu.pprof", false},
		{"a function focused, with a flag's filter after it", session.File{Source: in("json.cpu.pprof"),
			Steps: []session.FileStep{{Kind: "focus", Func: object}}},
			[]string{"-hide=^runtime\\."}, "nanoseconds", []string{`-show_from=^encoding/json\.\(\*decodeState\)\.object$`, "-hide=^runtime\\."}, "json.cpu.pprof", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := in(strings.ReplaceAll(tc.name, " ", "-") + ".flamelens")
			if err := tc.file.WriteFile(path); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := runCLI(append(append([]string{"top", "-n", "0"}, tc.flags...), path)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, "# steps: ") {
				t.Errorf("the header does not say the session's steps:\n%s", out[:300])
			}
			got := parseTop(t, out)
			want := pproftest.Top(t, in(tc.pprofFile), tc.unit, tc.pprof...)
			if len(got) != len(want) || len(got) == 0 {
				t.Errorf("%d rows, pprof has %d", len(got), len(want))
			}
			for i := 0; i < len(got) && i < len(want); i++ {
				if tc.ignoreMark {
					got[i].Mark, want[i].Mark = "", ""
				}
				if got[i] != want[i] {
					t.Errorf("row %d: %+v, pprof %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestSessionFileForEveryCommand: the other commands take a saved session
// too: insights of a saved comparison are about the change; report needs
// no -diff_base with one; traces says what it leaves out; an inverted
// session's picture is inverted.
func TestSessionFileForEveryCommand(t *testing.T) {
	dir := t.TempDir()
	pproftest.CopyTestdata(t, dir, "json.cpu.pprof", "json-gogcoff.cpu.pprof", "json-gogc10.cpu.pprof")
	in := func(name string) string { return filepath.Join(dir, name) }
	write := func(name string, f session.File) string {
		if err := f.WriteFile(in(name)); err != nil {
			t.Fatal(err)
		}
		return in(name)
	}
	object := "encoding/json.(*decodeState).object"
	cmp := write("cmp.flamelens", session.File{Source: in("json-gogc10.cpu.pprof"), DiffBase: in("json-gogcoff.cpu.pprof"),
		Steps: []session.FileStep{{Kind: "filter", Filter: map[string]string{"focus": "decodeState"}}}})
	out, errOut, code := runCLI("insights", cmp)
	if code != 0 || !strings.Contains(out, "# file: "+in("json-gogc10.cpu.pprof")) {
		t.Errorf("insights of a session: exit %d, %s\n%s", code, errOut, out)
	}
	out, errOut, code = runCLI("report", "-format", "json", cmp)
	if code != 0 || !strings.Contains(out, "\"before\"") {
		t.Errorf("report of a saved comparison: exit %d, %s\n%s", code, errOut, out)
	}
	// traces prints samples: a function step is said to be left out.
	focused := write("focused.flamelens", session.File{Source: in("json.cpu.pprof"), Steps: []session.FileStep{{Kind: "focus", Func: object}}})
	_, errOut, code = runCLI("traces", focused)
	if code != 0 || !strings.Contains(errOut, `the session's step "Focus: `+object+`" reshapes stacks and is left out`) {
		t.Errorf("traces of a session with a function step: exit %d, stderr %q", code, errOut)
	}
	// Inverted in the window, inverted in the export's picture: the
	// leaves at the root.
	invPath := write("inverted.flamelens", session.File{Source: in("json.cpu.pprof"), Inverted: true})
	svg := func(args ...string) string {
		out, errOut, code := runCLI(append([]string{"export", "-format", "svg"}, args...)...)
		if code != 0 {
			t.Fatalf("export %v: exit %d, %s", args, code, errOut)
		}
		return out
	}
	if a, b := svg(invPath), svg(in("json.cpu.pprof")); a == b {
		t.Error("the inverted session's flame graph is the same as the profile's")
	}
}

// A session file that cannot be used says why, in one line naming it,
// with the exit code of its kind; a comparison saved and given again is
// a usage error.
func TestSessionFileAsSourceErrors(t *testing.T) {
	dir := t.TempDir()
	pproftest.CopyTestdata(t, dir, "json.cpu.pprof", "json-gogcoff.cpu.pprof")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, text string
		args       []string
		code       int
		says       string
	}{
		{"newer.flamelens", `{"flamelens_session": 2, "source": "json.cpu.pprof"}`, nil, 1, "version"},
		{"kind.flamelens", `{"flamelens_session": 1, "source": "json.cpu.pprof", "steps": [{"kind": "zoom"}]}`, nil, 1, `unknown kind "zoom"`},
		{"gone.flamelens", `{"flamelens_session": 1, "source": "gone.pprof"}`, nil, 1, "gone.pprof"},
		{"garbage.flamelens", `not json`, nil, 1, "not a flamelens session"},
		{"twice.flamelens", `{"flamelens_session": 1, "source": "json.cpu.pprof", "diff_base": "json-gogcoff.cpu.pprof"}`,
			[]string{"-diff_base=" + filepath.Join(dir, "json.cpu.pprof")}, 2, "is a comparison already"},
		{"report.flamelens", `{"flamelens_session": 1, "source": "json.cpu.pprof"}`, []string{"report"}, 2, "compares two profiles"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := write(tc.name, tc.text)
			args := []string{"top"}
			if len(tc.args) > 0 && tc.args[0] == "report" {
				args = nil
			}
			_, errOut, code := runCLI(append(append(args, tc.args...), path)...)
			if code != tc.code || !strings.Contains(errOut, tc.says) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line saying %q", code, errOut, tc.code, tc.says)
			}
		})
	}
}
