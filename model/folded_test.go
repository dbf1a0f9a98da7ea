package model

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/google/pprof/profile"
)

// topRows is the function table as "name flat cum" lines, in -top order.
func topRows(t *testing.T, p *Profile) string {
	t.Helper()
	idx, err := p.SampleIndex("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := CollectStacks(p, idx, Functions)
	if err != nil {
		t.Fatal(err)
	}
	rows := s.Functions()
	SortByFlat(rows)
	var b strings.Builder
	fmt.Fprintf(&b, "total %d\n", s.AbsTotal)
	for _, r := range rows {
		fmt.Fprintf(&b, "%s %d %d\n", r.Name, r.Flat, r.Cum)
	}
	return b.String()
}

func mustParse(t *testing.T, name, text string) *Profile {
	t.Helper()
	p, err := Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFoldedDecimalCounts(t *testing.T) {
	// flamegraph.pl and inferno accept decimal counts: none of the
	// decimals may be lost, in values, in their display or on export.
	p := mustParse(t, "dec.folded", "main;foo 31.25\nmain;bar 1\nmain;foo;baz 0.5\n")
	st := p.SampleTypes()[0]
	if st.Unit != "centicount" {
		t.Fatalf("unit %q, want centicount (two decimal places)", st.Unit)
	}
	tree := mustTree(t, p)
	want := "root 0/3275\n  main 0/3275\n    foo 3125/3175\n      baz 50/50\n    bar 100/100\n"
	if got := dump(tree); got != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}
	if got := FormatValue(3125, st.Unit); got != "31.25" {
		t.Errorf("31.25 shown as %q", got)
	}
	var out bytes.Buffer
	if err := WriteFolded(&out, tree); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "main;foo 31.25\n") || !strings.Contains(out.String(), "main;foo;baz 0.5\n") {
		t.Errorf("export lost the decimals:\n%s", out.String())
	}
	back := mustParse(t, "back.folded", out.String())
	if dump(mustTree(t, back)) != want || back.SampleTypes()[0].Unit != "centicount" {
		t.Error("decimal counts do not survive a round trip")
	}

	// Integers stay counts; more than nine places are rounded.
	if u := mustParse(t, "int.folded", "a 1\n").SampleTypes()[0].Unit; u != "count" {
		t.Errorf("integer counts in %q", u)
	}
	fine := mustParse(t, "fine.folded", "a 0.1234\nb 2\n")
	if u := fine.SampleTypes()[0].Unit; u != "microcount" {
		t.Errorf("four places in %q, want microcount", u)
	}
	if got := dump(mustTree(t, fine)); !strings.Contains(got, "a 123400/") || !strings.Contains(got, "b 2000000/") {
		t.Errorf("microcount values:\n%s", got)
	}
	if got := dump(mustTree(t, mustParse(t, "round.folded", "a 0.1234567894\n"))); !strings.Contains(got, "a 123456789/") {
		t.Errorf("rounded to nine places:\n%s", got)
	}
	if _, err := Parse("huge.folded", []byte("a 9223372036854775807\nb 0.5\n")); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("overflow: %v", err)
	}
}

func TestFoldedTwoCountsAreAComparison(t *testing.T) {
	// "stack BEFORE AFTER", as difffolded.pl writes: BASE the first
	// count, NEW the second; the same numbers as -diff_base of the two.
	two := "main;decode 100 40\nmain;encode 50 80\nmain;gone 20 0\nmain;new 0 30\nmain 5 5\n"
	p := mustParse(t, "diff.folded", two)
	c := SplitDiff(p)
	if c == nil || c.Mode != DiffBase {
		t.Fatalf("two counts read as %+v, want a -diff_base comparison", c)
	}
	if p.Source != "diff.folded" {
		t.Errorf("source %q", p.Source)
	}
	before := mustParse(t, "before.folded", "main;decode 100\nmain;encode 50\nmain;gone 20\nmain 5\n")
	after := mustParse(t, "after.folded", "main;decode 40\nmain;encode 80\nmain;new 30\nmain 5\n")
	want, err := Compare(before, after, DiffBase, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := topRows(t, p), topRows(t, want); got != w {
		t.Errorf("two-count file:\n%s\nwant -diff_base's:\n%s", got, w)
	}
	// Both sides keep their own stacks for the comparison views.
	s, err := c.Stacks(0, Functions)
	if err != nil {
		t.Fatal(err)
	}
	byNew, _, _ := s.CompareTrees(DiffBase)
	if byNew.Total[Root] != 155 || byNew.OtherTotal[Root] != 175 {
		t.Errorf("NEW total %d, BASE total %d; want 155 and 175", byNew.Total[Root], byNew.OtherTotal[Root])
	}

	// A leaf named like a number does not make a one-count file a
	// comparison, and lines of the other shape are skipped, not misread.
	mixed := mustParse(t, "mixed.folded", "main;a 10\nmain;b 3 4\nmain;c 2\nmain;d 1\n")
	if SplitDiff(mixed) != nil {
		t.Error("a one-count file read as a comparison")
	}
	if len(mixed.Warnings) != 1 || !strings.Contains(mixed.Warnings[0], "line 2: 2 counts, the lines before have 1") {
		t.Errorf("warnings %q", mixed.Warnings)
	}
}

func TestFoldedSkipsLinesThatAreNotStacks(t *testing.T) {
	// A few stray lines (a log line, a bad count) among stacks are
	// skipped and reported; comments are skipped however many.
	text := "main;a 10\n# a comment\nWARN: sampling rate lowered\n\nmain;b 5\nmain;c five\nmain;d 1\nmain;e 1\n"
	p := mustParse(t, "log.folded", text)
	if got := dump(mustTree(t, p)); got != "root 0/17\n  main 0/17\n    a 10/10\n    b 5/5\n    d 1/1\n    e 1/1\n" {
		t.Errorf("good lines:\n%s", got)
	}
	want := `log.folded: skipped 3 lines that are not folded stacks (the first, line 2: a comment)`
	if len(p.Warnings) != 1 || p.Warnings[0] != want {
		t.Errorf("warnings %q, want %q", p.Warnings, want)
	}
	// A stray log line first does not hide the stacks after it.
	p = mustParse(t, "late.folded", "Started profiler at 12:00\nmain;a 1\nmain;b 2\n")
	if p.Format != FormatFolded || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "skipped 1 line that is not a folded stack (the first, line 1:") {
		t.Errorf("%s, warnings %q", p.Format, p.Warnings)
	}
	comments := strings.Repeat("# recorded by a profiler, one comment a line\n", 40) + "main;a 7\n"
	if p := mustParse(t, "comments.folded", comments); p.Format != FormatFolded || !strings.Contains(p.Warnings[0], "skipped 40 lines") {
		t.Errorf("%s, warnings %q", p.Format, p.Warnings)
	}
	// A text that is mostly not stacks is not folded stacks, whatever of
	// it splits as "stack count": refused, saying how much is not.
	for name, text := range map[string]string{
		"long.folded":  strings.Repeat("INFO: profiler warming up\n", 40) + "main;a 7\n",
		"third.folded": "Started profiler at 12:00\nmain;a 1\nStopped\n",
		"three.folded": "main;a 1\nWARN: x\nmain;b 2\nWARN: y\nWARN: z\n",
	} {
		if p, err := Parse(name, []byte(text)); err == nil || !strings.Contains(err.Error(), "not folded stacks: ") {
			t.Errorf("%s: read as %v, error %v; want it refused", name, p, err)
		}
	}
	if p := mustParse(t, "clean.folded", "main;a 1\n"); p.Warnings != nil {
		t.Errorf("clean file warns %q", p.Warnings)
	}
	// No good line: the first bad one is named.
	_, err := Parse("bad.folded", []byte("main;a\nmain;b x\n"))
	if err == nil || !strings.Contains(err.Error(), `bad.folded: not a pprof profile, and not folded stacks: line 1: want "frame;frame;... count", got "main;a"`) {
		t.Errorf("error %v", err)
	}
}

func TestFoldedEscapedNamesRoundTrip(t *testing.T) {
	// Kernel symbols with tabs, corrupted symbol tables with control
	// bytes, names with ';', '\' or bytes that are not UTF-8.
	names := []string{"__nf_conntrack_find_get\t[nf_conntrack]", "line\nbreak", "cr\rname", "semi;colon",
		`back\slash`, "bell\x07\x1b[0m", "bad\xff\xfe", `\x41 literal`, "0x10 not an address", "ends in 12"}
	p := &profile.Profile{SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}}}
	for i, name := range names {
		fn := &profile.Function{ID: uint64(i + 1), Name: name}
		p.Function = append(p.Function, fn)
		p.Location = append(p.Location, &profile.Location{ID: uint64(i + 1), Line: []profile.Line{{Function: fn}}})
		var stack []*profile.Location
		for j := i; j >= 0; j-- {
			stack = append(stack, p.Location[j])
		}
		p.Sample = append(p.Sample, &profile.Sample{Location: stack, Value: []int64{int64(i + 1)}})
	}
	tree := mustTree(t, NewProfile("odd", "", p))
	var out bytes.Buffer
	if err := WriteFolded(&out, tree); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(names)+1 {
		t.Fatalf("%d lines for %d stacks:\n%s", len(lines), len(names), out.String())
	}
	back := mustParse(t, "back.folded", out.String())
	if a, b := dump(tree), dump(mustTree(t, back)); a != b {
		t.Errorf("names changed on the round trip:\n%q\nvs\n%q", a, b)
	}
}

func TestFoldedKeepsFramesWithoutSymbols(t *testing.T) {
	// Two stacks of unsymbolized frames in one binary: distinct in the
	// graph (by address), one row in the table (by binary), as in pprof.
	app := &profile.Mapping{ID: 1, File: "/usr/bin/app"}
	fn := &profile.Function{ID: 1, Name: "main.main"}
	p := &profile.Profile{SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}}, Mapping: []*profile.Mapping{app},
		Function: []*profile.Function{fn},
		Location: []*profile.Location{
			{ID: 1, Line: []profile.Line{{Function: fn}}},
			{ID: 2, Address: 0x4a2b3c, Mapping: app},
			{ID: 3, Address: 0x4a2c00, Mapping: app},
			{ID: 4, Address: 0x99},
		}}
	p.Sample = []*profile.Sample{
		{Location: []*profile.Location{p.Location[1], p.Location[0]}, Value: []int64{3}},
		{Location: []*profile.Location{p.Location[2], p.Location[0]}, Value: []int64{4}},
		{Location: []*profile.Location{p.Location[3], p.Location[0]}, Value: []int64{5}},
	}
	orig := NewProfile("unsym", "", p)
	tree := mustTree(t, orig)
	var out bytes.Buffer
	if err := WriteFolded(&out, tree); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"main.main;0x4a2b3c [app] 3\n", "main.main;0x4a2c00 [app] 4\n", "main.main;0x99 <unknown> 5\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("export has no %q:\n%s", want, out.String())
		}
	}
	back := mustParse(t, "back.folded", out.String())
	labels := func(tr *Tree) []string {
		var out []string
		tr.Walk(func(n NodeID, _ int) bool {
			out = append(out, fmt.Sprintf("%s %d", tr.Label(n), tr.Self[n]))
			return true
		})
		return out
	}
	if a, b := labels(tree), labels(mustTree(t, back)); !slices.Equal(a, b) {
		t.Errorf("stacks changed on the round trip:\n%q\nvs\n%q", a, b)
	}
	if a, b := topRows(t, orig), topRows(t, back); a != b {
		t.Errorf("table changed on the round trip:\n%s\nvs\n%s", a, b)
	}
}

func TestEscapeControl(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                    "plain",
		"tab\there":                `tab\there`,
		"nl\nand\rcr":              `nl\nand\rcr`,
		"esc\x1b":                  `esc\x1b`,
		`back\slash stays`:         `back\slash stays`,
		"unicode ünïcode\xff kept": "unicode ünïcode\xff kept",
	} {
		if got := EscapeControl(in); got != want {
			t.Errorf("EscapeControl(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTagsMatchPprof(t *testing.T) {
	// go tool pprof -tags: each key's total, each value's total and share.
	file := "../testdata/labels.cpu.pprof"
	out, err := exec.Command(pproftest.GoTool(t), "tool", "pprof", "-tags", "-unit=ns", "-sample_index=cpu", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := p.SampleIndex("cpu")
	var got strings.Builder
	for _, tag := range p.Tags(idx) {
		fmt.Fprintf(&got, "%s: Total %dns\n", tag.Key, tag.Total)
		for _, v := range tag.Values {
			fmt.Fprintf(&got, "%dns (%s): %s\n", v.Total, Percent(v.Total, 2880000000), v.Value)
		}
	}
	var want strings.Builder
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if k, rest, ok := strings.Cut(line, ": Total "); ok {
			total, _, _ := strings.Cut(rest, " ")
			fmt.Fprintf(&want, "%s: Total %s\n", k, total)
			continue
		}
		want.WriteString(strings.Join(strings.Fields(line), " ") + "\n")
	}
	if got.String() != want.String() || want.Len() == 0 {
		t.Errorf("tags:\n%s\ngo tool pprof -tags:\n%s", got.String(), want.String())
	}
}
