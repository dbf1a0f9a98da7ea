package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// runChild runs this binary's main in a child process with env added, as
// a user's shell would, and returns its output and exit code.
func runChild(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "FLAMELENS_TEST_MAIN=1"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestSuccessIsSilentUnderTheCLocale(t *testing.T) {
	// LANG=C.UTF-8 is the default of most containers and CI images.
	dir := t.TempDir()
	cpu := "../../testdata/json.cpu.pprof"
	for _, args := range [][]string{
		{"top", cpu},
		{"top", "-focus=json", cpu},
		{"export", "-format", "svg", "-o", filepath.Join(dir, "a.svg"), cpu},
		{"find", "unmarshal", cpu},
		{"version"},
		{"top", "--help"},
	} {
		for _, env := range [][]string{{"LANG=C.UTF-8", "LC_ALL=", "LANGUAGE="}, {"LC_ALL=POSIX", "LANGUAGE="}, {"LANG=C", "LC_ALL=", "LANGUAGE="}} {
			_, stderr, code := runChild(t, env, args...)
			if code != 0 || stderr != "" {
				t.Errorf("%v with %v: exit %d, stderr %q", args, env, code, stderr)
			}
		}
	}
}

func TestUsageErrorIsOneLine(t *testing.T) {
	for _, args := range [][]string{{"-bogus"}, {"top", "-x", "a"}, {"export", "-width"}, {"find", "q"}} {
		stdout, stderr, code := runChild(t, []string{"LANG=C.UTF-8"}, args...)
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if code != 2 || len(lines) != 1 || stdout != "" || strings.Contains(stderr, "main.go") || strings.Contains(stderr, "Usage") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and one line", args, code, stderr, stdout)
		}
		if !strings.HasPrefix(stderr, "flamelens: ") || !strings.Contains(stderr, "--help)") {
			t.Errorf("%v: %q does not name flamelens and point at --help", args, stderr)
		}
	}
}

func TestFoldedWarningsGoToStderr(t *testing.T) {
	file := filepath.Join(t.TempDir(), "py-spy.txt")
	text := "Collecting samples from 'python app.py' (python v3.11)\nmain;run;work 10\nmain;run 2\nDone: wrote 12 samples.\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI("top", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "flamelens: warning: " + file + ": skipped 2 lines that are not folded stacks (the first, line 1: "
	if !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line starting %q", stderr, want)
	}
	if !strings.Contains(stdout, "10\t83.33%\t10\t83.33%\twork\n") {
		t.Errorf("top:\n%s", stdout)
	}
	// No good line at all: an error naming the first line.
	bad := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(bad, []byte("just some notes\nnothing else\n"), 0o644)
	_, stderr, code = runCLI("top", bad)
	if code != 1 || !strings.Contains(stderr, "not folded stacks: line 1: ") || strings.Contains(stderr, "unrecognized profile format") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

func TestTwoCountFoldedTopIsDiffBase(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	diff := write("diff.folded", "main;json.Unmarshal;reflect 400 260\nmain;json.Unmarshal 100 40\nmain;serve 50 80\nmain;gc 0 30\n")
	before := write("before.folded", "main;json.Unmarshal;reflect 400\nmain;json.Unmarshal 100\nmain;serve 50\n")
	after := write("after.folded", "main;json.Unmarshal;reflect 260\nmain;json.Unmarshal 40\nmain;serve 80\nmain;gc 30\n")
	got, stderr, code := runCLI("top", "-n", "0", diff)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, _, _ := runCLI("top", "-n", "0", "-diff_base", before, after)
	strip := func(s string) string { return regexp.MustCompile(`(?m)^# file: .*\n`).ReplaceAllString(s, "") }
	if strip(got) != strip(want) {
		t.Errorf("two-count top:\n%s\nwant -diff_base's:\n%s", got, want)
	}
	if !strings.Contains(got, "# total: 550\n") || !strings.Contains(got, "-140\t-25.45%\t") {
		t.Errorf("not NEW minus BASE with BASE's total:\n%s", got)
	}
	if _, stderr, code := runCLI("top", "-diff_base", before, diff); code != 1 || !strings.Contains(stderr, "is a comparison already") {
		t.Errorf("comparing a comparison: exit %d, %q", code, stderr)
	}
}

func TestTopEscapesControlCharacters(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kernel.folded")
	// A kernel symbol with a tab, as perf writes them, and a control byte.
	text := "main;__nf_conntrack_find_get\t[nf_conntrack] 5\nmain;odd\x1bname 3\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI("top", "-n", "0", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := parseTop(t, out) // every row is five tab-separated fields on one line
	names := map[string]bool{}
	for _, r := range rows {
		names[r.Name] = true
	}
	if !names[`__nf_conntrack_find_get\t[nf_conntrack]`] || !names[`odd\x1bname`] {
		t.Errorf("names %v", names)
	}
	// Exported, then read back: the same stacks and values.
	folded := filepath.Join(t.TempDir(), "out.folded")
	if _, stderr, code := runCLI("export", "-o", folded, file); code != 0 {
		t.Fatal(stderr)
	}
	again, _, _ := runCLI("top", "-n", "0", folded)
	strip := func(s string) string { return regexp.MustCompile(`(?m)^# file: .*\n`).ReplaceAllString(s, "") }
	if strip(again) != strip(out) {
		t.Errorf("after export and import:\n%s\nwant:\n%s", again, out)
	}
	found, _, _ := runCLI("find", "conntrack", file)
	if fields := strings.Split(strings.TrimSuffix(found, "\n"), "\t"); len(fields) != 3 || fields[0] != `__nf_conntrack_find_get\t[nf_conntrack]` {
		t.Errorf("find printed %q", found)
	}
	help, _, _ := runCLI("top", "--help")
	if !strings.Contains(help, `\t, \n`) {
		t.Errorf("top --help does not say how names are escaped")
	}
}

func TestTopNamesAndMarksAsPprof(t *testing.T) {
	// Go generic instantiations shortened and inline marks, as go tool
	// pprof -top prints them by default.
	file := "../../testdata/json.cpu.pprof"
	out, _, _ := runCLI("top", "-n", "0", file)
	got := parseTop(t, out)
	want := pproftest.Top(t, file, "nanoseconds")
	marks, generic := 0, false
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, pprof %+v", i, got[i], want[i])
		}
		if got[i].Mark != "" {
			marks++
		}
		generic = generic || strings.Contains(got[i].Name, "OnceValue[go.shape.func].func3")
	}
	if len(got) != len(want) || marks < 10 || !generic {
		t.Errorf("%d rows (pprof %d), %d marked, shortened generic found: %v", len(got), len(want), marks, generic)
	}
}

func TestReadmeSetupWorksWithAndWithoutSudo(t *testing.T) {
	// The README's first command, run by root on a machine with no sudo
	// (a container) and by a user with sudo: apt-get and make are stand-ins.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.Contains(l, "apt-get install -y") {
			line = l
			break
		}
	}
	if line == "" || !strings.HasSuffix(line, "&& make run") {
		t.Fatalf("no set-up line ending in make run: %q", line)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, withSudo := range []bool{false, true} {
		bin := t.TempDir()
		log := filepath.Join(bin, "log")
		stub := func(name, body string) {
			os.WriteFile(filepath.Join(bin, name), []byte("#!"+bash+"\n"+body+"\n"), 0o755)
		}
		stub("apt-get", `echo "apt-get $*" >> `+log)
		stub("make", `echo "make $*" >> `+log)
		if withSudo {
			stub("sudo", `echo "sudo $1" >> `+log+`; "$@"`)
		}
		cmd := exec.Command(bash, "-c", line)
		cmd.Env = []string{"PATH=" + bin}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sudo %v: %v\n%s", withSudo, err, out)
		}
		data, _ := os.ReadFile(log)
		got := string(data)
		if !strings.Contains(got, "apt-get update") || !strings.Contains(got, "apt-get install -y") || !strings.HasSuffix(got, "make run\n") {
			t.Errorf("sudo %v: ran\n%s", withSudo, got)
		}
		if withSudo != strings.Contains(got, "sudo apt-get") {
			t.Errorf("sudo %v: ran\n%s", withSudo, got)
		}
	}
}

func TestGoModAsksForWhatTheCodeNeeds(t *testing.T) {
	// A go line above every dependency's makes a machine with an earlier
	// release of the same Go download a toolchain, which fails offline.
	out, err := exec.Command(pproftest.GoTool(t), "list", "-m", "-f", "{{.Main}} {{.GoVersion}}", "all").Output()
	if err != nil {
		t.Skipf("go list -m all: %v", err)
	}
	var own, highest string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		main, v, _ := strings.Cut(line, " ")
		if main == "true" {
			own = v
		} else if v != "" && versionLess(highest, v) {
			highest = v
		}
	}
	if own != highest {
		t.Errorf("go.mod says go %s; the dependencies need at most %s", own, highest)
	}
}

// versionLess compares Go versions such as 1.26 and 1.26.0.
func versionLess(a, b string) bool {
	parse := func(v string) (out [3]int) {
		for i, f := range strings.SplitN(v, ".", 3) {
			n, _ := strconv.Atoi(f)
			out[i] = n
		}
		return out
	}
	pa, pb := parse(a), parse(b)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return false
}
