package session

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/flamelens/flamelens/listing"
	"github.com/flamelens/flamelens/model"
)

// pprofVersion is the version of github.com/google/pprof this test binary
// was built with: its files are in the module cache.
func pprofVersion(t *testing.T) string {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, m := range info.Deps {
			if m.Path == "github.com/google/pprof" {
				return m.Version
			}
		}
	}
	t.Skip("no build info for github.com/google/pprof")
	return ""
}

func TestSourcesFind(t *testing.T) {
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, "internal", "api"), 0o755); err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(project, "internal", "api", "handler.go")
	if err := os.WriteFile(own, []byte("package api\n\nfunc Handle() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	goroot, cache := goEnv("GOROOT"), goEnv("GOMODCACHE")
	if goroot == "" || cache == "" {
		t.Skip("no Go installation")
	}
	version := pprofVersion(t)
	dep := filepath.Join(cache, "github.com", "google", "pprof@"+version, "profile", "profile.go")
	tests := []struct {
		name  string
		paths SourcePaths
		r     listing.Routine
		want  string
	}{
		{"standard library built elsewhere", SourcePaths{},
			listing.Routine{Function: "encoding/json.(*decodeState).object", Path: "/opt/hostedtoolcache/go/1.26.0/x64/src/encoding/json/decode.go"},
			filepath.Join(goroot, "src", "encoding", "json", "decode.go")},
		{"runtime assembly", SourcePaths{},
			listing.Routine{Function: "runtime.memmove", Path: "/usr/lib/go-1.26/src/runtime/memmove_amd64.s"},
			filepath.Join(goroot, "src", "runtime", "memmove_amd64.s")},
		{"dependency in another user's module cache", SourcePaths{},
			listing.Routine{Function: "github.com/google/pprof/profile.Parse", Path: "/home/ci/go/pkg/mod/github.com/google/pprof@" + version + "/profile/profile.go"},
			dep},
		{"dependency built with -trimpath", SourcePaths{},
			listing.Routine{Function: "github.com/google/pprof/profile.Parse", Path: "github.com/google/pprof@" + version + "/profile/profile.go"},
			dep},
		{"-trim_path and -source_path", SourcePaths{SourcePath: project, TrimPath: "/build/app"},
			listing.Routine{Function: "example.com/app/internal/api.Handle", Path: "/build/app/internal/api/handler.go"},
			own},
		{"pprof's guess from the project folder's name", SourcePaths{SourcePath: project},
			listing.Routine{Function: "example.com/app/internal/api.Handle", Path: "/ci/checkout/" + filepath.Base(project) + "/internal/api/handler.go"},
			own},
		{"the path's last elements under -source_path", SourcePaths{SourcePath: project},
			listing.Routine{Function: "example.com/app/internal/api.Handle", Path: "/somewhere/else/internal/api/handler.go"},
			own},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Sources{Paths: tc.paths}
			f, err := s.Find(tc.r)
			if err != nil {
				t.Fatal(err)
			}
			if f.Path != tc.want {
				t.Errorf("found %s, want %s", f.Path, tc.want)
			}
			if len(f.Lines) < 3 {
				t.Errorf("%d lines read", len(f.Lines))
			}
		})
	}
}

func TestSourcesNotFoundSaysWhere(t *testing.T) {
	dir := t.TempDir()
	s := &Sources{Paths: SourcePaths{SourcePath: dir}}
	_, err := s.Find(listing.Routine{Function: "main.main", File: "/gone/main.go", Path: "/gone/main.go"})
	if err == nil {
		t.Fatal("a missing file was found")
	}
	for _, want := range []string{"could not find /gone/main.go", "/gone/main.go", filepath.Join(dir, "main.go")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestSourcesChangedSinceProfile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.go")
	if err := os.WriteFile(path, []byte("package x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	modified := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path, modified, modified); err != nil {
		t.Fatal(err)
	}
	r := listing.Routine{Function: "x.F", File: path, Path: path}
	for _, tc := range []struct {
		taken   time.Time
		changed bool
	}{
		{modified.Add(time.Hour), false},
		{modified.Add(-time.Hour), true},
		{time.Time{}, false}, // the profile does not say when it was taken
	} {
		s := &Sources{Taken: tc.taken}
		f, err := s.Find(r)
		if err != nil {
			t.Fatal(err)
		}
		if f.Changed != tc.changed {
			t.Errorf("taken %v: changed %v, want %v", tc.taken, f.Changed, tc.changed)
		}
	}
}

func TestSourceListingKeepsLineStacks(t *testing.T) {
	p, err := model.Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	var vs Views
	l := One(p)
	spec := Spec{SampleIndex: 1}
	// The window prepares the view's line stacks once the file is read:
	// the first listing uses them.
	if err := vs.PrepareListing(l, spec); err != nil {
		t.Fatal(err)
	}
	kept := vs.lines.value
	a, err := vs.SourceListing(l, spec, "encoding/json.(*decodeState).object")
	if err != nil {
		t.Fatal(err)
	}
	if kept == nil || vs.lines.value != kept {
		t.Error("the first listing read the stacks prepared again")
	}
	b, err := vs.SourceListing(l, spec, "encoding/json.cachedTypeFields")
	if err != nil {
		t.Fatal(err)
	}
	if kept == nil || vs.lines.value != kept {
		t.Error("the second listing of the view read the stacks again")
	}
	if a.Routines[0].Cum != 10_660_000_000 || b.Function != "encoding/json.cachedTypeFields" {
		t.Errorf("listings %s cum %d, %s", a.Function, a.Routines[0].Cum, b.Function)
	}
	// Another view (a filter) reads them again.
	if _, err := vs.SourceListing(l, Spec{SampleIndex: 1, Steps: []Step{FilterStep("focus", "Unmarshal")}}, "encoding/json.(*decodeState).object"); err != nil {
		t.Fatal(err)
	}
	if vs.lines.value == kept {
		t.Error("a filtered view's listing used the unfiltered stacks")
	}
	if _, err := vs.SourceListing(l, spec, "no.such.function"); err == nil {
		t.Error("a function with no lines listed")
	}
}
