package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/model/pproftest"
)

// flamelens insights in words and in JSON: the sample's JSON finding with
// its numbers, a comparison's finding about the change, filters applied
// first, -module naming the user's code, and bad input in one line.
func TestInsightsCommand(t *testing.T) {
	out, errOut, code := runCLI("insights", testdata("json.cpu.pprof"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"# type: cpu", "# your code: encoding/json", "1. Encoding and decoding by reflection — ",
		"of the profile is spent in reflection-based encoding", "frames: encoding/json.", "your code: encoding/json.Benchmark",
		"what helps: ", "see: https://pkg.go.dev/encoding/json"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// JSON: the same findings, with numbers that add up.
	out, errOut, code = runCLI("insights", "-json", testdata("json.cpu.pprof"))
	if code != 0 {
		t.Fatalf("-json: exit %d: %s", code, errOut)
	}
	var fs []insights.Finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("-json output: %v\n%s", err, out)
	}
	total := pproftest.TopReport(t, testdata("json.cpu.pprof"), "nanoseconds").Total // pprof's
	if len(fs) == 0 || fs[0].Rule != "encoding" || fs[0].Unit != "nanoseconds" || fs[0].Value <= 0 || fs[0].Value > total {
		t.Fatalf("-json findings: %+v", fs)
	}
	if share := float64(fs[0].Value) / float64(total); share-fs[0].Share > 1e-9 || fs[0].Share-share > 1e-9 {
		t.Errorf("share %f, value/total %f", fs[0].Share, share)
	}

	// Compared: the change. GOGC=10 collects garbage more than GOGC=off.
	out, _, code = runCLI("insights", "-json", "-diff_base", testdata("json-gogcoff.cpu.pprof"), testdata("json-gogc10.cpu.pprof"))
	fs = nil
	if err := json.Unmarshal([]byte(out), &fs); code != 0 || err != nil || len(fs) == 0 {
		t.Fatalf("comparison: exit %d, %v\n%s", code, err, out)
	}
	if fs[0].Rule != "gc" || fs[0].Delta <= 0 || fs[0].Value-fs[0].Base != fs[0].Delta {
		t.Errorf("comparison: first finding %+v", fs[0])
	}

	// Filters apply first: with encoding/json's decoding ignored, the
	// encoding finding is the encoder's alone, smaller.
	out, _, _ = runCLI("insights", "-json", "-ignore=Unmarshal|Decode", testdata("json.cpu.pprof"))
	var filtered []insights.Finding
	if err := json.Unmarshal([]byte(out), &filtered); err != nil || len(filtered) == 0 || filtered[0].Value >= fs0Value(t) {
		t.Errorf("-ignore: %v %+v", err, filtered)
	}

	// -module: nothing of the profile is the user's code.
	out, _, _ = runCLI("insights", "-module=example.com/nothing", testdata("json.cpu.pprof"))
	if !strings.Contains(out, "# your code: example.com/nothing") || strings.Contains(out, "   your code: ") {
		t.Errorf("-module: %s", out)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"insights"}, 2, "no SOURCE given"},
		{[]string{"insights", "no-such.pprof"}, 1, "no-such.pprof"},
		{[]string{"insights", "-sample_index=nope", testdata("json.cpu.pprof")}, 1, "nope"},
	} {
		_, errOut, code := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q in one line", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

// fs0Value is the sample's encoding finding's value, unfiltered.
func fs0Value(t *testing.T) int64 {
	out, _, _ := runCLI("insights", "-json", testdata("json.cpu.pprof"))
	var fs []insights.Finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil || len(fs) == 0 {
		t.Fatalf("%v %s", err, out)
	}
	return fs[0].Value
}
