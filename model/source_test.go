package model

import (
	"bytes"
	"compress/gzip"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
)

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// retained keeps memory in use, so the heap profile has live samples
// whatever the sampling rate happens to pick.
var retained [][]byte

// legacyProfile writes one of the runtime's profiles in its legacy text
// form (debug=1), which pprof still reads.
func legacyProfile(t testing.TB, name string) []byte {
	t.Helper()
	for len(retained) < 64 {
		retained = append(retained, make([]byte, 1<<20))
	}
	runtime.GC() // the heap profile is as of the last completed collection
	var buf bytes.Buffer
	if err := pprof.Lookup(name).WriteTo(&buf, 1); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseDetectsFormatFromContent(t *testing.T) {
	cpu := readTestdata(t, "json.cpu.pprof") // gzipped protobuf, as the runtime writes it
	plainCPU, err := gunzip(cpu, DefaultMaxDecompressed)
	if err != nil {
		t.Fatal(err)
	}
	foldedText := []byte("# made by hand\nmain;encoding/json.Unmarshal;encoding/json.(*decodeState).object 7\nmain;runtime.mallocgc 3\n")
	tests := []struct {
		name       string
		data       []byte
		format     Format
		wantTypes  string
		wantTotal  int64 // of the default sample type; -1 to skip
		fileSuffix string
	}{
		{"gzipped protobuf", cpu, FormatPprof, "samples/count,cpu/nanoseconds", 21220000000, ".txt"},
		{"plain protobuf", plainCPU, FormatPprof, "samples/count,cpu/nanoseconds", 21220000000, ".folded"},
		{"folded", foldedText, FormatFolded, "samples/count", 10, ".pb.gz"},
		{"gzipped folded", gz(t, foldedText), FormatFolded, "samples/count", 10, ".pprof"},
		{"legacy heap text", legacyProfile(t, "heap"), FormatPprof, "alloc_objects/count,alloc_space/bytes,inuse_objects/count,inuse_space/bytes", -1, ".pprof"},
		{"legacy goroutine text", legacyProfile(t, "goroutine"), FormatPprof, "goroutine/count", -1, ".folded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The file name is chosen to mislead: only the content counts.
			p, err := Parse("profile"+tc.fileSuffix, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if p.Format != tc.format {
				t.Errorf("format %s, want %s", p.Format, tc.format)
			}
			var types []string
			for _, st := range p.SampleTypes() {
				types = append(types, st.String())
			}
			if got := strings.Join(types, ","); got != tc.wantTypes {
				t.Errorf("sample types %s, want %s", got, tc.wantTypes)
			}
			tree := mustTree(t, p)
			if tc.wantTotal >= 0 && tree.AbsTotal != tc.wantTotal {
				t.Errorf("total %d, want %d", tree.AbsTotal, tc.wantTotal)
			}
			if tree.Total[Root] == 0 {
				t.Error("tree is empty")
			}
		})
	}
}

func TestLegacyProfilesMatchPprof(t *testing.T) {
	for _, name := range []string{"heap", "goroutine"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), name+".txt")
			if err := os.WriteFile(file, legacyProfile(t, name), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			for i := range p.SampleTypes() {
				checkAgainstPprof(t, file, i, false)
			}
		})
	}
}

func TestSampleIndex(t *testing.T) {
	p, err := Load("../testdata/json.mem.pprof")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec    string
		want    int
		wantErr string
	}{
		{"", 1, ""}, // go test -memprofile marks alloc_space as the default
		{"0", 0, ""},
		{"alloc_space", 1, ""},
		{"inuse_objects", 2, ""},
		{"4", 0, "outside the range [0..3]"},
		{"-1", 0, "outside the range"},
		{"cpu", 0, `must be one of: [alloc_objects alloc_space inuse_objects inuse_space]`},
	}
	for _, tc := range tests {
		got, err := p.SampleIndex(tc.spec)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("SampleIndex(%q) error %v, want it to say %q", tc.spec, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("SampleIndex(%q) = %d, %v; want %d", tc.spec, got, err, tc.want)
		}
	}

	p.Raw.DefaultSampleType = ""
	if got, _ := p.SampleIndex(""); got != 3 {
		t.Errorf("default without default_sample_type is %d, want the last type, 3", got)
	}
}

func TestBadInputsGiveOneClearError(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	cpu := readTestdata(t, "json.cpu.pprof")
	tests := []struct {
		name, path, want string
	}{
		{"empty file", write("empty.pprof", nil), "file is empty"},
		{"blank file", write("blank.pprof", []byte("\n \n")), "file is empty"},
		{"random bytes", write("random.pprof", random), "not a pprof profile or folded stacks"},
		{"truncated gzip", write("truncated.pb.gz", cpu[:len(cpu)/2]), "corrupt or truncated gzip data"},
		{"empty gzip", write("empty.pb.gz", gz(t, nil)), "empty once decompressed"},
		{"html page", write("page.pprof", []byte("<!DOCTYPE html>\n<html><body>404 page not found</body></html>\n")), "is an HTML page"},
		{"no folded stack", write("bad.folded", []byte("# stacks\nmain;bar twelve\nmain;foo 12 x\n")), "line 1: a comment"},
		{"text, not stacks", write("notes.txt", []byte("Profiling started\nsee the log\n")), "not a pprof profile, and not folded stacks: line 1: want \"frame;frame;... count\", got \"Profiling started\""},
		{"missing path", filepath.Join(dir, "nope.pprof"), "no such file"},
		{"folder", dir, "is a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Load(tc.path)
			if err == nil {
				t.Fatalf("loaded %v, want an error", p.Format)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.path+":") {
				t.Errorf("error %q does not start with the path", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not say %q", msg, tc.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q is more than one line", msg)
			}
		})
	}
}

func TestFoldedExportRoundTrip(t *testing.T) {
	for _, file := range []string{"json.cpu.pprof", "json.mem.pprof", "sort.cpu.pprof"} {
		t.Run(file, func(t *testing.T) {
			p, err := Load(filepath.Join("..", "testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			tree := mustTree(t, p)
			var out bytes.Buffer
			if err := WriteFolded(&out, tree); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if lines[0] != FoldedHeader {
				t.Fatalf("first line %q, want the header", lines[0])
			}
			lines = lines[1:]
			selfNodes := 0
			for n := range tree.Self {
				if tree.Self[n] != 0 {
					selfNodes++
				}
			}
			if len(lines) != selfNodes {
				t.Errorf("%d lines, want one per stack: %d", len(lines), selfNodes)
			}
			back, err := Parse("export.folded", out.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if back.Format != FormatFolded {
				t.Fatalf("export read back as %s", back.Format)
			}
			again := mustTree(t, back)
			if a, b := dump(tree), dump(again); a != b {
				t.Errorf("tree changed on the round trip:\n%s\nvs\n%s", clip(a, 2000), clip(b, 2000))
			}
		})
	}
}
