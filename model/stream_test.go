package model

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/flamelens/flamelens/model/pproftest"
)

// fullStacks is the reference: the whole profile parsed, then its stacks.
func fullStacks(name string, data []byte, spec string) (*Stacks, error) {
	p, err := ParseLimited(name, data, DefaultMaxDecompressed)
	if err != nil {
		return nil, err
	}
	return stacksOf(p, spec, Functions)
}

// streamedStacks is OpenStacks on data, and whether the stream read it.
func streamedStacks(name string, data []byte, spec string) (*Stacks, bool, error) {
	st, err := readStream(name, bytes.NewReader(data), DefaultMaxDecompressed, spec, Functions, decodedSize(bytes.NewReader(data), int64(len(data))))
	if err == errNotStreamed {
		s, err := fullStacks(name, data, spec)
		return s, false, err
	}
	if err != nil {
		return nil, true, err
	}
	return st.Stacks, true, nil
}

// stackMultiset lists each stack with its value, in a fixed order: the
// order stacks are found in may differ without changing any view.
func stackMultiset(s *Stacks) []string {
	out := make([]string, s.Len())
	for i := range out {
		out[i] = fmt.Sprint(s.Frames(i), s.Value(i))
	}
	slices.Sort(out)
	return out
}

func sameStacks(t *testing.T, what string, got, want *Stacks) {
	t.Helper()
	if got.SampleType != want.SampleType || got.SampleIndex != want.SampleIndex || got.AbsTotal != want.AbsTotal {
		t.Errorf("%s: %v #%d total %d, want %v #%d total %d", what, got.SampleType, got.SampleIndex, got.AbsTotal,
			want.SampleType, want.SampleIndex, want.AbsTotal)
	}
	if !reflect.DeepEqual(got.Funcs, want.Funcs) {
		t.Errorf("%s: function tables differ (%d and %d functions)", what, len(got.Funcs), len(want.Funcs))
	}
	if g, w := stackMultiset(got), stackMultiset(want); !slices.Equal(g, w) {
		t.Errorf("%s: %d stacks, want %d, or their values differ", what, len(g), len(w))
	}
	if !reflect.DeepEqual(got.Functions(), want.Functions()) {
		t.Errorf("%s: function tables' flat and cum differ", what)
	}
}

func encode(t testing.TB, p *profile.Profile, gzipped bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	write := p.WriteUncompressed
	if gzipped {
		write = p.Write
	}
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestStreamedStacksMatchFullParse(t *testing.T) {
	inputs := map[string][]byte{}
	for _, name := range []string{"json.cpu.pprof", "json.mem.pprof", "sort.cpu.pprof", "regexp.cpu.pprof", "labels.cpu.pprof"} {
		inputs[name] = readTestdata(t, name)
	}
	gen := pproftest.Generate(pproftest.Spec{Samples: 30_000, Stacks: 9_000, Funcs: 3_000, MaxDepth: 50, Seed: 5})
	inputs["generated.pb.gz"] = encode(t, gen, true)
	inputs["generated.pb"] = encode(t, gen, false)
	// Location IDs far from 1..n, an unsymbolized frame, a zero sample.
	sparse := gen.Copy()
	for i, l := range sparse.Location {
		l.ID = uint64(i)*1000 + 7
	}
	sparse.Location[3].Line = nil
	sparse.Sample[0].Value = []int64{0, 0}
	sparse.Sample[1].Value[1] = -sparse.Sample[1].Value[1]
	inputs["sparse.pb"] = encode(t, sparse, false)
	mem, err := Parse("mem", readTestdata(t, "json.mem.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	mem.Raw.DefaultSampleType = "alloc_objects"
	inputs["default-type.pb.gz"] = encode(t, mem.Raw, true)

	for name, data := range inputs {
		p, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		specs := []string{""}
		for _, st := range p.Raw.SampleType {
			specs = append(specs, st.Type)
		}
		for _, spec := range specs {
			what := name + " -sample_index=" + spec
			want, err := fullStacks(name, data, spec)
			if err != nil {
				t.Fatal(err)
			}
			got, streamed, err := streamedStacks(name, data, spec)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if !streamed {
				t.Errorf("%s: not streamed", what)
			}
			sameStacks(t, what, got, want)
		}
	}
}

func TestStreamFallsBackWithTheSameErrors(t *testing.T) {
	cpu := readTestdata(t, "json.cpu.pprof")
	plain, err := gunzip(cpu, DefaultMaxDecompressed)
	if err != nil {
		t.Fatal(err)
	}
	gen := pproftest.Generate(pproftest.Spec{Samples: 50, Stacks: 20, Funcs: 15, MaxDepth: 8, Seed: 3})
	missing := gen.Copy()
	missing.Sample[0].Value = []int64{0, 0} // a zero sample still may not name a missing location
	missing.Sample[0].Location = []*profile.Location{{ID: 999}}
	short := gen.Copy()
	short.Sample[4].Value = short.Sample[4].Value[:1]
	inputs := map[string][]byte{
		"folded":           []byte("main;foo 3\nmain;bar 4\n"),
		"gzipped folded":   gz(t, []byte("main;foo 3\n")),
		"legacy heap":      legacyProfile(t, "heap"),
		"truncated":        plain[:len(plain)/2],
		"truncated gzip":   cpu[:len(cpu)/2],
		"missing location": encode(t, missing, false),
		"too few values":   encode(t, short, true),
		"html":             []byte("<html><body>no</body></html>"),
		"bad sample type":  encode(t, gen, false),
	}
	for name, data := range inputs {
		spec := ""
		if name == "bad sample type" {
			spec = "no_such_type"
		}
		want, wantErr := fullStacks(name, data, spec)
		got, _, err := streamedStacks(name, data, spec)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("%s: error %v, want %v", name, err, wantErr)
			continue
		}
		if err == nil {
			sameStacks(t, name, got, want)
		}
	}
}

func TestOpenStacksFile(t *testing.T) {
	path := filepath.Join("..", "testdata", "json.mem.pprof")
	st, err := OpenStacks(path, "inuse_space", Functions)
	if err != nil {
		t.Fatal(err)
	}
	p, s := st.Info, st.Stacks
	if st.Whole != nil {
		t.Error("a pprof protobuf was read in full, not streamed")
	}
	full, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := CollectStacks(full, 3, Functions)
	if err != nil {
		t.Fatal(err)
	}
	sameStacks(t, path, s, want)
	if h, w := HeaderOf(p, s.SampleType, s.AbsTotal), HeaderOf(&full.Info, want.SampleType, want.AbsTotal); !reflect.DeepEqual(h, w) {
		t.Errorf("header %+v, want %+v", h, w)
	}
	// At every granularity, the stream's frames are the whole profile's.
	for _, g := range Granularities[1:] {
		st, err := OpenStacks(path, "inuse_space", g)
		if err != nil {
			t.Fatal(err)
		}
		want, err := CollectStacks(full, 3, g)
		if err != nil {
			t.Fatal(err)
		}
		sameStacks(t, path+" "+g.String(), st.Stacks, want)
		if st.Stacks.Granularity != g {
			t.Errorf("streamed stacks at %s say %s", g, st.Stacks.Granularity)
		}
	}
	// What needs the samples (CollectStacks, Filter, NewComparison) takes
	// a *Profile, which a streamed profile's *Info is not: asking it of one
	// does not compile.

	// A file that is no stream is read in full once, and kept.
	foldedPath := filepath.Join(t.TempDir(), "stacks.folded")
	if err := os.WriteFile(foldedPath, []byte("main;a;b 3\nmain;c 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	folded, err := OpenStacks(foldedPath, "", Functions)
	if err != nil {
		t.Fatal(err)
	}
	if folded.Whole == nil || folded.Info != &folded.Whole.Info {
		t.Error("folded stacks: the whole profile read was not kept")
	}

	missing := filepath.Join(t.TempDir(), "nope.pprof")
	if _, err := OpenStacks(missing, "", Functions); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

// TestStacksFromBytes: fetched bytes are read as a file is, streamed or
// parsed in full (a legacy text profile).
func TestStacksFromBytes(t *testing.T) {
	for _, data := range [][]byte{readTestdata(t, "json.mem.pprof"), legacyProfile(t, "heap")} {
		st, err := StacksFromBytes("fetched", data, DefaultMaxDecompressed, "", Functions)
		if err != nil {
			t.Fatal(err)
		}
		p, s := st.Info, st.Stacks
		want, err := fullStacks("fetched", data, "")
		if err != nil {
			t.Fatal(err)
		}
		sameStacks(t, "fetched", s, want)
		if p.Source != "fetched" {
			t.Errorf("source %q", p.Source)
		}
	}
}

// FuzzStream feeds arbitrary bytes to the streaming reader and to the
// full parser: both must agree, on the stacks or on the error.
func FuzzStream(f *testing.F) {
	for _, spec := range []pproftest.Spec{{Samples: 20, Stacks: 10, Funcs: 12, MaxDepth: 6, Seed: 1}, {Samples: 5, Stacks: 5, Funcs: 4, MaxDepth: 3, Seed: 2}} {
		f.Add(encode(f, pproftest.Generate(spec), false))
	}
	f.Add([]byte("main;foo 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := fullStacks("fuzz", data, "")
		got, _, err := streamedStacks("fuzz", data, "")
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("error %v, want %v", err, wantErr)
		}
		if err == nil {
			sameStacks(t, "fuzz", got, want)
		}
	})
}
