package model

import (
	"bytes"
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
			if !strings.HasPrefix(err.Error(), "folded stacks") {
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
