package session

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session/fetch"
)

const (
	before = "../testdata/json-gogcoff.cpu.pprof"
	after  = "../testdata/json-gogc10.cpu.pprof"
)

func TestSourcesAreCheckedOnce(t *testing.T) {
	tests := []struct {
		src  Source
		want string
	}{
		{Source{Path: after}, ""},
		{Source{Path: after, DiffBase: before, Normalize: true}, ""},
		{Source{Path: after, Base: before}, ""},
		{Source{Path: after, DiffBase: before, Base: before}, "-diff_base and -base cannot both be given"},
		{Source{Path: after, Normalize: true}, "-normalize needs -diff_base or -base"},
	}
	for _, tc := range tests {
		err := tc.src.Validate()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.src, err)
			}
			continue
		}
		if err == nil || err.Error() != tc.want || !errors.Is(err, ErrUsage) {
			t.Errorf("%s: %v, want the usage error %q", tc.src, err, tc.want)
		}
		if _, _, err := Open(context.Background(), tc.src); err == nil || err.Error() != tc.want {
			t.Errorf("%s: Open said %v", tc.src, err)
		}
	}
}

func TestOpenComparesAsPprof(t *testing.T) {
	// -diff_base keeps both sides apart; NEW minus BASE from them is
	// pprof's merge of the two.
	src := Source{Path: after, DiffBase: before}
	apart, read, err := Open(context.Background(), src)
	if err != nil || len(read.Profiles) != 2 {
		t.Fatalf("%v, %d profiles read", err, len(read.Profiles))
	}
	c := apart.Comparison()
	if c == nil || c.Mode != model.DiffBase {
		t.Fatal("-diff_base: not a comparison")
	}
	merged, err := c.PprofMerge()
	if err != nil {
		t.Fatal(err)
	}
	m, err := merged.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Stacks(apart, Spec{SampleIndex: m.SampleIndex})
	if err != nil {
		t.Fatal(err)
	}
	if m.AbsTotal != s.AbsTotal || m.Total[model.Root] != s.Sum() {
		t.Errorf("merged: total %d of %d; kept apart: %d of %d", m.Total[model.Root], m.AbsTotal, s.Sum(), s.AbsTotal)
	}
	// -base always merges, for pprof's totals.
	sub, _, err := Open(context.Background(), Source{Path: after, Base: before})
	if err != nil || sub.Comparison() == nil || sub.Comparison().Mode != model.SubtractBase {
		t.Fatalf("-base: %v", err)
	}
}

// What a fetch saved is in the record of what was read, not in the
// profile: the copy of each side of a comparison of URLs, by its source,
// and none for a file.
func TestReadRecordsFetchedCopies(t *testing.T) {
	url := pproftest.Server(t) + "/debug/pprof/allocs"
	dir := t.TempDir()
	src := Source{Path: url, DiffBase: "../testdata/json.mem.pprof", Fetch: fetch.Options{SaveDir: dir}}
	l, read, err := Open(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	newInfo := &l.Comparison().New.Info
	saved := read.Saved(newInfo.Source)
	if len(read.Copies) != 1 || saved == "" || filepath.Dir(saved) != dir {
		t.Fatalf("copies %+v; the fetched side saved at %q, want in %s", read.Copies, saved, dir)
	}
	if _, err := model.Load(saved); err != nil {
		t.Errorf("the copy does not read back: %v", err)
	}
	if got := read.Saved(l.Comparison().Base.Source); got != "" {
		t.Errorf("the file side has a copy: %q", got)
	}
	// A streamed table of the same URL records its copy too.
	_, _, tread, err := OpenTable(context.Background(), Source{Path: url, Fetch: fetch.Options{SaveDir: dir}}, Request{})
	if err != nil || len(tread.Copies) != 1 || tread.Copies[0].Path == "" {
		t.Errorf("OpenTable: %v, copies %+v", err, tread.Copies)
	}
}

// The copies of a comparison's fetches are in the profiles' order, BASE's
// first, whichever fetch ended first: notes name them in that order.
func TestReadOrdersCopiesAsTheProfiles(t *testing.T) {
	base, newP := &model.Info{Source: "http://a/base"}, &model.Info{Source: "http://a/new"}
	copies := &fetch.Copies{}
	copies.Add(fetch.Copy{Source: "http://a/part"})
	copies.Add(fetch.Copy{Source: newP.Source, Path: "new.pb.gz"})
	copies.Add(fetch.Copy{Source: base.Source, Path: "base.pb.gz"})
	r := readOf([]*model.Info{base, newP}, copies)
	var got []string
	for _, c := range r.Copies {
		got = append(got, c.Source)
	}
	if want := []string{base.Source, newP.Source, "http://a/part"}; !slices.Equal(got, want) {
		t.Errorf("copies in the order %v, want %v", got, want)
	}
}
