package model

import (
	"strings"
	"testing"
)

func TestFiltersMatchPprof(t *testing.T) {
	tests := []struct {
		name        string
		file        string
		sampleIndex int
		filters     Filters
	}{
		{"focus", "json.cpu.pprof", 1, Filters{Focus: `decodeState`}},
		{"focus by file name", "json.cpu.pprof", 1, Filters{Focus: `encode\.go`}},
		{"ignore", "json.cpu.pprof", 1, Filters{Ignore: `Marshal`}},
		{"hide", "json.cpu.pprof", 1, Filters{Hide: `^runtime\.`}},
		{"show", "json.cpu.pprof", 1, Filters{Show: `encoding/json`}},
		{"show_from", "json.cpu.pprof", 1, Filters{ShowFrom: `\(\*decodeState\)\.object`}},
		{"prune_from", "json.cpu.pprof", 1, Filters{PruneFrom: `checkValid`}},
		{"focus and ignore and hide together", "json.cpu.pprof", 0, Filters{Focus: `json`, Ignore: `Decoder`, Hide: `reflect`}},
		{"recursion under show_from", "sort.cpu.pprof", 1, Filters{ShowFrom: `pdqsort`}},
		{"tagfocus by key", "labels.cpu.pprof", 1, Filters{TagFocus: `handler=gzip`}},
		{"tagfocus any key", "labels.cpu.pprof", 1, Filters{TagFocus: `tenant:glob`}},
		{"tagignore", "labels.cpu.pprof", 1, Filters{TagIgnore: `tenant=acme`}},
		{"tagfocus with alternatives", "labels.cpu.pprof", 0, Filters{TagFocus: `tenant=acme,globex`}},
		{"tagfocus numeric range", "json.mem.pprof", 1, Filters{TagFocus: `bytes=1kb:64kb`}},
		{"tagignore numeric", "json.mem.pprof", 0, Filters{TagIgnore: `bytes=:512`}},
		{"heap focus", "json.mem.pprof", 3, Filters{Focus: `Unmarshal`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkFiltered(t, "../testdata/"+tc.file, tc.sampleIndex, false, tc.filters)
		})
	}
}

func TestFilterLeavesOriginalAlone(t *testing.T) {
	p, err := Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	before := mustTree(t, p)
	f, err := p.Filter(Filters{Hide: `json`})
	if err != nil {
		t.Fatal(err)
	}
	if f == p || f.Raw == p.Raw {
		t.Fatal("Filter did not copy the profile")
	}
	after := mustTree(t, p)
	if dump(before) != dump(after) {
		t.Error("filtering changed the original profile")
	}
	// Filters stack: a second step applies to the first's result.
	g, err := f.Filter(Filters{Focus: `runtime`})
	if err != nil {
		t.Fatal(err)
	}
	both, err := p.Filter(Filters{Hide: `json`}, Filters{Focus: `runtime`})
	if err != nil {
		t.Fatal(err)
	}
	if dump(mustTree(t, g)) != dump(mustTree(t, both)) {
		t.Error("filtering twice differs from two steps at once")
	}
	if mustTree(t, g).AbsTotal != before.AbsTotal {
		t.Error("a filter of a filter lost the original total")
	}
}

func TestBadFilterSaysWhichAndWhy(t *testing.T) {
	p, err := Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    Filters
		want string
	}{
		{Filters{Focus: `(json`}, `-focus "(json": missing closing ): ` + "`(json`"},
		{Filters{Hide: `a[`}, `-hide "a[": missing closing ]`},
		{Filters{TagFocus: `handler=*x`}, `-tagfocus "*x": missing argument to repetition operator`},
	} {
		_, err := p.Filter(tc.f)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Filter(%v) error %v, want %q", tc.f, err, tc.want)
		}
	}
}
