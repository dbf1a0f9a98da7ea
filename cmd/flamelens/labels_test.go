package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

func TestLabelFramesPrintWhatPprofPrints(t *testing.T) {
	labels, mem := testdata("labels.cpu.pprof"), testdata("json.mem.pprof")
	tests := []struct {
		name    string
		sources []string
		unit    string
		flags   []string
	}{
		{"root", []string{labels}, "nanoseconds", []string{"-tagroot=tenant"}},
		{"root and leaf", []string{labels}, "nanoseconds", []string{"-tagroot=handler,tenant", "-tagleaf=tenant", "-cum"}},
		{"a label frame focused", []string{labels}, "nanoseconds", []string{"-tagroot=tenant", "-focus=^acme$"}},
		{"a label frame hidden", []string{labels}, "nanoseconds", []string{"-tagleaf=handler", "-hide=json"}},
		{"a key no sample has", []string{labels}, "nanoseconds", []string{"-tagroot=nosuchkey"}},
		{"numeric, in its unit", []string{mem}, "count", []string{"-sample_index=alloc_objects", "-tagroot=bytes", "-cum"}},
		{"tagshow and taghide leave the numbers", []string{labels}, "nanoseconds", []string{"-tagshow=ten", "-taghide=handler", "-tagroot=handler"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runCLI(append(append([]string{"top", "-n", "0"}, tc.flags...), tc.sources...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			want := pproftest.TopOf(t, tc.sources, tc.unit, tc.flags...)
			checkTop(t, out, want)
		})
	}
}

// With -tagroot=source, a merge's top row is its sources: each one's
// frame holds what pprof gives that source alone.
func TestMergedSourcesSideBySide(t *testing.T) {
	sources := []string{testdata("labels.cpu.pprof"), testdata("json.cpu.pprof"), testdata("json-gogc10.cpu.pprof")}
	out, errOut, code := runCLI(append([]string{"top", "-n", "0", "-tagroot=source"}, sources...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := parseTop(t, out)
	for _, source := range sources {
		alone := pproftest.TopReport(t, source, "nanoseconds")
		name := filepath.Base(source)
		i := slices.IndexFunc(rows, func(r pproftest.Row) bool { return r.Name == name })
		if i < 0 {
			t.Errorf("no frame %s:\n%.600s", name, out)
			continue
		}
		if rows[i].Cum != alone.Total || rows[i].Flat != 0 {
			t.Errorf("frame %s: flat %d, cum %d; the file alone totals %d", name, rows[i].Flat, rows[i].Cum, alone.Total)
		}
	}
}

// TestTracesPrintWhatPprofPrints compares flamelens traces with go tool
// pprof -traces, sample by sample, from the first separator on (the
// headers differ): labels as -tagshow/-taghide leave them, label frames,
// values and stacks.
func TestTracesPrintWhatPprofPrints(t *testing.T) {
	labels, mem := testdata("labels.cpu.pprof"), testdata("json.mem.pprof")
	tests := []struct {
		sources []string
		flags   []string
	}{
		{[]string{labels}, nil},
		{[]string{labels}, []string{"-tagroot=tenant", "-tagleaf=handler"}},
		{[]string{labels}, []string{"-tagshow=ten"}},
		{[]string{labels}, []string{"-taghide=ten", "-tagfocus=tenant=acme"}},
		{[]string{mem}, []string{"-sample_index=alloc_space", "-tagshow=byt", "-focus=Unmarshal"}},
		{[]string{mem}, []string{"-sample_index=inuse_objects", "-tagleaf=bytes", "-taghide=bytes", "-lines"}},
		// The source label is flamelens's: hidden, the rest is pprof's merge.
		{[]string{labels, testdata("json.cpu.pprof")}, []string{"-taghide=^source$"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.flags, " "), func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runCLI(append(append([]string{"traces"}, tc.flags...), tc.sources...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			args := append(append([]string{"tool", "pprof", "-traces"}, tc.flags...), tc.sources...)
			pprof, err := exec.Command(pproftest.GoTool(t), args...).Output()
			if err != nil {
				t.Fatalf("go %s: %v", strings.Join(args, " "), err)
			}
			body := func(s string) string { return s[strings.Index(s, "\n-----------+")+1:] }
			got, want := body(out), body(string(pprof))
			if got != want {
				gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
				for i := 0; i < len(gl) && i < len(wl); i++ {
					if gl[i] != wl[i] {
						t.Fatalf("line %d: %q, pprof %q (%d lines, pprof %d)", i, gl[i], wl[i], len(gl), len(wl))
					}
				}
				t.Fatalf("%d lines, pprof %d", len(gl), len(wl))
			}
			if strings.Count(got, "\n-----------+") < 10 {
				t.Errorf("only %d samples printed", strings.Count(got, "\n-----------+"))
			}
		})
	}
}
