package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/disasm/disasmtest"
	"github.com/flamelens/flamelens/model/pproftest"
)

// TestDisasmPrintsWhatPprofPrints diffs flamelens disasm with go tool
// pprof -disasm on real CPU and heap profiles of a real program
// (testdata/busy, built and run here), with filters and a comparison, and
// on a profile of the same program built for arm64.
func TestDisasmPrintsWhatPprofPrints(t *testing.T) {
	busy, before := pproftest.ProfileBusy(t, t.TempDir(), "1s"), pproftest.ProfileBusy(t, t.TempDir(), "300ms")
	bin, cpu, mem := busy.Program, busy.CPU, busy.Heap
	arm := t.TempDir()
	armBin := pproftest.BuildBusy(t, arm, "arm64")
	armProfile := filepath.Join(arm, "cpu.pprof")
	disasmtest.SyntheticProfile(t, armBin, regexp.MustCompile(`^main\.|^runtime\.mallocgc$`), armProfile)

	tests := []struct {
		name    string
		flags   []string
		regex   string
		bin     string
		profile string
	}{
		{"the program's functions", nil, `main\.`, bin, cpu},
		{"every function sampled", nil, `.`, bin, cpu},
		{"filtered", []string{"-focus=fib", "-ignore=mallocgc"}, `.`, bin, cpu},
		{"heap", []string{"-sample_index=alloc_space"}, `.`, bin, mem},
		{"comparison", []string{"-diff_base=" + before.CPU}, `.`, bin, cpu},
		{"arm64", nil, `.`, armBin, armProfile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"disasm", "-binary", tc.bin}, tc.flags...), tc.regex, tc.profile)
			out, errOut, code := runCLI(args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			want := pprofOutput(t, append(append(tc.flags, "-disasm", tc.regex), tc.bin, tc.profile)...)
			if out != want {
				t.Errorf("flamelens disasm differs from go tool pprof -disasm:\n%s", firstDifference(out, want))
			}
			if !strings.Contains(out, "ROUTINE") || !regexp.MustCompile(`\n +\d\S* +\S+ +[0-9a-f]+: \S`).MatchString(out) {
				t.Errorf("no instruction with a cost:\n%.600s", out)
			}
		})
	}
	t.Run("pprof's argument order, the program found by itself", func(t *testing.T) {
		want := pprofOutput(t, "-disasm", `main\.`, bin, cpu)
		for _, args := range [][]string{{"disasm", `main\.`, bin, cpu}, {"disasm", `main\.`, cpu}} {
			out, errOut, code := runCLI(args...)
			if code != 0 || out != want {
				t.Errorf("%v: exit %d %s\n%s", args, code, errOut, firstDifference(out, want))
			}
		}
	})
}

// TestDisasmBadInput: a wrong, stripped, missing or foreign program, a
// bad or unmatched REGEX each get one line that says what and where.
func TestDisasmBadInput(t *testing.T) {
	dir := t.TempDir()
	busy := pproftest.ProfileBusy(t, dir, "200ms")
	bin, cpu := busy.Program, busy.CPU
	other := t.TempDir()
	rebuilt := pproftest.BuildBusy(t, other, runtime.GOARCH, "-trimpath")
	stripped := filepath.Join(other, "stripped")
	pproftest.BuildBusy(t, other, runtime.GOARCH, "-ldflags=-s", "-o", stripped)
	// The profile moved away from its program, which is then gone.
	away := filepath.Join(t.TempDir(), "cpu.pprof")
	data, err := os.ReadFile(cpu)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(away, data, 0o644); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(t.TempDir(), "gone.pprof")
	if err := os.WriteFile(gone, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"disasm", "-binary", bin, "(", cpu}, 2, "bad REGEX"},
		{[]string{"disasm", "-binary", bin, "NoSuchFunction", cpu}, 1, "no matches found for regexp NoSuchFunction"},
		{[]string{"disasm", "-binary", rebuilt, "main", cpu}, 1, "is not the program profiled: its build ID is"},
		{[]string{"disasm", "-binary", stripped, "main", cpu}, 1, "no symbol table"},
		{[]string{"disasm", "-binary", cpu, "main", cpu}, 1, "is not an ELF program"},
		{[]string{"disasm", "-binary", bin, "main", bin, cpu}, 2, "the program is given twice"},
		{[]string{"disasm", "-binary", filepath.Join(other, "nothing"), "main", cpu}, 1, "nothing"},
		{[]string{"disasm", "-binary", bin, "main"}, 2, "REGEX and SOURCE expected"},
	} {
		_, errOut, code := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want exit %d saying %q in one line", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	// With the program gone from where the profile says and from beside
	// it, flamelens says where it looked.
	if err := os.Rename(bin, bin+".moved"); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI("disasm", "main", gone)
	if code != 1 || !strings.Contains(errOut, "the profiled program was not found: "+bin) || !strings.Contains(errOut, "looked in") || !strings.Contains(errOut, "-binary") {
		t.Errorf("program gone: exit %d, %q", code, errOut)
	}
}
