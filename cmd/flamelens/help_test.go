package main

import (
	"regexp"
	"strings"
	"testing"
)

// Every command's --help goes to stdout with status 0, and documents each
// of its flags and gives examples that use the command.
func TestHelpDocumentsEveryFlagWithExamples(t *testing.T) {
	flagLine := regexp.MustCompile(`^  -(\w+)`)
	for _, cmd := range []string{"", "top", "export", "find"} {
		for _, h := range []string{"--help", "-h", "-help"} {
			args := []string{h}
			if cmd != "" {
				args = []string{cmd, h, "file.pprof"}
			}
			stdout, stderr, code := runCLI(args...)
			if code != 0 || stderr != "" {
				t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
			}
			if cmd == "" && h == "--help" {
				if !strings.Contains(stdout, "Usage:") || !strings.Contains(stdout, "flamelens top") {
					t.Errorf("flamelens --help:\n%s", stdout)
				}
				continue
			}
			if cmd == "" {
				continue
			}
			_, examples, ok := strings.Cut(stdout, "\nExamples:\n")
			if !ok || !strings.Contains(examples, "  flamelens "+cmd+" ") {
				t.Errorf("%q has no example of the command:\n%s", args, stdout)
			}
			lines := strings.Split(stdout, "\n")
			flags := 0
			for i, line := range lines {
				m := flagLine.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				flags++
				if i+1 >= len(lines) || len(strings.TrimSpace(lines[i+1])) < 10 {
					t.Errorf("%s: flag -%s has no description", cmd, m[1])
				}
			}
			if flags < 10 {
				t.Errorf("%s: only %d flags documented", cmd, flags)
			}
		}
	}
	// The window's own flags, too: its -h is answered without a display.
	stdout, _, code := runCLI("-view", "graph", "--help")
	if code != 0 || !strings.Contains(stdout, "-view string") || !strings.Contains(stdout, "Examples:") {
		t.Errorf("window --help: exit %d\n%s", code, stdout)
	}
	// A mistake is not help: usage on stderr, status 2.
	stdout, stderr, code := runCLI("top", "-nope", "x.pprof")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "-nope") {
		t.Errorf("bad flag: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		stdout, _, code := runCLI(arg)
		if code != 0 || !strings.HasPrefix(stdout, "flamelens ") || !strings.Contains(stdout, "go1.") {
			t.Errorf("%s: exit %d, %q", arg, code, stdout)
		}
	}
}

// Several SOURCEs open a window each; a flag after them is a mistake, not
// a file to open.
func TestWindowArguments(t *testing.T) {
	_, stderr, code := runCLI("a.pprof", "-focus", "json")
	if code != 2 || !strings.Contains(stderr, "flags go before them") {
		t.Errorf("flag after a source: exit %d, %q", code, stderr)
	}
	_, stderr, code = runCLI("-diff_base", "base.pprof", "a.pprof", "b.pprof")
	if code != 2 || !strings.Contains(stderr, "need one SOURCE") {
		t.Errorf("-diff_base with two sources: exit %d, %q", code, stderr)
	}
}
