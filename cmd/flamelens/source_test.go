package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/listing"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// pprofOutput runs go tool pprof with args and returns what it prints.
func pprofOutput(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(pproftest.GoTool(t), append([]string{"tool", "pprof"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go tool pprof %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// TestListPrintsWhatPprofPrints diffs flamelens list with go tool pprof
// -list on real CPU and heap profiles: one function, many (with inlined
// callees, recursion), another sample type, filters and a comparison.
func TestListPrintsWhatPprofPrints(t *testing.T) {
	testdata := filepath.Join("..", "..", "testdata")
	tests := []struct {
		name  string
		flags []string
		regex string
		file  string
	}{
		{"one function", nil, `json.\(\*decodeState\).object$`, "json.cpu.pprof"},
		{"inlined callees", nil, `encode`, "json.cpu.pprof"},
		{"runtime assembly and C-like code", nil, `runtime.mallocgc`, "json.cpu.pprof"},
		{"recursion", nil, `sort`, "sort.cpu.pprof"},
		{"heap", []string{"-sample_index=alloc_space"}, `decode`, "json.mem.pprof"},
		{"filtered", []string{"-focus=Unmarshal"}, `reflect.Value.Field$`, "json.cpu.pprof"},
		{"comparison", []string{"-diff_base=" + filepath.Join(testdata, "json-gogcoff.cpu.pprof")}, `Marshal`, "json.cpu.pprof"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(testdata, tc.file)
			args := append(append([]string{"list"}, tc.flags...), tc.regex, file)
			out, errOut, code := runCLI(args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			want := pprofOutput(t, append(append(tc.flags, "-list", tc.regex), file)...)
			if out != want {
				t.Errorf("flamelens list differs from go tool pprof -list:\n%s", firstDifference(out, want))
			}
			if strings.Count(out, "ROUTINE") == 0 || !regexp.MustCompile(`\n +\S+ +\S+ +\d+:`).MatchString(out) {
				t.Errorf("no routine with lines listed:\n%.400s", out)
			}
		})
	}
}

// firstDifference shows the first line where got and want part.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  flamelens: " + a + "\n  pprof:     " + b
		}
	}
	return ""
}

// TestListInlinedCallees checks that a listing knows the calls on a line,
// inlined ones marked, with the callee's cost.
func TestListInlinedCallees(t *testing.T) {
	p, err := model.Load(filepath.Join("..", "..", "testdata", "json.cpu.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.CollectStacks(p, 1, model.Lines)
	if err != nil {
		t.Fatal(err)
	}
	routines, err := listing.Routines(s, regexp.MustCompile(`^encoding/json.structEncoder.encode$`))
	if err != nil {
		t.Fatal(err)
	}
	inlined, called := 0, 0
	for _, r := range routines {
		for _, l := range r.Lines {
			for _, c := range l.Calls {
				called++
				if c.Inlined {
					inlined++
				}
				if c.Value > l.Cum {
					t.Errorf("line %d: call of %s has %d, more than the line's cum %d", l.Line, c.Function, c.Value, l.Cum)
				}
			}
		}
	}
	if called == 0 || inlined == 0 {
		t.Errorf("%d calls, %d of them inlined: want both", called, inlined)
	}
}

func TestListBadInput(t *testing.T) {
	file := filepath.Join("..", "..", "testdata", "json.cpu.pprof")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"list", "(", file}, 2, "bad REGEX"},
		{[]string{"list", "NoSuchFunctionAnywhere", file}, 1, "no matches found for regexp: NoSuchFunctionAnywhere"},
		{[]string{"list", "x"}, 2, "REGEX and SOURCE expected"},
		{[]string{"list", "x", filepath.Join(t.TempDir(), "missing.pprof")}, 1, "missing.pprof"},
	} {
		_, errOut, code := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want exit %d saying %q in one line", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

// TestListFindsSourcesBuiltElsewhere lists a profile taken on a machine
// whose Go lived elsewhere: pprof cannot find the files; flamelens reads
// them from this machine's Go installation and prints what pprof prints
// for the same profile where the files are.
func TestListFindsSourcesBuiltElsewhere(t *testing.T) {
	orig := filepath.Join("..", "..", "testdata", "json.cpu.pprof")
	p, err := model.Load(orig)
	if err != nil {
		t.Fatal(err)
	}
	const there = "/opt/build-machine/go/src/"
	for _, fn := range p.Raw.Function {
		if rest, ok := strings.CutPrefix(fn.Filename, "/usr/local/go/src/"); ok {
			fn.Filename = there + rest
		}
	}
	moved := filepath.Join(t.TempDir(), "moved.pprof")
	f, err := os.Create(moved)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Raw.Write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	const regex = `json.\(\*decodeState\).object$`
	want := pprofOutput(t, "-list", regex, orig)
	if !strings.Contains(want, "/usr/local/go/src/") {
		t.Skip("this machine's Go is not where the profile's was")
	}
	out, errOut, code := runCLI("list", regex, moved)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := strings.ReplaceAll(out, there, "/usr/local/go/src/"); got != want {
		t.Errorf("listing differs:\n%s", firstDifference(got, want))
	}
	if theirs := pprofOutput(t, "-list", regex, moved); !strings.Contains(theirs, " Error: ") {
		t.Errorf("pprof found the moved files after all:\n%.300s", theirs)
	}
}
