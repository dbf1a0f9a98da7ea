package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session"
)

// pprofDisasm runs go tool pprof with flags -disasm regex bin profile and
// returns its instruction lines' address → "flat cum" as it prints them.
func pprofDisasm(t *testing.T, flags []string, regex, bin, profile string) map[string]string {
	t.Helper()
	args := append(append([]string{"tool", "pprof"}, flags...), "-disasm", regex, bin, profile)
	out, err := exec.Command(pproftest.GoTool(t), args...).Output()
	if err != nil {
		t.Fatalf("go %v: %v", args, err)
	}
	re := regexp.MustCompile(`^ *(\S+) +(\S+) +([0-9a-f]+): `)
	m := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if g := re.FindStringSubmatch(line); g != nil {
			m[g[3]] = g[1] + " " + g[2]
		}
	}
	return m
}

// TestMachineCodeView opens a real program's profile, shows a function's
// machine code and checks it against go tool pprof -disasm: every
// instruction pprof prints with a cost is in the pane with the same
// flat and cum, under a row of its source line; picking an instruction
// highlights its function's frames; switching back shows the source.
func TestMachineCodeView(t *testing.T) {
	dir := t.TempDir()
	busy := pproftest.ProfileBusy(t, dir, "1s")
	bin, cpu := busy.Program, busy.CPU
	w := openTest(t, Options{Source: cpu})
	const fn = "main.main"
	w.code.showAssembly(fn, false)
	w.wait()
	sp := w.codePane
	if !sp.box.Visible() || sp.mode != modeAsm || sp.asm == nil {
		t.Fatalf("the machine code is not shown: %+v", sp.rows)
	}
	if !strings.Contains(sp.title.Text, fn+" (machine code) — flat ") {
		t.Errorf("title %q", sp.title.Text)
	}
	if rowWith(sp, rowHeader, "flat       cum  source line / address  instruction") != 1 {
		t.Errorf("the columns are not named under the routine: %+v", sp.rows[:2])
	}
	checkInstructions(t, sp, pprofDisasm(t, nil, `main\.main($| )`, bin, cpu))
	// The source lines read as the file does: main.go's loop is found.
	if rowWith(sp, rowLine, "main.go:") < 0 {
		t.Error("no row names main.go's lines")
	}
	// Picking the hottest instruction highlights main.main's frames.
	hot, heat := -1, float32(0)
	for i, r := range sp.rows {
		if r.kind == rowInst && r.heat > heat {
			hot, heat = i, r.heat
		}
	}
	sp.list.Select(hot)
	tree := w.graph.Tree()
	if f, ok := tree.FuncByName(fn); !ok || !w.graph.highlight[f] {
		t.Errorf("picking an instruction did not highlight %s", fn)
	}
	// Back to the source, and to the machine code again.
	sp.toggle.OnTapped()
	w.wait()
	if sp.mode != modeSource || sp.listing == nil || sp.listing.Function != fn {
		t.Errorf("the toggle did not show the source: mode %v", sp.mode)
	}
	sp.toggle.OnTapped()
	w.wait()
	if sp.mode != modeAsm || sp.asm == nil {
		t.Error("the toggle did not show the machine code again")
	}
	checkMachineCodeFollowsTheView(t, w)
}

// checkInstructions compares the pane's instructions with pprof -disasm's
// (want: flat and cum by address), and says if they are not grouped under
// their source lines.
func checkInstructions(t *testing.T, sp *codePane, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	lineRows := 0
	for _, r := range sp.rows {
		switch r.kind {
		case rowInst:
			f := strings.Fields(r.text)
			got[f[2]] = f[0] + " " + f[1]
		case rowLine:
			lineRows++
		}
	}
	costed := 0
	for addr, v := range want {
		if v == ". ." {
			continue
		}
		costed++
		if got[addr] != v {
			t.Errorf("instruction at %s: pane has %q, pprof %q", addr, got[addr], v)
		}
	}
	if costed == 0 || len(got) < len(want) {
		t.Errorf("%d instructions in the pane, pprof has %d (%d with costs)", len(got), len(want), costed)
	}
	if lineRows == 0 || lineRows >= len(got) {
		t.Errorf("%d source line rows over %d instructions: not grouped", lineRows, len(got))
	}
}

// checkMachineCodeFollowsTheView: dropping the stacks through main.fib
// (-ignore) lowers main.main's costs; focusing on main.fib leaves
// main.main out of the view, and the pane closes.
func checkMachineCodeFollowsTheView(t *testing.T, w *MainWindow) {
	t.Helper()
	sp := w.codePane
	if _, ok := w.graph.Tree().FuncByName("main.fib"); !ok {
		t.Fatal("the busy run has no sample in main.fib: nothing to ignore")
	}
	before := sp.asm.Routines[0].Cum
	w.filters.add(session.FilterStep("ignore", "main.fib"))
	w.wait()
	if !sp.box.Visible() || sp.asm == nil || sp.asm.Routines[0].Cum >= before {
		t.Errorf("with main.fib ignored, main.main's machine code costs %d (was %d)", sp.asm.Routines[0].Cum, before)
	}
	w.filters.undo()
	w.wait()
	tree := w.graph.Tree()
	f, ok := tree.FuncByName("main.fib")
	if !ok {
		t.Fatal("no main.fib in the flame graph")
	}
	w.filters.add(session.FuncStep(session.StepFocus, tree.Funcs[f]))
	w.wait()
	if sp.box.Visible() {
		t.Error("focused on main.fib, the pane still shows main.main's machine code")
	}
}

// TestMachineCodeNeedsTheProgram: with the program gone, the pane says
// where it looked and offers to pick it; a program picked for the profile
// is remembered and used.
func TestMachineCodeNeedsTheProgram(t *testing.T) {
	dir := t.TempDir()
	busy := pproftest.ProfileBusy(t, dir, "300ms")
	bin, cpu := busy.Program, busy.CPU
	moved := filepath.Join(t.TempDir(), "kept-elsewhere")
	if err := os.Rename(bin, moved); err != nil {
		t.Fatal(err)
	}
	w := openTest(t, Options{Source: cpu})
	w.code.showAssembly("main.main", false)
	w.wait()
	sp := w.codePane
	if sp.asm != nil || rowWith(sp, rowNote, "the profiled program was not found: "+bin) < 0 || rowWith(sp, rowNote, "Program…") < 0 || !sp.program.Visible() {
		t.Fatalf("no note on the missing program: %+v", sp.rows)
	}
	w.app.Preferences().SetString(programKeyPart+w.shown.profilePath, moved)
	w.code.showAssembly("main.main", false)
	w.wait()
	if sp.asm == nil || sp.asm.Program != moved {
		t.Fatalf("the program picked is not used: %+v", sp.rows)
	}
	// The built-in sample names no program that exists.
	s := openTest(t, Options{})
	fn := ""
	for _, f := range s.graph.Tree().Funcs {
		if f.Function != "" {
			fn = f.Function
			break
		}
	}
	s.code.showAssembly(fn, false)
	s.wait()
	if s.codePane.asm != nil || rowWith(s.codePane, rowNote, "Program…") < 0 {
		t.Errorf("the sample's machine code: %+v", s.codePane.rows)
	}
}

// TestMachineCodeComparison shows BASE, NEW and the change per
// instruction; NEW minus BASE summed is pprof's -diff_base total.
func TestMachineCodeComparison(t *testing.T) {
	after, before := pproftest.ProfileBusy(t, t.TempDir(), "600ms"), pproftest.ProfileBusy(t, t.TempDir(), "300ms")
	bin, cpu, base := after.Program, after.CPU, before.CPU
	w := openTest(t, Options{Source: cpu, DiffBase: base, Binary: bin})
	w.code.showAssembly("main.main", false)
	w.wait()
	sp := w.codePane
	if sp.asm == nil || !sp.asm.Comparing {
		t.Fatalf("no comparison's machine code: %+v", sp.rows)
	}
	r := sp.asm.Routines[0]
	want := pprofDisasm(t, []string{"-diff_base=" + base}, `main\.main($| )`, bin, cpu)
	dot := func(v int64) string {
		if v == 0 {
			return "."
		}
		return model.PprofValue(v, sp.asm.Unit)
	}
	changed := 0
	for _, in := range r.Insts {
		got := dot(in.Flat-in.OtherFlat) + " " + dot(in.Cum-in.OtherCum)
		if w, ok := want[fmt.Sprintf("%x", in.Addr)]; ok && got != w {
			t.Errorf("instruction at %x: NEW−BASE %q, pprof -diff_base %q", in.Addr, got, w)
		}
		if in.Cum != in.OtherCum {
			changed++
		}
	}
	if changed == 0 || r.Cum == 0 || r.OtherCum == 0 {
		t.Errorf("NEW %d, BASE %d, %d instructions changed", r.Cum, r.OtherCum, changed)
	}
	if rowWith(sp, rowHeader, "BASE       NEW    change") < 0 {
		t.Error("the columns are not named BASE, NEW and change")
	}
	if !strings.Contains(sp.title.Text, "cum BASE ") || rowWith(sp, rowInst, "+") < 0 && rowWith(sp, rowInst, "-") < 0 {
		t.Errorf("title %q; no change shown per instruction", sp.title.Text)
	}
}
