package model

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// FuzzParse feeds arbitrary bytes to the loader (pprof protobuf, gzip,
// legacy text formats, folded stacks): it must return a profile or an
// error, never panic, and what it returns must build a tree.
func FuzzParse(f *testing.F) {
	// Small real profiles as seeds (big ones slow the mutator to a crawl).
	for _, spec := range []pproftest.Spec{{Samples: 20, Stacks: 10, Funcs: 12, MaxDepth: 6, Seed: 1}, {Samples: 5, Stacks: 5, Funcs: 4, MaxDepth: 3, Seed: 2}} {
		var buf bytes.Buffer
		pproftest.Generate(spec).WriteUncompressed(&buf)
		f.Add(buf.Bytes())
	}
	f.Add(gz(f, []byte("main;foo 1\n")))
	f.Add([]byte("main;foo;bar 10\nmain;foo 3\n"))
	f.Add([]byte("heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: 4] @ 0x1 0x2\n"))
	f.Add([]byte("goroutine profile: total 1\n1 @ 0x1 0x2\n#\t0x1\tmain.main+0x1\t/x.go:1\n"))
	f.Add([]byte("<html></html>"))
	// Other profilers' formats, small.
	f.Add([]byte("app 12/13 [001] 1.5: 100 cycles:\n\t4a2b main.f+0x1 (/bin/app)\n\t4a00 [unknown] ([unknown])\n\napp 12 1.6: cycles:\n"))
	f.Add([]byte(`{"nodes":[{"id":1,"callFrame":{"functionName":"(root)"},"children":[2]},{"id":2,"callFrame":{"functionName":"f","url":"a.js","lineNumber":3}}],"startTime":0,"endTime":9,"samples":[2,1,2],"timeDeltas":[1,-1,4]}`))
	f.Add([]byte(`[{"ph":"X","name":"a","ts":0,"dur":5,"pid":1,"tid":1},{"ph":"B","name":"b","ts":1,"pid":1,"tid":1},{"ph":"E","ts":3,"pid":1,"tid":1},`))
	f.Add([]byte(`{"traceEvents":[{"ph":"P","name":"ProfileChunk","id":"0x1","pid":1,"tid":1,"args":{"data":{"cpuProfile":{"nodes":[{"id":1,"callFrame":{"functionName":"f"}}],"samples":[1]},"timeDeltas":[2]}}}]}`))
	f.Add([]byte(`{"shared":{"frames":[{"name":"a"},{"name":"b"}]},"profiles":[{"type":"sampled","unit":"seconds","samples":[[0,1],[]],"weights":[1.5,2]},{"type":"evented","unit":"none","events":[{"type":"O","frame":0,"at":0},{"type":"C","frame":0,"at":3}]}]}`))
	f.Add([]byte("goroutine 1 gp=0x1 m=0 [chan receive, 3 minutes, locked to thread labels:{\"k\": \"v\"}]:\nmain.f(...)\n\t/a.go:3 +0x1\ncreated by main.g in goroutine 2\n\t/a.go:9\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseLimited("fuzz", data, 16<<20)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz") {
				t.Errorf("error %q does not name the source", err)
			}
			return
		}
		for i := range p.SampleTypes() {
			tree, err := BuildTree(p, i)
			if err != nil {
				continue
			}
			tree.Functions()
			var out bytes.Buffer
			if err := WriteFolded(&out, tree); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzFolded checks the folded-stack parser on arbitrary text: an error
// names the line, and what parses reads back the same after export.
func FuzzFolded(f *testing.F) {
	f.Add("main;foo;bar 10\nmain;foo 3\n")
	f.Add("a b;c d 1\n# comment\n\n")
	f.Add(";;; 1\n")
	f.Add("x 9223372036854775807\nx 1\n")
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParseFolded(strings.NewReader(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "folded stacks") && !errors.Is(err, errMostlyNotStacks) {
				t.Errorf("error %q", err)
			}
			return
		}
		tree := (NewProfile("fuzz", "", p))
		tr, err := tree.Tree("")
		if err != nil {
			t.Fatal(err)
		}
		tr.Functions()
	})
}

// FuzzFilters applies arbitrary filter expressions: a bad one is an error
// naming its flag, a good one gives a profile that builds a tree.
func FuzzFilters(f *testing.F) {
	f.Add("json", "", "runtime", "", "handler=json")
	f.Add("(", "[", "", "*", "")
	f.Add("", "", "", "decodeState", "bytes=1kb:")
	f.Add("", "Marshal", "", "", "key:val,other")
	base, err := Load("../testdata/labels.cpu.pprof")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, focus, ignore, hide, showFrom, tagFocus string) {
		p, err := base.Filter(Filters{Focus: focus, Ignore: ignore, Hide: hide, ShowFrom: showFrom, TagFocus: tagFocus})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "-") {
				t.Errorf("error %q does not name the flag", err)
			}
			return
		}
		tree, err := p.Tree("")
		if err != nil {
			t.Fatal(err)
		}
		if tree.AbsTotal != mustTree(t, base).AbsTotal {
			t.Error("filtering changed the total")
		}
	})
}
