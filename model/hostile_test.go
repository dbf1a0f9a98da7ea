package model

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
)

// handMade builds a profile of one sample per stack given leaf first.
func handMade(sampleType, unit string, stacks map[string]int64) *Profile {
	p := &profile.Profile{SampleType: []*profile.ValueType{{Type: sampleType, Unit: unit}}}
	locs := map[string]*profile.Location{}
	for stack, v := range stacks {
		var ls []*profile.Location
		for _, name := range strings.Split(stack, ";") {
			loc, ok := locs[name]
			if !ok {
				fn := &profile.Function{ID: uint64(len(p.Function) + 1), Name: name}
				loc = &profile.Location{ID: uint64(len(p.Location) + 1), Line: []profile.Line{{Function: fn}}}
				p.Function = append(p.Function, fn)
				p.Location = append(p.Location, loc)
				locs[name] = loc
			}
			ls = append([]*profile.Location{loc}, ls...) // the string is root first
		}
		p.Sample = append(p.Sample, &profile.Sample{Location: ls, Value: []int64{v}})
	}
	return NewProfile("hand-made", "", p)
}

func TestZeroSamples(t *testing.T) {
	p := handMade("cpu", "nanoseconds", nil)
	tree, err := p.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	if tree.Len() != 1 || tree.Total[Root] != 0 || len(tree.Functions()) != 0 {
		t.Errorf("empty profile: %d nodes, total %d", tree.Len(), tree.Total[Root])
	}
}

func TestNegativeValues(t *testing.T) {
	tree := mustTree(t, handMade("delta", "bytes", map[string]int64{"main;grow": 300, "main;shrink": -500}))
	if tree.Total[Root] != -200 || tree.AbsTotal != 800 {
		t.Errorf("total %d, abs %d", tree.Total[Root], tree.AbsTotal)
	}
	rows := tree.Functions()
	SortByFlat(rows)
	if rows[0].Name != "shrink" || rows[0].Flat != -500 {
		t.Errorf("first row %+v, want shrink by |flat|", rows[0])
	}
}

func TestValueUnits(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		unit string
		want string
	}{
		{1500000000, "nanoseconds", "1.5s"}, {2500, "nanoseconds", "2.5us"}, {90e9, "nanoseconds", "1.5mins"},
		{1536, "bytes", "1.5kB"}, {3 << 30, "bytes", "3GB"}, {-2048, "bytes", "-2kB"},
		{123456, "count", "123456"}, {0, "bytes", "0"}, {7, "", "7"},
	} {
		if got := FormatValue(tc.v, tc.unit); got != tc.want {
			t.Errorf("FormatValue(%d, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}

func TestDeepStacksLongAndOddNames(t *testing.T) {
	deep := make([]string, 10000)
	for i := range deep {
		deep[i] = "f" + strings.Repeat("x", i%7)
	}
	long := "pkg." + strings.Repeat("VeryLongName", 420) // 5,000 characters
	odd := "bad\xff\xfename"
	p := handMade("samples", "count", map[string]int64{
		strings.Join(deep, ";"): 3,
		"main;" + long:          2,
		"main;" + odd:           1,
	})
	tree := mustTree(t, p)
	depth := int32(0)
	for _, d := range tree.Depth {
		depth = max(depth, d)
	}
	if depth != 10000 {
		t.Errorf("deepest frame at %d, want 10000", depth)
	}
	var folded bytes.Buffer
	if err := WriteFolded(&folded, tree); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("back.folded", folded.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if dump(mustTree(t, back)) != dump(tree) {
		t.Error("deep, long and odd names do not survive a folded round trip")
	}
}

func TestDuplicateNamesFromDifferentFiles(t *testing.T) {
	// Two functions called init in different files are one function, as
	// in pprof's function granularity.
	raw := &profile.Profile{SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}}}
	for i, file := range []string{"a.go", "b.go"} {
		fn := &profile.Function{ID: uint64(i + 1), Name: "pkg.init", Filename: file}
		loc := &profile.Location{ID: uint64(i + 1), Line: []profile.Line{{Function: fn}}}
		raw.Function = append(raw.Function, fn)
		raw.Location = append(raw.Location, loc)
		raw.Sample = append(raw.Sample, &profile.Sample{Location: []*profile.Location{loc}, Value: []int64{int64(i + 1)}})
	}
	tree := mustTree(t, NewProfile("dup", "", raw))
	rows := tree.Functions()
	if len(rows) != 1 || rows[0].Flat != 3 {
		t.Errorf("rows %+v, want one pkg.init with flat 3", rows)
	}
}

func TestGzipBombFile(t *testing.T) {
	bomb := gz(t, make([]byte, 32<<20))
	_, err := ParseLimited("bomb.pb.gz", bomb, 4<<20)
	if err == nil || !strings.Contains(err.Error(), "bomb.pb.gz: decompresses to more than 4MB") {
		t.Errorf("error %v", err)
	}
}

func TestUnsymbolizedFrames(t *testing.T) {
	m := &profile.Mapping{ID: 1, Start: 0x1000, Limit: 0x9000, File: "/srv/app"}
	raw := &profile.Profile{SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}}, Mapping: []*profile.Mapping{m}}
	for i, addr := range []uint64{0x1010, 0x2020, 0x3030} {
		raw.Location = append(raw.Location, &profile.Location{ID: uint64(i + 1), Mapping: m, Address: addr})
	}
	l := raw.Location
	raw.Sample = []*profile.Sample{
		{Location: []*profile.Location{l[1], l[0]}, Value: []int64{5}}, // 0x1010 calls 0x2020
		{Location: []*profile.Location{l[2], l[0]}, Value: []int64{3}},
		{Location: []*profile.Location{l[0]}, Value: []int64{2}},
	}
	file := t.TempDir() + "/unsymbolized.pb.gz"
	var buf bytes.Buffer
	if err := raw.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	tree := mustTree(t, p)
	// The graph tells the addresses apart, named after the binary.
	var labels []string
	tree.Walk(func(n NodeID, _ int) bool {
		labels = append(labels, tree.Label(n))
		return true
	})
	if got := strings.Join(labels, ","); got != "root,0x1010 [app],0x2020 [app],0x3030 [app]" {
		t.Errorf("labels %s", got)
	}
	// The table merges them as pprof does.
	checkAgainstPprof(t, file, 0, false)
	rows := tree.Functions()
	if len(rows) != 1 || rows[0].Name != "[app]" || rows[0].Flat != 10 || rows[0].Cum != 10 {
		t.Errorf("rows %+v", rows)
	}
	if s := tree.Stacks().Functions(); len(s) != 1 || s[0] != rows[0] {
		t.Errorf("the stacks' table %+v differs", s)
	}
}

// TestFileGrowingWhileRead opens a profile while another writer keeps
// appending to it: it is read as it was when opened (a profile still
// being written gives a clear error), never for as long as it grows.
func TestFileGrowingWhileRead(t *testing.T) {
	cpu := readTestdata(t, "json.cpu.pprof")
	folded := bytes.Repeat([]byte("main;serve 1\n"), 1000)
	for _, tc := range []struct {
		name        string
		initial     []byte
		more        []byte
		sampleIndex int
		wantErr     string // "" for a profile, or else a regexp the error matches
	}{
		// Where the read stops may cut a line: a profile of at least the
		// first 1000 lines, or an error naming the file and the line.
		{"folded stacks appended", folded, []byte("main;other 1\n"), 0, ""},
		// The gzip stream is cut short; what follows it is garbage that may
		// decode to anything: by the time a loaded machine opens the file,
		// gigabytes of it can inflate past the decompression cap.
		{"half written", cpu[:len(cpu)/2], []byte("more data\n"), 1, "truncated gzip data|decompresses to more than 2GB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "growing")
			if err := os.WriteFile(path, tc.initial, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // appends all the time until told to stop
				defer close(done)
				defer f.Close()
				// About 25MB a second and 1GB at most: the file grows all the
				// while it is read, and a slow, loaded machine's disk is not
				// filled (unbounded, it once wrote 54GB here).
				chunk := bytes.Repeat(tc.more, 5_000)
				for written := 0; written < 1<<30; written += len(chunk) {
					select {
					case <-stop:
						return
					default:
						f.Write(chunk)
						time.Sleep(2 * time.Millisecond)
					}
				}
			}()
			defer func() { close(stop); <-done }()
			for _, open := range []func() (*Stacks, error){
				func() (*Stacks, error) {
					p, err := Load(path)
					if err != nil {
						return nil, err
					}
					return CollectStacks(p, tc.sampleIndex, Functions)
				},
				func() (*Stacks, error) {
					st, err := OpenStacks(path, "", Functions)
					if err != nil {
						return nil, err
					}
					return st.Stacks, nil
				},
			} {
				s, err := open()
				switch {
				case err != nil && !strings.HasPrefix(err.Error(), path+":"):
					t.Errorf("error %q does not name the file", err)
				case tc.wantErr == "" && err != nil && !strings.Contains(err.Error(), "line "):
					t.Errorf("error %v, want a profile or a cut last line", err)
				case tc.wantErr == "" && err == nil && s.AbsTotal < 1000:
					t.Errorf("total %d, want at least the 1000 lines there at first", s.AbsTotal)
				case tc.wantErr != "" && (err == nil || !regexp.MustCompile(tc.wantErr).MatchString(err.Error())):
					t.Errorf("error %v, want one saying %q", err, tc.wantErr)
				}
			}
		})
	}
}
